/* poll.c - poll() (POSIX).
 *
 * Every entry is evaluated once through its protocol's poll op. When none
 * is ready, poll runs network steps until one is, re-evaluating after each
 * step only the descriptors that sock_wake() reported: a server holding a
 * thousand idle connections then pays for the few that changed, not for
 * all of them. Each call first runs one network step without sleeping, so
 * that an app that always finds work still lets the devices be served. */
#include "net/socket/socket.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#define NSEC_PER_MILLISECOND 1000000ull
#define WOKEN_BATCH 128

/* Events reported even when not asked for (POSIX). */
#define POLL_ALWAYS_REPORTED (POLLERR | POLLHUP | POLLNVAL)

static short evaluate_entry(struct pollfd *entry)
{
	entry->revents = 0;
	if (entry->fd < 0)
		return 0;
	struct sock *sk = socket_lookup(entry->fd);
	if (!sk) {
		entry->revents = POLLNVAL;
		return entry->revents;
	}
	short state = sk->ops->poll(sk);
	if (state & POLLIN)
		state |= POLLRDNORM;
	if (state & POLLOUT)
		state |= POLLWRNORM;
	entry->revents = (short)(state & (entry->events | POLL_ALWAYS_REPORTED));
	return entry->revents;
}

static int evaluate_all(struct pollfd *fds, nfds_t count)
{
	int ready = 0;
	for (nfds_t i = 0; i < count; i++)
		if (evaluate_entry(&fds[i]))
			ready++;
	return ready;
}

/* Re-evaluates the entries of the descriptors woken during the last step;
 * entry_of_fd maps a descriptor to its entry (or -1), NULL: scan all. */
static int evaluate_woken(struct pollfd *fds, nfds_t count, const int *entry_of_fd)
{
	int woken[WOKEN_BATCH];
	int taken = socket_wake_list_take(woken, WOKEN_BATCH);
	if (taken < 0 || !entry_of_fd)
		return evaluate_all(fds, count);
	int ready = 0;
	for (int i = 0; i < taken; i++) {
		int entry = entry_of_fd[woken[i]];
		if (entry >= 0 && fds[entry].revents == 0 && evaluate_entry(&fds[entry]))
			ready++;
	}
	return ready;
}

/* Descriptor -> index of its entry in the current poll() call, -1 for
 * none; allocated once, and every slot a call sets is reset when it ends. */
static int *entry_of_fd;

static void clear_entries(const struct pollfd *fds, nfds_t count, unsigned limit)
{
	for (nfds_t i = 0; i < count; i++)
		if (fds[i].fd >= 0 && (unsigned)fds[i].fd < limit)
			entry_of_fd[fds[i].fd] = -1;
}

/* Fills the map; false (every step then re-evaluates all entries) when a
 * descriptor appears twice or there is no memory for the map. */
static bool map_entries(const struct pollfd *fds, nfds_t count, unsigned limit)
{
	if (!entry_of_fd) {
		entry_of_fd = malloc(limit * sizeof(int));
		if (!entry_of_fd)
			return false;
		for (unsigned fd = 0; fd < limit; fd++)
			entry_of_fd[fd] = -1;
	}
	for (nfds_t i = 0; i < count; i++) {
		int fd = fds[i].fd;
		if (fd < 0 || (unsigned)fd >= limit)
			continue;
		if (entry_of_fd[fd] >= 0) {
			clear_entries(fds, i, limit);
			return false;
		}
		entry_of_fd[fd] = (int)i;
	}
	return true;
}

static int wait_until_ready(struct pollfd *fds, nfds_t count, int timeout_ms)
{
	uint64_t deadline = timeout_ms > 0 ? socket_deadline((uint64_t)timeout_ms * NSEC_PER_MILLISECOND) : 0;
	unsigned limit = socket_fd_limit();
	bool mapped = map_entries(fds, count, limit);
	int ready = 0;
	socket_wake_list_start();
	while (ready == 0 && !socket_deadline_passed(deadline)) {
		socket_wait(deadline, true);
		ready = evaluate_woken(fds, count, mapped ? entry_of_fd : NULL);
	}
	socket_wake_list_stop();
	if (mapped)
		clear_entries(fds, count, limit);
	return ready;
}

int poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
	if (count > socket_fd_limit())
		return socket_fail(EINVAL);
	if (count > 0 && !fds)
		return socket_fail(EFAULT);
	socket_run_network();
	int ready = evaluate_all(fds, count);
	if (ready == 0 && timeout_ms != 0)
		ready = wait_until_ready(fds, count, timeout_ms);
	return ready;
}
