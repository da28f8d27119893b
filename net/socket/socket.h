/* socket.h - internals shared by the socket layer's files (net/socket*.c):
 * the descriptor table, errno reporting, blocking waits with deadlines, the
 * "keel: ready" announcement and the wake list poll() uses. Applications
 * use the POSIX headers (sys/socket.h, poll.h, ...), protocols net/socket/sock.h.
 *
 * A descriptor refers to one struct sock; there is no dup(), so closing it
 * releases the socket. Descriptors 0-2 stay reserved as on Unix. */
#ifndef KEEL_NET_SOCKET_H
#define KEEL_NET_SOCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "net/socket/sock.h"

struct sockaddr;

#define SOCKET_FIRST_FD 3
#define SOCKET_FDS_DEFAULT 1100
#define SOCKET_FDS_MAX 65536

/* What the table holds per descriptor besides the sock itself. */
struct socket_file {
	struct sock *sk;
	bool listening;     /* SO_ACCEPTCONN */
	bool close_on_exec; /* FD_CLOEXEC: kept for fcntl, meaningless here */
};

/* The open descriptor's entry, or NULL (callers then fail with EBADF). */
struct socket_file *socket_file_lookup(int fd);
static inline struct sock *socket_lookup(int fd)
{
	struct socket_file *file = socket_file_lookup(fd);
	return file ? file->sk : NULL;
}
/* Whether another descriptor can be opened (else EMFILE). */
bool socket_fd_available(void);
/* Gives sk the lowest free descriptor; -EMFILE when none is free. */
int socket_fd_install(struct sock *sk);
/* Forgets fd (the caller releases the sock). */
void socket_fd_remove(int fd);
/* The table's size: the most descriptors poll() accepts. */
unsigned socket_fd_limit(void);

/* How many descriptors are open and socks alive (with or without a
 * descriptor: listeners' queues, connections closing after close()), and
 * the table's size (0 before the first socket); never allocates. */
struct socket_counts {
	unsigned descriptors, socks, descriptor_limit;
};
struct socket_counts socket_get_counts(void);
/* Adds the "socket:" line with those counts to the netdev stats block
 * (net/core/stats_print.h); called once at bring-up (net/stack). */
void socket_stats_init(void);

/* Sets errno to error (a positive errno value) and returns -1. */
int socket_fail(int error);
/* Converts a protocol's result (>= 0, or -errno) to the POSIX convention. */
long socket_result(long result);

/* Absolute deadline for a timeout (0: none); 0 stays 0. */
uint64_t socket_deadline(uint64_t timeout_ns);
bool socket_deadline_passed(uint64_t deadline_ns);
/* Blocks the caller for one step of the network loop. `serving`: the wait
 * is accept/poll/recv, i.e. the app waits for clients (see below). */
void socket_wait(uint64_t deadline_ns, bool serving);
/* One pass of the network loop that never sleeps (poll() runs one first,
 * so that a busy app does not starve the devices). */
void socket_run_network(void);

/* close() with SO_LINGER l_onoff=1, l_linger>0 on a blocking socket waits
 * here, before the sock is released, until the peer acknowledged our data
 * and FIN or the linger time ran out (net/socket/linger.c). */
void socket_linger_before_release(struct sock *sk);

/* "keel: ready" (the boot contract) is printed once: the first time the app
 * waits for clients after having bound or listened on a socket, or by the
 * net loop when there is no app. */
void socket_note_bound(void);
void socket_announce_ready(const char *detail);

/* The wake list: poll() records which descriptors sock_wake() touched while
 * it waited, so that it re-evaluates only those. */
void socket_wake_list_start(void);
/* Copies up to capacity woken descriptors; returns how many, or -1 when
 * more were woken than the list holds (re-evaluate everything). */
int socket_wake_list_take(int *fds, int capacity);
void socket_wake_list_stop(void);

/* sockaddr_in <-> sock_endpoint. The first fails with -EINVAL (too short)
 * or -EAFNOSUPPORT; the second writes at most *length bytes and sets
 * *length to the full size, as POSIX says. */
int socket_endpoint_from_address(const struct sockaddr *address, uint32_t length, struct sock_endpoint *endpoint);
void socket_address_from_endpoint(const struct sock_endpoint *endpoint, struct sockaddr *address, uint32_t *length);

#endif
