/* tcp_testlisten.c - an in-kernel TCP echo service (RFC 862) for tests,
 * built on TCP's own socket ops: `keel.tcp.testlisten=<port>`. It lets the
 * TCP tests run without any application in the image. A service
 * (net/core/service.h): TCP calls back through each connection's
 * service_wake, which only puts the connection on a list; the work is done
 * from a timer callback, never inside segment processing.
 *
 * Echo never reads more than the send buffer can take, so a peer that
 * stops reading stops us reading too: its window, then ours, closes. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/service.h"
#include "net/tcp/internal.h"

CMDLINE_KEY("keel.tcp.testlisten", "in-kernel TCP echo server on this port, for tests");

#define ECHO_CHUNK 4096
#define ECHO_BACKLOG 1024

static struct sock *listener;
static struct tcp_sock *work_list;
static struct timer work_timer;

static void connection_changed(struct tcp_sock *tcb);

static void close_connection(struct sock *sk)
{
	sock_free_unaccepted(sk);   /* calls tcp_ops.release: graceful close (or RST with unread data) */
}

/* Returns false when the connection was closed. */
static bool pump(struct sock *sk)
{
	struct tcp_sock *tcb = sk->protocol_state;
	static uint8_t buffer[ECHO_CHUNK];
	for (;;) {
		uint32_t room = tcp_send_queue_free_space(&tcb->send_buffer);
		bool at_end = tcb->fin_received && tcb->receive_buffer.used == 0;
		if (room == 0 && !at_end)
			return true;                         /* wait until the peer acknowledges */
		long received = tcp_ops.receive(sk, buffer, room < ECHO_CHUNK ? room : ECHO_CHUNK, 0, NULL);
		if (received == -EAGAIN)
			return true;
		if (received <= 0) {                     /* end of stream or error: echo done */
			close_connection(sk);
			return false;
		}
		if (tcp_ops.send(sk, buffer, (size_t)received, 0, NULL) != received) {
			close_connection(sk);
			return false;
		}
	}
}

static void accept_all(void)
{
	struct sock *child;
	while (tcp_ops.accept(listener, &child) == 0) {
		struct tcp_sock *tcb = child->protocol_state;
		tcb->service_wake = connection_changed;
		int on = 1;
		tcp_ops.setsockopt(child, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		connection_changed(tcb);
	}
}

static void run_work(struct timer *timer, void *context)
{
	while (work_list) {
		struct tcp_sock *tcb = work_list;
		work_list = tcb->test_next;
		tcb->test_dirty = false;
		tcb->test_next = NULL;
		if (tcb->sk == listener)
			accept_all();
		else if (tcb->sk)
			pump(tcb->sk);
	}
}

static void connection_changed(struct tcp_sock *tcb)
{
	if (tcb->test_dirty || tcb->sk == NULL)
		return;
	tcb->test_dirty = true;
	tcb->test_next = work_list;
	work_list = tcb;
	if (!work_timer.armed)
		timer_arm(&work_timer, clock_monotonic_ns());
}

static void tcp_testlisten_start(void)
{
	uint64_t port = cmdline_get_u64("keel.tcp.testlisten", 0);
	if (port == 0 || port > 65535 || listener)
		return;
	timer_setup(&work_timer, run_work, NULL);
	listener = sock_allocate(&tcp_ops);
	if (listener == NULL) {
		pr_warn("tcp: test listener: no socket\n");
		return;
	}
	struct sock_endpoint local = { 0, htons((uint16_t)port) };
	listener->reuse_address = true;
	if (tcp_ops.bind(listener, &local) != 0 || tcp_ops.listen(listener, ECHO_BACKLOG) != 0) {
		pr_warn("tcp: test listener: cannot listen on port %u\n", (unsigned)port);
		return;
	}
	((struct tcp_sock *)listener->protocol_state)->service_wake = connection_changed;
	pr_info("tcp: test echo listener on port %u\n", (unsigned)port);
}

NET_SERVICE("tcp test echo listener", tcp_testlisten_start);
