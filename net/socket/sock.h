/* sock.h - the contract between the BSD socket layer (net/socket/socket.c, what
 * applications call) and the transport protocols (net/udp*.c, net/tcp_*.c).
 *
 * The socket layer owns file descriptors, blocking, timeouts and poll(); a
 * protocol owns its state and buffers and never blocks: every operation
 * returns at once, with -EAGAIN (or -EINPROGRESS for connect) when it would
 * have to wait. The socket layer then runs the network loop once
 * (net_wait_once) and asks again. Errors are negative errno values (POSIX
 * names, Linux numbers, libc/include/errno.h).
 *
 * Protocols register with SOCK_PROTOCOL(type, &ops) and are found by
 * socket(AF_INET, type, 0). A protocol calls sock_wake(sk) when something a
 * poller may wait for changed (data arrived, space freed, connection
 * established or reset), so that poll() re-evaluates only what changed. */
#ifndef KEEL_NET_SOCK_H
#define KEEL_NET_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"

/* An IPv4 endpoint in network byte order (like sockaddr_in's fields). */
struct sock_endpoint {
	be32 address;
	be16 port;
};

struct sock;

struct sock_protocol_ops {
	int type;           /* SOCK_STREAM, SOCK_DGRAM */
	const char *name;   /* "tcp", "udp" */
	/* Allocates the protocol's state for a new socket (sk->protocol_state). 0 or -errno (-ENOBUFS...). */
	int (*create)(struct sock *sk);
	/* Frees everything; the socket layer forgets sk afterwards. Must not
	 * block: TCP keeps the connection (FIN_WAIT/TIME_WAIT, linger) on its own. */
	void (*release)(struct sock *sk);
	/* Optional, for SO_LINGER with a time (net/socket/linger.c): begins the
	 * close release() would do (FIN queued, state FIN_WAIT_1 / LAST_ACK)
	 * while the socket stays attached, and returns true when there is
	 * something for close() to wait for; false when release() will abort
	 * (RST) or finish at once instead. Must not block. */
	bool (*close_start)(struct sock *sk);
	/* Optional: true while the close begun by close_start waits for the
	 * peer to acknowledge our data and FIN (Linux: FIN_WAIT_1, CLOSING,
	 * LAST_ACK). */
	bool (*close_pending)(struct sock *sk);
	int (*bind)(struct sock *sk, const struct sock_endpoint *local);  /* port 0: ephemeral */
	int (*listen)(struct sock *sk, int backlog);
	/* A new established connection's sock (created by the protocol with
	 * sock_allocate), or -EAGAIN. */
	int (*accept)(struct sock *sk, struct sock **accepted);
	/* Starts a connection: 0 when done at once (UDP), -EINPROGRESS (TCP:
	 * poll for POLLOUT, then read SO_ERROR), or -errno. */
	int (*connect)(struct sock *sk, const struct sock_endpoint *remote);
	/* Copies up to length bytes in; returns bytes taken (> 0), -EAGAIN, or -errno
	 * (-EPIPE after shutdown/reset: the socket layer does not raise SIGPIPE). */
	long (*send)(struct sock *sk, const void *data, size_t length, int flags, const struct sock_endpoint *to);
	/* Copies up to length bytes out; 0 at end of stream; -EAGAIN; -errno. */
	long (*receive)(struct sock *sk, void *buffer, size_t length, int flags, struct sock_endpoint *from);
	int (*shutdown)(struct sock *sk, int how);  /* SHUT_RD / SHUT_WR / SHUT_RDWR */
	/* POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP as of now. */
	short (*poll)(struct sock *sk);
	/* level SOL_SOCKET options are handled by the socket layer first and
	 * passed on too (SO_RCVBUF/SO_SNDBUF/SO_KEEPALIVE/SO_LINGER/SO_REUSEADDR
	 * concern the protocol); IPPROTO_TCP options only here. 0 or -errno. */
	int (*setsockopt)(struct sock *sk, int level, int name, const void *value, unsigned length);
	int (*getsockopt)(struct sock *sk, int level, int name, void *value, unsigned *length);
	int (*getname)(struct sock *sk, struct sock_endpoint *endpoint, bool peer);  /* -ENOTCONN */
};

struct sock {
	const struct sock_protocol_ops *ops;
	void *protocol_state;
	int fd;                  /* -1 until the socket layer gives it a descriptor */
	bool nonblocking;        /* O_NONBLOCK */
	int pending_error;       /* SO_ERROR: set by the protocol, cleared when read */
	/* Socket-level options the socket layer keeps (protocols may read them). */
	bool reuse_address;
	bool keepalive;
	bool linger_on;
	int linger_seconds;
	int receive_buffer;      /* SO_RCVBUF as set (0: protocol default) */
	int send_buffer;         /* SO_SNDBUF */
	uint64_t receive_timeout_ns;  /* SO_RCVTIMEO, 0: none */
	uint64_t send_timeout_ns;     /* SO_SNDTIMEO */
	uint32_t wake_count;     /* bumped by sock_wake */
};

/* The pending error as a positive errno, reported once (Linux's
 * sock_error): SO_ERROR, and the call that fails with it, clear it. */
static inline int sock_take_error(struct sock *sk)
{
	int error = sk->pending_error < 0 ? -sk->pending_error : sk->pending_error;
	sk->pending_error = 0;
	return error;
}

struct sock_protocol_entry {
	int type;
	const struct sock_protocol_ops *ops;
};
#define SOCK_PROTOCOL(socket_type, protocol_ops)                                         \
	static const struct sock_protocol_entry sock_protocol_##socket_type              \
		__attribute__((used, section("sock_protocols"), aligned(8))) = { socket_type, protocol_ops }

/* The registered protocol of a socket type (SOCK_STREAM...), or NULL: what
 * socket() uses, and in-kernel services (the management port, net/admin)
 * that open sockets without a descriptor. */
const struct sock_protocol_ops *sock_protocol_for_type(int type);
/* For protocols creating sockets themselves (TCP accept): a zeroed sock
 * with ops set and create() already called; NULL when out of sockets/memory. */
struct sock *sock_allocate(const struct sock_protocol_ops *ops);
/* Frees a sock that never got a descriptor (e.g. an accept queue entry
 * dropped when its listener closes); calls ops->release. */
void sock_free_unaccepted(struct sock *sk);
void sock_wake(struct sock *sk);

/* One step of the network loop for a blocked caller: poll devices, run
 * timers, and sleep (hlt) until an interrupt if there was nothing to do and
 * nothing is due before deadline_ns (0: no deadline). */
void net_wait_once(uint64_t deadline_ns);

#endif
