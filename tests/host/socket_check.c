/* socket_check.c - host tests of the socket layer (net/socket*.c) driven
 * through a fake stream protocol and a fake network loop (test_socket.py
 * builds it with ASan/UBSan). The socket API is renamed keel_* at compile
 * time so that glibc's own socket functions stay untouched.
 *
 * The fake network loop is net_wait_once: each call advances a fake clock
 * by 1 ms (never past the deadline) and runs the scenario's hook, which
 * plays the peer: queues a connection, delivers data, frees send space. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/socket/sock.h"
#include "net/socket/socket.h"

int keel_errno;

static unsigned checks, failures;
#define CHECK(condition)                                                                     \
	do {                                                                                 \
		checks++;                                                                    \
		if (!(condition)) {                                                          \
			failures++;                                                          \
			printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #condition, errno); \
		}                                                                            \
	} while (0)

/* ---- host stand-ins for the kernel ---- */

static uint64_t fake_now_ns = 1000000;
static unsigned wait_calls, sleeping_waits;
static void (*wait_hook)(void);
static unsigned ready_lines;
static uint64_t max_fds_setting = 8;

uint64_t clock_monotonic_ns(void) { return fake_now_ns; }

void net_wait_once(uint64_t deadline_ns)
{
	wait_calls++;
	if (deadline_ns != 0 && deadline_ns <= fake_now_ns)
		return;
	sleeping_waits++;
	fake_now_ns += 1000000;
	if (deadline_ns != 0 && fake_now_ns > deadline_ns)
		fake_now_ns = deadline_ns;
	if (wait_hook)
		wait_hook();
	if (sleeping_waits > 1000000) {
		printf("FAIL: a blocking call never returned\n");
		abort();
	}
}

uint64_t cmdline_get_u64(const char *key, uint64_t fallback)
{
	return strcmp(key, "keel.maxfds") == 0 ? max_fds_setting : fallback;
}

void printk(int level, const char *format, ...)
{
	char line[256];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(line, sizeof(line), format, arguments);
	va_end(arguments);
	if (strstr(line, "keel: ready"))
		ready_lines++;
	printf("printk: %s", line);
}

/* The operator console starts after "keel: ready" (kernel/console/shell.h). */
void console_shell_start(void) {}

/* ---- the fake protocol ---- */

struct fake {
	char received[256];
	size_t received_length;
	bool end_of_stream;
	size_t send_space;          /* bytes send may take now */
	size_t sent_total;
	unsigned queued;            /* connections waiting in the accept queue */
	int connect_result;         /* what connect returns */
	bool connected;
	struct sock_endpoint local, peer;
	int last_send_flags;
	/* Lingering close: close_start's answer, and how many network steps
	 * pass before the peer acknowledges our FIN (-1: never). */
	bool close_would_wait;
	int steps_until_fin_acked;
	unsigned close_starts;
};
static unsigned creates, releases, poll_evaluations;
static struct sock *last_listener, *last_connecting;

static int fake_create(struct sock *sk)
{
	creates++;
	sk->protocol_state = calloc(1, sizeof(struct fake));
	return sk->protocol_state ? 0 : -ENOBUFS;
}

static void fake_release(struct sock *sk)
{
	releases++;
	free(sk->protocol_state);
}

static struct fake *fake_of(struct sock *sk) { return sk->protocol_state; }

static int fake_bind(struct sock *sk, const struct sock_endpoint *local)
{
	fake_of(sk)->local = *local;
	return 0;
}

static int fake_listen(struct sock *sk, int backlog)
{
	last_listener = sk;
	return 0;
}

static const struct sock_protocol_ops fake_ops;

static int fake_accept(struct sock *sk, struct sock **accepted)
{
	if (!fake_of(sk)->queued)
		return -EAGAIN;
	struct sock *child = sock_allocate(&fake_ops);
	if (!child)
		return -ENOBUFS;
	fake_of(sk)->queued--;
	fake_of(child)->connected = true;
	fake_of(child)->peer = (struct sock_endpoint){ htonl(0x0a630001), htons(40000) };
	*accepted = child;
	return 0;
}

static int fake_connect(struct sock *sk, const struct sock_endpoint *remote)
{
	fake_of(sk)->peer = *remote;
	last_connecting = sk;
	return fake_of(sk)->connect_result;
}

static long fake_send(struct sock *sk, const void *data, size_t length, int flags, const struct sock_endpoint *to)
{
	struct fake *fake = fake_of(sk);
	fake->last_send_flags = flags;
	if (fake->send_space == 0)
		return -EAGAIN;
	size_t taken = length < fake->send_space ? length : fake->send_space;
	fake->send_space -= taken;
	fake->sent_total += taken;
	return (long)taken;
}

static long fake_receive(struct sock *sk, void *buffer, size_t length, int flags, struct sock_endpoint *from)
{
	struct fake *fake = fake_of(sk);
	if (fake->received_length == 0)
		return fake->end_of_stream ? 0 : -EAGAIN;
	size_t taken = length < fake->received_length ? length : fake->received_length;
	memcpy(buffer, fake->received, taken);
	memmove(fake->received, fake->received + taken, fake->received_length - taken);
	fake->received_length -= taken;
	return (long)taken;
}

static int fake_shutdown(struct sock *sk, int how) { return 0; }

static short fake_poll(struct sock *sk)
{
	struct fake *fake = fake_of(sk);
	poll_evaluations++;
	short state = 0;
	if (fake->received_length || fake->end_of_stream || fake->queued)
		state |= POLLIN;
	if (fake->connected && fake->send_space)
		state |= POLLOUT;
	if (sk->pending_error)
		state |= POLLERR;
	return state;
}

static struct fake *lingering;     /* the fake whose close the network loop advances */

static void advance_lingering_close(void)
{
	if (lingering && lingering->steps_until_fin_acked > 0)
		lingering->steps_until_fin_acked--;
}

static bool fake_close_pending(struct sock *sk)
{
	struct fake *fake = fake_of(sk);
	return fake->close_would_wait && fake->steps_until_fin_acked != 0;
}

static bool fake_close_start(struct sock *sk)
{
	struct fake *fake = fake_of(sk);
	fake->close_starts++;
	lingering = fake;
	return fake->close_would_wait && fake_close_pending(sk);
}

static int fake_setsockopt(struct sock *sk, int level, int name, const void *value, unsigned length)
{
	return level == IPPROTO_TCP && name == 1 ? 0 : -ENOPROTOOPT;
}

static int fake_getsockopt(struct sock *sk, int level, int name, void *value, unsigned *length)
{
	return -ENOPROTOOPT;
}

static int fake_getname(struct sock *sk, struct sock_endpoint *endpoint, bool peer)
{
	if (peer && !fake_of(sk)->connected)
		return -ENOTCONN;
	*endpoint = peer ? fake_of(sk)->peer : fake_of(sk)->local;
	return 0;
}

static const struct sock_protocol_ops fake_ops = {
	.type = SOCK_STREAM, .name = "fake", .create = fake_create, .release = fake_release, .bind = fake_bind,
	.listen = fake_listen, .accept = fake_accept, .connect = fake_connect, .send = fake_send,
	.receive = fake_receive, .shutdown = fake_shutdown, .poll = fake_poll, .setsockopt = fake_setsockopt,
	.getsockopt = fake_getsockopt, .getname = fake_getname, .close_start = fake_close_start,
	.close_pending = fake_close_pending,
};
SOCK_PROTOCOL(SOCK_STREAM, &fake_ops);

/* ---- scenarios ---- */

static struct sockaddr_in address_of(uint32_t host_address, uint16_t port)
{
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
	address.sin_addr.s_addr = htonl(host_address);
	return address;
}

static int listening_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in address = address_of(0, 80);
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0);
	CHECK(listen(fd, 16) == 0);
	return fd;
}

static void test_creation(void)
{
	CHECK(socket(AF_INET6, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	CHECK(socket(AF_INET, 99, 0) == -1 && errno == EINVAL);
	CHECK(socket(AF_INET, SOCK_DGRAM, 0) == -1 && errno == EPROTONOSUPPORT);
	CHECK(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP) == -1 && errno == EPROTONOSUPPORT);
	int first = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	int second = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK(first == 3 && second == 4);
	CHECK(fcntl(second, F_GETFL) == (O_RDWR | O_NONBLOCK) && fcntl(second, F_GETFD) == FD_CLOEXEC);
	CHECK(close(first) == 0 && close(first) == -1 && errno == EBADF);
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == 3); /* the lowest free descriptor */
	/* keel.maxfds=8: descriptors 3..7 */
	int more[3];
	for (int i = 0; i < 3; i++)
		more[i] = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(more[2] == 7);
	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1 && errno == EMFILE);
	for (int fd = 3; fd <= 7; fd++)
		close(fd);
	CHECK(close(0) == -1 && errno == EBADF && read(1, NULL, 0) == -1 && errno == EBADF);
	CHECK(creates == releases);
}

static void test_bind_and_names(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in address = address_of(0x0a630002, 8080);
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address) - 1) == -1 && errno == EINVAL);
	address.sin_family = AF_INET6;
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address)) == -1 && errno == EAFNOSUPPORT);
	address.sin_family = AF_INET;
	CHECK(bind(fd, (struct sockaddr *)&address, sizeof(address)) == 0);
	struct sockaddr_in name;
	socklen_t length = sizeof(name);
	CHECK(getsockname(fd, (struct sockaddr *)&name, &length) == 0 && length == sizeof(name));
	CHECK(name.sin_family == AF_INET && name.sin_port == htons(8080) && name.sin_addr.s_addr == htonl(0x0a630002));
	length = 4; /* truncated, and told the full size */
	memset(&name, 0xff, sizeof(name));
	CHECK(getsockname(fd, (struct sockaddr *)&name, &length) == 0 && length == sizeof(name) && name.sin_family == AF_INET);
	CHECK(name.sin_addr.s_addr == 0xffffffff);
	length = sizeof(name);
	CHECK(getpeername(fd, (struct sockaddr *)&name, &length) == -1 && errno == ENOTCONN);
	CHECK(accept(fd, NULL, NULL) == -1 && errno == EINVAL); /* not listening */
	CHECK(shutdown(fd, 7) == -1 && errno == EINVAL);
	close(fd);
}

static struct sock *hook_listener;
static void queue_connection_on_third_wait(void)
{
	if (sleeping_waits == 3) {
		fake_of(hook_listener)->queued = 1;
		sock_wake(hook_listener);
	}
}

static void test_accept(void)
{
	CHECK(ready_lines == 0); /* waits before anything was bound do not count */
	int listener = listening_socket();
	hook_listener = last_listener;
	CHECK(fcntl(listener, F_SETFL, O_NONBLOCK) == 0);
	CHECK(accept(listener, NULL, NULL) == -1 && errno == EAGAIN && ready_lines == 0);
	CHECK(fcntl(listener, F_SETFL, 0) == 0);
	sleeping_waits = 0;
	wait_hook = queue_connection_on_third_wait;
	struct sockaddr_in peer;
	socklen_t length = sizeof(peer);
	int child = accept4(listener, (struct sockaddr *)&peer, &length, SOCK_NONBLOCK);
	wait_hook = NULL;
	CHECK(child == 4 && sleeping_waits == 3 && ready_lines == 1);
	CHECK(length == sizeof(peer) && peer.sin_port == htons(40000) && peer.sin_addr.s_addr == htonl(0x0a630001));
	CHECK(fcntl(child, F_GETFL) & O_NONBLOCK);
	CHECK(accept4(listener, NULL, NULL, 0x1) == -1 && errno == EINVAL);
	/* EMFILE leaves the connection queued. */
	int fillers[3];
	for (int i = 0; i < 3; i++)
		fillers[i] = socket(AF_INET, SOCK_STREAM, 0);
	fake_of(last_listener)->queued = 1;
	CHECK(accept(listener, NULL, NULL) == -1 && errno == EMFILE && fake_of(last_listener)->queued == 1);
	close(fillers[0]);
	CHECK(accept(listener, NULL, NULL) == 5);
	close(5);
	/* SO_RCVTIMEO bounds a blocking accept. */
	struct timeval timeout = { 0, 20000 };
	CHECK(setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == 0);
	uint64_t start = fake_now_ns;
	CHECK(accept(listener, NULL, NULL) == -1 && errno == EAGAIN && fake_now_ns - start == 20000000);
	for (int fd = 3; fd <= 7; fd++)
		close(fd);
	CHECK(creates == releases && ready_lines == 1);
}

static struct sock *hook_connection;
static void deliver_data_on_wait(void)
{
	struct fake *fake = fake_of(hook_connection);
	if (sleeping_waits == 2) {
		memcpy(fake->received, "hello", 5);
		fake->received_length = 5;
		sock_wake(hook_connection);
	}
	if (sleeping_waits == 4) {
		fake->end_of_stream = true;
		sock_wake(hook_connection);
	}
}

static void free_send_space_on_wait(void)
{
	fake_of(hook_connection)->send_space = 300;
}

static int connected_socket(struct sock **sk)
{
	int listener = listening_socket();
	fake_of(last_listener)->queued = 1;
	int fd = accept(listener, NULL, NULL);
	close(listener);
	*sk = socket_lookup(fd);
	return fd;
}

static void test_receive_and_send(void)
{
	struct sock *sk;
	int fd = connected_socket(&sk);
	hook_connection = sk;
	char buffer[16];
	CHECK(recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT) == -1 && errno == EAGAIN);
	sleeping_waits = 0;
	wait_hook = deliver_data_on_wait;
	CHECK(recv(fd, buffer, sizeof(buffer), 0) == 5 && memcmp(buffer, "hello", 5) == 0 && sleeping_waits == 2);
	CHECK(recv(fd, buffer, sizeof(buffer), 0) == 0 && sleeping_waits == 4); /* end of stream */
	wait_hook = NULL;
	fake_of(sk)->end_of_stream = false;
	/* MSG_WAITALL collects until the buffer is full. */
	memcpy(fake_of(sk)->received, "abc", 3);
	fake_of(sk)->received_length = 3;
	struct timeval timeout = { 0, 5000 };
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == 0);
	CHECK(recv(fd, buffer, 8, MSG_WAITALL) == 3); /* the timeout returns what came */
	uint64_t start = fake_now_ns;
	CHECK(read(fd, buffer, 8) == -1 && errno == EAGAIN && fake_now_ns - start == 5000000);
	/* A blocking send returns only when every byte is taken. */
	static char data[1000];
	fake_of(sk)->send_space = 100;
	wait_hook = free_send_space_on_wait;
	CHECK(send(fd, data, sizeof(data), MSG_NOSIGNAL | MSG_MORE) == 1000 && fake_of(sk)->sent_total == 1000);
	CHECK(fake_of(sk)->last_send_flags == MSG_MORE); /* the socket layer's own flags are not passed on */
	wait_hook = NULL;
	fake_of(sk)->send_space = 10;
	CHECK(send(fd, data, sizeof(data), MSG_DONTWAIT) == 10);
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0);
	CHECK(write(fd, data, 10) == -1 && errno == EAGAIN);
	close(fd);
	CHECK(creates == releases);
}

static void test_send_timeout(void)
{
	struct sock *sk;
	int fd = connected_socket(&sk);
	struct timeval timeout = { 0, 3000 };
	CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) == 0);
	fake_of(sk)->send_space = 4;
	char data[10] = { 0 };
	CHECK(send(fd, data, sizeof(data), 0) == 4); /* partial count at the timeout, as Linux */
	CHECK(send(fd, data, sizeof(data), 0) == -1 && errno == EAGAIN);
	close(fd);
}

/* close() with SO_LINGER: how long it waits and when it does not. Returns
 * the fake nanoseconds close() took; *starts gets close_start's call count. */
static uint64_t timed_close(bool linger_on, int linger_seconds, bool nonblocking, bool would_wait,
			    int steps_until_acked, unsigned *starts)
{
	struct sock *sk;
	int fd = connected_socket(&sk);
	struct linger linger = { linger_on, linger_seconds };
	CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)) == 0);
	if (nonblocking)
		CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0);
	struct fake *fake = fake_of(sk);
	fake->close_would_wait = would_wait;
	fake->steps_until_fin_acked = steps_until_acked;
	lingering = NULL;
	wait_hook = advance_lingering_close;
	unsigned releases_before = releases;
	uint64_t start = fake_now_ns;
	CHECK(close(fd) == 0);                       /* 0 even when the time ran out, as Linux */
	*starts = lingering ? lingering->close_starts : 0;
	CHECK(releases == releases_before + 1);      /* released after the wait, in every case */
	CHECK(socket_lookup(fd) == NULL);
	wait_hook = NULL;
	lingering = NULL;
	return fake_now_ns - start;
}

static void test_linger(void)
{
	const uint64_t ms = 1000000, s = 1000 * ms;
	unsigned starts;
	/* The peer acknowledges after 5 network steps (1 ms each): close() returns then. */
	CHECK(timed_close(true, 2, false, true, 5, &starts) == 5 * ms);
	CHECK(starts == 1);
	/* It never does: close() returns at the linger time, not later. */
	CHECK(timed_close(true, 3, false, true, -1, &starts) == 3 * s);
	/* Non-blocking socket, SO_LINGER 0 (RST) and SO_LINGER off: no wait, and
	 * the protocol is not even asked to begin the close early. */
	CHECK(timed_close(true, 2, true, true, -1, &starts) == 0 && starts == 0);
	CHECK(timed_close(true, 0, false, true, -1, &starts) == 0 && starts == 0);
	CHECK(timed_close(false, 2, false, true, -1, &starts) == 0 && starts == 0);
	/* The protocol has nothing to wait for (it will reset: unread data). */
	CHECK(timed_close(true, 2, false, false, -1, &starts) == 0 && starts == 1);
	/* Already acknowledged by the time close() looks: no wait either. */
	CHECK(timed_close(true, 2, false, true, 0, &starts) == 0 && starts == 1);
}

static void test_options(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int value = 4096, got = 0;
	socklen_t length = sizeof(got);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, sizeof(value)) == 0);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &length) == 0 && got == 8192 && length == sizeof(int));
	value = 1;
	CHECK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &value, sizeof(value)) == 0);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &value, 2) == -1 && errno == EINVAL);
	CHECK(setsockopt(fd, IPPROTO_TCP, 1, &value, sizeof(value)) == 0);
	CHECK(setsockopt(fd, IPPROTO_TCP, 77, &value, sizeof(value)) == -1 && errno == ENOPROTOOPT);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_TYPE, &value, sizeof(value)) == -1 && errno == ENOPROTOOPT);
	length = sizeof(got);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &got, &length) == 0 && got == 1);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &got, &length) == 0 && got == SOCK_STREAM);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &got, &length) == 0 && got == 0);
	struct linger linger = { 1, 5 }, linger_got;
	socklen_t linger_length = sizeof(linger_got);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger)) == 0);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_LINGER, &linger_got, &linger_length) == 0 && linger_got.l_onoff == 1 &&
	      linger_got.l_linger == 5);
	struct timeval bad = { 1, 1000000 }, timeout = { 2, 500 }, timeout_got;
	socklen_t timeout_length = sizeof(timeout_got);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &bad, sizeof(bad)) == -1 && errno == EDOM);
	CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) == 0);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout_got, &timeout_length) == 0 &&
	      timeout_got.tv_sec == 2 && timeout_got.tv_usec == 500);
	struct sock *sk = socket_lookup(fd);
	sk->pending_error = ECONNRESET;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &got, &length) == 0 && got == ECONNRESET);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &got, &length) == 0 && got == 0); /* reading clears it */
	CHECK(getsockopt(42, SOL_SOCKET, SO_ERROR, &got, &length) == -1 && errno == EBADF);
	CHECK(fcntl(fd, F_DUPFD, 0) == -1 && errno == EINVAL);
	close(fd);
}

static void establish_on_second_wait(void)
{
	if (sleeping_waits == 2) {
		fake_of(last_connecting)->connected = true;
		fake_of(last_connecting)->send_space = 100;
		sock_wake(last_connecting);
	}
}

static void refuse_on_second_wait(void)
{
	if (sleeping_waits == 2) {
		last_connecting->pending_error = ECONNREFUSED;
		sock_wake(last_connecting);
	}
}

static void test_connect(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in remote = address_of(0x0a630001, 80);
	fake_of(socket_lookup(fd))->connect_result = -EINPROGRESS;
	sleeping_waits = 0;
	wait_hook = establish_on_second_wait;
	CHECK(connect(fd, (struct sockaddr *)&remote, sizeof(remote)) == 0 && sleeping_waits == 2);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	fake_of(socket_lookup(fd))->connect_result = -EINPROGRESS;
	sleeping_waits = 0;
	wait_hook = refuse_on_second_wait;
	CHECK(connect(fd, (struct sockaddr *)&remote, sizeof(remote)) == -1 && errno == ECONNREFUSED);
	wait_hook = NULL;
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	fake_of(socket_lookup(fd))->connect_result = -EINPROGRESS;
	CHECK(connect(fd, (struct sockaddr *)&remote, sizeof(remote)) == -1 && errno == EINPROGRESS);
	close(fd);
}

static struct sock *poll_target;
static void wake_target_on_fifth_wait(void)
{
	if (sleeping_waits == 5) {
		fake_of(poll_target)->received_length = 1;
		sock_wake(poll_target);
	}
}

static void test_poll(void)
{
	struct sock *a, *b;
	int first = connected_socket(&a), second = connected_socket(&b);
	struct pollfd fds[4] = { { first, POLLIN, 0 }, { -1, POLLIN, 0 }, { 40, POLLIN, 0 }, { second, POLLIN | POLLOUT, 0 } };
	fake_of(b)->send_space = 1;
	CHECK(poll(fds, 4, -1) == 2 && fds[0].revents == 0 && fds[1].revents == 0 && fds[2].revents == POLLNVAL &&
	      fds[3].revents == POLLOUT);
	fake_of(b)->send_space = 0;
	fds[2].fd = -1;
	uint64_t start = fake_now_ns;
	unsigned waits_before = sleeping_waits;
	CHECK(poll(fds, 4, 0) == 0 && fake_now_ns == start && sleeping_waits == waits_before);
	CHECK(poll(fds, 4, 30) == 0 && fake_now_ns - start == 30000000);
	/* Only the woken socket is looked at again after each step. */
	poll_target = b;
	sleeping_waits = 0;
	poll_evaluations = 0;
	wait_hook = wake_target_on_fifth_wait;
	CHECK(poll(fds, 4, -1) == 1 && fds[3].revents == POLLIN && fds[0].revents == 0);
	wait_hook = NULL;
	CHECK(poll_evaluations == 3); /* two at first, one after the wake */
	/* POLLERR is reported even when not asked for; POLLRDNORM follows POLLIN. */
	a->pending_error = ECONNRESET;
	struct pollfd error_entry = { first, POLLRDNORM, 0 };
	CHECK(poll(&error_entry, 1, 0) == 1 && error_entry.revents == POLLERR);
	CHECK(poll(NULL, 100000, 0) == -1 && errno == EINVAL);
	close(first);
	close(second);
	CHECK(creates == releases);
}

int main(void)
{
	test_creation();
	test_bind_and_names();
	test_accept();
	test_receive_and_send();
	test_send_timeout();
	test_linger();
	test_options();
	test_connect();
	test_poll();
	printf("socket: %u checks, %u failures\n", checks, failures);
	return failures != 0;
}
