/* options.c - setsockopt, getsockopt and fcntl.
 *
 * Level SOL_SOCKET options the socket layer knows are kept in struct sock
 * (net/socket/sock.h) and then offered to the protocol, which may act on them
 * (buffer sizes, keepalive, linger, address reuse) or answer -ENOPROTOOPT
 * when they do not concern it. Every other level belongs to the protocol.
 * Values and errors follow Linux: SO_RCVBUF/SO_SNDBUF read back twice the
 * value set (Linux doubles it for bookkeeping overhead, socket(7)) unless
 * the protocol reports its real size; a bad timeval is EDOM. */
#include "net/socket/socket.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#define NSEC_PER_SECOND 1000000000ull
#define NSEC_PER_MICROSECOND 1000ull
/* Linux's floor for SO_RCVBUF/SO_SNDBUF (SOCK_MIN_RCVBUF is about 2 KiB). */
#define SOCKET_BUFFER_MINIMUM 2048

static int read_int(const void *value, socklen_t length, int *out)
{
	if (!value)
		return -EFAULT;
	if (length < sizeof(int))
		return -EINVAL;
	memcpy(out, value, sizeof(int));
	return 0;
}

static int read_timeout(const void *value, socklen_t length, uint64_t *timeout_ns)
{
	struct timeval timeout;
	if (!value)
		return -EFAULT;
	if (length < sizeof(timeout))
		return -EINVAL;
	memcpy(&timeout, value, sizeof(timeout));
	if (timeout.tv_usec < 0 || timeout.tv_usec >= 1000000)
		return -EDOM;
	if (timeout.tv_sec < 0) /* Linux treats it as no timeout at all */
		timeout = (struct timeval){ 0, 0 };
	*timeout_ns = (uint64_t)timeout.tv_sec * NSEC_PER_SECOND + (uint64_t)timeout.tv_usec * NSEC_PER_MICROSECOND;
	return 0;
}

static int clamp_buffer(int requested)
{
	if (requested < SOCKET_BUFFER_MINIMUM / 2)
		return SOCKET_BUFFER_MINIMUM / 2;
	return requested > INT_MAX / 2 ? INT_MAX / 2 : requested;
}

static int store_linger(struct sock *sk, const void *value, socklen_t length)
{
	struct linger linger;
	if (!value)
		return -EFAULT;
	if (length < sizeof(linger))
		return -EINVAL;
	memcpy(&linger, value, sizeof(linger));
	sk->linger_on = linger.l_onoff != 0;
	sk->linger_seconds = linger.l_linger < 0 ? 0 : linger.l_linger;
	return 0;
}

static int store_int_option(struct sock *sk, int name, const void *value, socklen_t length)
{
	int number;
	int result = read_int(value, length, &number);
	if (result != 0)
		return result;
	if (name == SO_REUSEADDR)
		sk->reuse_address = number != 0;
	else if (name == SO_KEEPALIVE)
		sk->keepalive = number != 0;
	else if (name == SO_RCVBUF)
		sk->receive_buffer = clamp_buffer(number);
	else
		sk->send_buffer = clamp_buffer(number);
	return 0;
}

/* Stores a SOL_SOCKET option; 1 when the option is not one of ours. */
static int store_socket_option(struct sock *sk, int name, const void *value, socklen_t length)
{
	switch (name) {
	case SO_REUSEADDR:
	case SO_KEEPALIVE:
	case SO_RCVBUF:
	case SO_SNDBUF:
		return store_int_option(sk, name, value, length);
	case SO_LINGER:
		return store_linger(sk, value, length);
	case SO_RCVTIMEO:
		return read_timeout(value, length, &sk->receive_timeout_ns);
	case SO_SNDTIMEO:
		return read_timeout(value, length, &sk->send_timeout_ns);
	case SO_TYPE:
	case SO_ERROR:
	case SO_ACCEPTCONN:
	case SO_DOMAIN:
	case SO_PROTOCOL:
		return -ENOPROTOOPT; /* read-only */
	default:
		return 1;
	}
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{
	struct sock *sk = socket_lookup(fd);
	if (!sk)
		return socket_fail(EBADF);
	int stored = level == SOL_SOCKET ? store_socket_option(sk, name, value, length) : 1;
	if (stored < 0)
		return socket_fail(-stored);
	if (!sk->ops->setsockopt)
		return stored == 0 ? 0 : socket_fail(ENOPROTOOPT);
	int result = sk->ops->setsockopt(sk, level, name, value, length);
	/* An option we keep need not concern the protocol. */
	if (stored == 0 && result == -ENOPROTOOPT)
		result = 0;
	return (int)socket_result(result);
}

static int write_int(void *value, socklen_t *length, int number)
{
	socklen_t size = *length < sizeof(int) ? *length : sizeof(int);
	memcpy(value, &number, size);
	*length = size;
	return 0;
}

static int write_timeout(void *value, socklen_t *length, uint64_t timeout_ns)
{
	struct timeval timeout = { (time_t)(timeout_ns / NSEC_PER_SECOND),
				   (suseconds_t)(timeout_ns % NSEC_PER_SECOND / NSEC_PER_MICROSECOND) };
	if (*length < sizeof(timeout))
		return -EINVAL;
	memcpy(value, &timeout, sizeof(timeout));
	*length = sizeof(timeout);
	return 0;
}

/* A SOL_SOCKET option the socket layer answers itself; 1 when unknown. */
static int load_socket_option(struct socket_file *file, int name, void *value, socklen_t *length)
{
	struct sock *sk = file->sk;
	struct linger linger = { sk->linger_on, sk->linger_seconds };
	int error;
	switch (name) {
	case SO_REUSEADDR: return write_int(value, length, sk->reuse_address);
	case SO_KEEPALIVE: return write_int(value, length, sk->keepalive);
	case SO_RCVBUF: return write_int(value, length, sk->receive_buffer * 2);
	case SO_SNDBUF: return write_int(value, length, sk->send_buffer * 2);
	case SO_TYPE: return write_int(value, length, sk->ops->type);
	case SO_DOMAIN: return write_int(value, length, AF_INET);
	case SO_PROTOCOL: return write_int(value, length, sk->ops->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
	case SO_ACCEPTCONN: return write_int(value, length, file->listening);
	case SO_RCVTIMEO: return write_timeout(value, length, sk->receive_timeout_ns);
	case SO_SNDTIMEO: return write_timeout(value, length, sk->send_timeout_ns);
	case SO_ERROR:
		error = sock_take_error(sk);
		return write_int(value, length, error);
	case SO_LINGER:
		if (*length < sizeof(linger))
			return -EINVAL;
		memcpy(value, &linger, sizeof(linger));
		*length = sizeof(linger);
		return 0;
	default:
		return 1;
	}
}

int getsockopt(int fd, int level, int name, void *restrict value, socklen_t *restrict length)
{
	struct socket_file *file = socket_file_lookup(fd);
	if (!file)
		return socket_fail(EBADF);
	if (!value || !length)
		return socket_fail(EFAULT);
	struct sock *sk = file->sk;
	/* The protocol knows the real buffer sizes; the socket layer the rest. */
	bool protocol_first = level != SOL_SOCKET || name == SO_RCVBUF || name == SO_SNDBUF;
	if (protocol_first && sk->ops->getsockopt) {
		unsigned protocol_length = *length;
		int result = sk->ops->getsockopt(sk, level, name, value, &protocol_length);
		if (result != -ENOPROTOOPT || level != SOL_SOCKET) {
			if (result == 0)
				*length = protocol_length;
			return (int)socket_result(result);
		}
	}
	if (level != SOL_SOCKET)
		return socket_fail(ENOPROTOOPT);
	int result = load_socket_option(file, name, value, length);
	return result == 1 ? socket_fail(ENOPROTOOPT) : (int)socket_result(result);
}

int fcntl(int fd, int command, ...)
{
	struct socket_file *file = socket_file_lookup(fd);
	if (!file)
		return socket_fail(EBADF);
	va_list arguments;
	va_start(arguments, command);
	int argument = (command == F_SETFL || command == F_SETFD) ? va_arg(arguments, int) : 0;
	va_end(arguments);
	switch (command) {
	case F_GETFL:
		return O_RDWR | (file->sk->nonblocking ? O_NONBLOCK : 0);
	case F_SETFL:
		file->sk->nonblocking = argument & O_NONBLOCK;
		return 0;
	case F_GETFD:
		return file->close_on_exec ? FD_CLOEXEC : 0;
	case F_SETFD:
		file->close_on_exec = argument & FD_CLOEXEC;
		return 0;
	default:
		return socket_fail(EINVAL);
	}
}
