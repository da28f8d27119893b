/* io.c - moving data: send, sendto, recv, recvfrom, read, write.
 *
 * A blocking call asks the protocol, and while it answers -EAGAIN runs one
 * network step and asks again, until SO_SNDTIMEO/SO_RCVTIMEO runs out
 * (then EAGAIN, or the bytes moved so far, as Linux). A blocking send on a
 * stream socket returns only when all bytes are taken (POSIX); recv returns
 * as soon as there are some, unless MSG_WAITALL asks for all. */
#include "net/socket/socket.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

/* Flags that only change how the socket layer waits; protocols see the rest. */
#define SOCKET_LAYER_FLAGS (MSG_DONTWAIT | MSG_NOSIGNAL | MSG_WAITALL)

static bool may_block(const struct sock *sk, int flags)
{
	return !sk->nonblocking && !(flags & MSG_DONTWAIT);
}

static long send_all(struct sock *sk, const void *data, size_t length, int flags, const struct sock_endpoint *to)
{
	bool stream = sk->ops->type == SOCK_STREAM;
	uint64_t deadline = socket_deadline(sk->send_timeout_ns);
	size_t sent = 0;
	if (stream && length == 0)
		return 0;
	for (;;) {
		long result = sk->ops->send(sk, (const char *)data + sent, length - sent, flags & ~SOCKET_LAYER_FLAGS, to);
		if (result > 0) {
			sent += (size_t)result;
			if (!stream || sent == length)
				return (long)sent;
			continue;
		}
		if (result == 0 && !stream)
			return 0;
		if (result != -EAGAIN || !may_block(sk, flags) || socket_deadline_passed(deadline))
			return sent ? (long)sent : (result == 0 ? -EAGAIN : result);
		socket_wait(deadline, false);
	}
}

static long receive_some(struct sock *sk, void *buffer, size_t length, int flags, struct sock_endpoint *from)
{
	bool wait_for_all = (flags & MSG_WAITALL) && sk->ops->type == SOCK_STREAM && !(flags & MSG_PEEK);
	uint64_t deadline = socket_deadline(sk->receive_timeout_ns);
	size_t received = 0;
	for (;;) {
		long result = sk->ops->receive(sk, (char *)buffer + received, length - received,
					       flags & ~SOCKET_LAYER_FLAGS, from);
		if (result > 0) {
			received += (size_t)result;
			if (!wait_for_all || received == length)
				return (long)received;
			continue;
		}
		if (result == 0)
			return (long)received;
		if (result != -EAGAIN || !may_block(sk, flags) || socket_deadline_passed(deadline))
			return received ? (long)received : result;
		socket_wait(deadline, true);
	}
}

ssize_t sendto(int fd, const void *data, size_t length, int flags, const struct sockaddr *to, socklen_t to_length)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	struct sock_endpoint destination;
	const struct sock_endpoint *destination_or_null = NULL;
	if (to) {
		int result = socket_endpoint_from_address(to, to_length, &destination);
		if (result != 0)
			return socket_result(result);
		destination_or_null = &destination;
	}
	return socket_result(send_all(sk, data, length, flags, destination_or_null));
}

ssize_t send(int fd, const void *data, size_t length, int flags)
{
	return sendto(fd, data, length, flags, NULL, 0);
}

ssize_t write(int fd, const void *data, size_t length)
{
	return sendto(fd, data, length, 0, NULL, 0);
}

ssize_t recvfrom(int fd, void *restrict buffer, size_t length, int flags, struct sockaddr *restrict from,
		 socklen_t *restrict from_length)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	if (from && !from_length)
		return socket_fail(EFAULT);
	bool stream = sk->ops->type == SOCK_STREAM;
	if (stream && length == 0)
		return 0;
	/* A stream has no per-message source: Linux reports an empty address. */
	struct sock_endpoint source = { 0 };
	long result = receive_some(sk, buffer, length, flags, from && !stream ? &source : NULL);
	if (result >= 0 && from && stream)
		*from_length = 0;
	else if (result >= 0 && from)
		socket_address_from_endpoint(&source, from, from_length);
	return socket_result(result);
}

ssize_t recv(int fd, void *buffer, size_t length, int flags)
{
	return recvfrom(fd, buffer, length, flags, NULL, NULL);
}

ssize_t read(int fd, void *buffer, size_t length)
{
	return recvfrom(fd, buffer, length, 0, NULL, NULL);
}
