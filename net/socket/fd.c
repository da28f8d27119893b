/* fd.c - the descriptor table and the life of a struct sock
 * (sock_allocate, sock_free_unaccepted and sock_wake of net/socket/sock.h).
 *
 * The table is an array indexed by descriptor, sized by `keel.maxfds=` and
 * allocated on first use; a new socket gets the lowest free descriptor as
 * POSIX requires (open(), socket(), accept() all do), found from a hint
 * that remembers where the lowest free one may be. */
#include "net/socket/socket.h"

#include <errno.h>
#include <stdlib.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"

CMDLINE_KEY("keel.maxfds", "most open sockets at once (default 1100; accept() then fails with EMFILE)");

/* Socks alive at once, counting those not (yet) given a descriptor (TCP's
 * SYN and accept queues, connections closing after close()): a bound well
 * above the descriptors, so that leaking socks shows as ENOBUFS, not as
 * the heap running out. */
#define SOCKS_PER_FD 4

static struct socket_file *fd_table;
static unsigned fd_table_size;
static unsigned lowest_free_hint = SOCKET_FIRST_FD;
static unsigned open_fds;
static unsigned live_socks;

static bool fd_table_ready(void)
{
	if (fd_table)
		return true;
	uint64_t size = cmdline_get_u64("keel.maxfds", SOCKET_FDS_DEFAULT);
	if (size < SOCKET_FIRST_FD + 1 || size > SOCKET_FDS_MAX) {
		pr_warn("socket: keel.maxfds=%llu is out of range, using %u\n", (unsigned long long)size,
			SOCKET_FDS_DEFAULT);
		size = SOCKET_FDS_DEFAULT;
	}
	fd_table = calloc(size, sizeof(*fd_table));
	if (!fd_table) {
		pr_err("socket: no memory for %llu descriptors\n", (unsigned long long)size);
		return false;
	}
	fd_table_size = (unsigned)size;
	return true;
}

struct socket_counts socket_get_counts(void)
{
	return (struct socket_counts){ .descriptors = open_fds, .socks = live_socks, .descriptor_limit = fd_table_size };
}

unsigned socket_fd_limit(void)
{
	return fd_table_ready() ? fd_table_size : 0;
}

struct socket_file *socket_file_lookup(int fd)
{
	if (fd < SOCKET_FIRST_FD || !fd_table || (unsigned)fd >= fd_table_size || !fd_table[fd].sk)
		return NULL;
	return &fd_table[fd];
}

bool socket_fd_available(void)
{
	return fd_table_ready() && open_fds < fd_table_size - SOCKET_FIRST_FD;
}

int socket_fd_install(struct sock *sk)
{
	if (!socket_fd_available())
		return -EMFILE;
	unsigned fd = lowest_free_hint;
	while (fd_table[fd].sk)
		fd++;
	fd_table[fd] = (struct socket_file){ .sk = sk };
	sk->fd = (int)fd;
	open_fds++;
	lowest_free_hint = fd + 1;
	return (int)fd;
}

void socket_fd_remove(int fd)
{
	struct socket_file *file = socket_file_lookup(fd);
	if (!file)
		return;
	file->sk->fd = -1;
	*file = (struct socket_file){ 0 };
	open_fds--;
	if ((unsigned)fd < lowest_free_hint)
		lowest_free_hint = (unsigned)fd;
}

struct sock *sock_allocate(const struct sock_protocol_ops *ops)
{
	if (!fd_table_ready() || live_socks >= fd_table_size * SOCKS_PER_FD)
		return NULL;
	struct sock *sk = calloc(1, sizeof(*sk));
	if (!sk)
		return NULL;
	sk->ops = ops;
	sk->fd = -1;
	if (ops->create(sk) != 0) {
		free(sk);
		return NULL;
	}
	live_socks++;
	return sk;
}

/* Also the end of every socket that had a descriptor (close()). */
void sock_free_unaccepted(struct sock *sk)
{
	sk->ops->release(sk);
	free(sk);
	live_socks--;
}

int socket_fail(int error)
{
	errno = error;
	return -1;
}

long socket_result(long result)
{
	if (result >= 0)
		return result;
	errno = (int)-result;
	return -1;
}
