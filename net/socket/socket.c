/* socket.c - the BSD socket calls that create, connect and end sockets:
 * socket, bind, listen, accept/accept4, connect, shutdown, close,
 * getsockname, getpeername (POSIX semantics, Linux errno values).
 * Data transfer is in net/socket/io.c, options in net/socket/options.c, poll() in
 * net/socket/poll.c. Protocols are found in the sock_protocols registry. */
#include "net/socket/socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

extern const struct sock_protocol_entry __start_sock_protocols[] __attribute__((weak));
extern const struct sock_protocol_entry __stop_sock_protocols[] __attribute__((weak));

const struct sock_protocol_ops *sock_protocol_for_type(int type)
{
	for (const struct sock_protocol_entry *entry = __start_sock_protocols; entry < __stop_sock_protocols; entry++)
		if (entry->type == type)
			return entry->ops;
	return NULL;
}

/* protocol 0 means the type's usual one; naming another is an error. */
static bool protocol_matches(int type, int protocol)
{
	if (protocol == 0)
		return true;
	return (type == SOCK_STREAM && protocol == IPPROTO_TCP) || (type == SOCK_DGRAM && protocol == IPPROTO_UDP);
}

int socket(int domain, int type, int protocol)
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (domain != AF_INET)
		return socket_fail(EAFNOSUPPORT);
	if (type != SOCK_STREAM && type != SOCK_DGRAM && type != SOCK_RAW)
		return socket_fail(EINVAL);
	const struct sock_protocol_ops *ops = sock_protocol_for_type(type);
	if (!ops || !protocol_matches(type, protocol))
		return socket_fail(EPROTONOSUPPORT);
	if (!socket_fd_available())
		return socket_fail(EMFILE);
	struct sock *sk = sock_allocate(ops);
	if (!sk)
		return socket_fail(ENOBUFS);
	sk->nonblocking = flags & SOCK_NONBLOCK;
	int fd = socket_fd_install(sk);
	socket_file_lookup(fd)->close_on_exec = flags & SOCK_CLOEXEC;
	return fd;
}

int socket_endpoint_from_address(const struct sockaddr *address, uint32_t length, struct sock_endpoint *endpoint)
{
	if (!address || length < sizeof(struct sockaddr_in))
		return -EINVAL;
	const struct sockaddr_in *in = (const struct sockaddr_in *)address;
	if (in->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	endpoint->address = in->sin_addr.s_addr;
	endpoint->port = in->sin_port;
	return 0;
}

void socket_address_from_endpoint(const struct sock_endpoint *endpoint, struct sockaddr *address, uint32_t *length)
{
	if (!address || !length)
		return;
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = endpoint->port };
	in.sin_addr.s_addr = endpoint->address;
	memcpy(address, &in, *length < sizeof(in) ? *length : sizeof(in));
	*length = sizeof(in);
}

int bind(int fd, const struct sockaddr *address, socklen_t length)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	struct sock_endpoint local;
	int result = socket_endpoint_from_address(address, length, &local);
	if (result == 0)
		result = sk->ops->bind(sk, &local);
	if (result == 0)
		socket_note_bound();
	return (int)socket_result(result);
}

int listen(int fd, int backlog)
{
	struct socket_file *file = socket_file_lookup(fd);
	if (!file)
		return socket_fail(EBADF);
	if (!file->sk->ops->listen)
		return socket_fail(EOPNOTSUPP);
	int result = file->sk->ops->listen(file->sk, backlog);
	if (result == 0) {
		file->listening = true;
		socket_note_bound();
	}
	return (int)socket_result(result);
}

/* Waits for ops->accept; the descriptor is checked first so that an
 * accepted connection is never dropped for want of one (Linux reserves it
 * first too: EMFILE leaves the connection queued). */
static int accept_connection(struct sock *listener, struct sock **accepted)
{
	uint64_t deadline = socket_deadline(listener->receive_timeout_ns);
	for (;;) {
		if (!socket_fd_available())
			return -EMFILE;
		int result = listener->ops->accept(listener, accepted);
		if (result != -EAGAIN || listener->nonblocking)
			return result;
		if (socket_deadline_passed(deadline))
			return -EAGAIN;
		socket_wait(deadline, true);
	}
}

int accept4(int fd, struct sockaddr *restrict address, socklen_t *restrict length, int flags)
{
	struct socket_file *file = socket_file_lookup(fd);
	if (!file)
		return socket_fail(EBADF);
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return socket_fail(EINVAL);
	if (!file->sk->ops->accept)
		return socket_fail(EOPNOTSUPP);
	if (!file->listening)
		return socket_fail(EINVAL);
	struct sock *child = NULL;
	int result = accept_connection(file->sk, &child);
	if (result != 0)
		return (int)socket_result(result);
	child->nonblocking = flags & SOCK_NONBLOCK;
	int child_fd = socket_fd_install(child);
	socket_file_lookup(child_fd)->close_on_exec = flags & SOCK_CLOEXEC;
	if (address) {
		struct sock_endpoint peer = { 0 };
		child->ops->getname(child, &peer, true);
		socket_address_from_endpoint(&peer, address, length);
	}
	return child_fd;
}

int accept(int fd, struct sockaddr *restrict address, socklen_t *restrict length)
{
	return accept4(fd, address, length, 0);
}

/* A blocking connect waits until the protocol reports the outcome: POLLOUT
 * when established, POLLERR/POLLHUP with the reason in SO_ERROR. */
static int connect_wait(struct sock *sk)
{
	uint64_t deadline = socket_deadline(sk->send_timeout_ns);
	while (!(sk->ops->poll(sk) & (POLLOUT | POLLERR | POLLHUP))) {
		if (socket_deadline_passed(deadline))
			return -EINPROGRESS;
		socket_wait(deadline, false);
	}
	int error = sock_take_error(sk);
	if (error == 0 && !(sk->ops->poll(sk) & POLLOUT))
		error = ECONNREFUSED;
	return -error;
}

int connect(int fd, const struct sockaddr *address, socklen_t length)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	struct sock_endpoint remote;
	int result = socket_endpoint_from_address(address, length, &remote);
	if (result == 0)
		result = sk->ops->connect(sk, &remote);
	if (result == -EINPROGRESS && !sk->nonblocking)
		result = connect_wait(sk);
	return (int)socket_result(result);
}

int shutdown(int fd, int how)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return socket_fail(EINVAL);
	return (int)socket_result(sk->ops->shutdown(sk, how));
}

/* The protocol finishes the connection on its own (FIN, TIME_WAIT):
 * close() blocks only for SO_LINGER with a time on a blocking socket, and
 * returns 0 even when that time ran out (as Linux; net/socket/linger.c). */
int close(int fd)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	socket_fd_remove(fd);
	socket_linger_before_release(sk);
	sock_free_unaccepted(sk);
	return 0;
}

static int get_name(int fd, struct sockaddr *address, socklen_t *length, bool peer)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	if (!address || !length)
		return socket_fail(EFAULT);
	struct sock_endpoint endpoint = { 0 };
	int result = sk->ops->getname(sk, &endpoint, peer);
	if (result != 0)
		return (int)socket_result(result);
	socket_address_from_endpoint(&endpoint, address, length);
	return 0;
}

int getsockname(int fd, struct sockaddr *restrict address, socklen_t *restrict length)
{
	return get_name(fd, address, length, false);
}

int getpeername(int fd, struct sockaddr *restrict address, socklen_t *restrict length)
{
	return get_name(fd, address, length, true);
}
