/* tcp_testhold.c - `keel.tcp.testhold=<port>`: a TCP listener for tests
 * that never accepts, so its accept queue fills as a Linux listener's does
 * when the application stops calling accept(), and a way to make it call
 * listen() again at run time: a UDP datagram to the same port number.
 *
 * Why: Linux applies net.core.somaxconn in listen() (__sys_listen caps the
 * backlog with it; listen() on a listening socket updates the limit), and
 * so does keel (net/tcp/listen.c); every other keel listener listens once
 * at boot, so only this one shows a `sysctl -w net.core.somaxconn=N` made
 * later reaching the backlog a SYN burst meets. The datagram is answered
 * "listen R\n" (listen()'s return, 0 or -errno) once the listen() is done;
 * the limit it set shows as the listener's Send-Q in `ss -tln`. Test
 * only: nothing is read from the datagram, and the queued connections stay
 * until keel stops (at most the listener's limit + 1, as Linux's queue). */
#include <stdio.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/core/service.h"
#include "net/tcp/internal.h"
#include "net/udp/udp.h"

CMDLINE_KEY("keel.tcp.testhold", "<port>: TCP listener that never accepts; a UDP datagram to the port re-calls listen() (tests)");

/* What the test listener asks listen() for; somaxconn caps it, as on Linux. */
#define HOLD_BACKLOG 4096

static struct sock *listener;
static struct sock poke_sock = { .ops = &udp_ops, .fd = -1 };

static void relisten_on_poke(struct sock *sk)
{
	for (;;) {
		struct sock_endpoint from;
		uint8_t discard[16];
		if (sk->ops->receive(sk, discard, sizeof(discard), 0, &from) < 0)
			return;
		char answer[32];
		int length = snprintf(answer, sizeof(answer), "listen %d\n", tcp_ops.listen(listener, HOLD_BACKLOG));
		sk->ops->send(sk, answer, (size_t)length, 0, &from);
		pr_info("tcp: testhold: listen() again: %s", answer);
	}
}

static void tcp_testhold_start(void)
{
	uint64_t port = cmdline_get_u64("keel.tcp.testhold", 0);
	if (port == 0 || port > 65535 || listener)
		return;
	listener = sock_allocate(&tcp_ops);
	struct sock_endpoint local = { 0, htons((uint16_t)port) };
	if (listener == NULL || tcp_ops.bind(listener, &local) != 0 || tcp_ops.listen(listener, HOLD_BACKLOG) != 0) {
		pr_warn("tcp: testhold: cannot listen on port %u\n", (unsigned)port);
		return;
	}
	if (udp_ops.create(&poke_sock) != 0 || udp_ops.bind(&poke_sock, &local) != 0) {
		pr_warn("tcp: testhold: cannot bind UDP port %u\n", (unsigned)port);
		return;
	}
	udp_socket_set_data_ready(&poke_sock, relisten_on_poke);
	pr_info("tcp: testhold: listener on port %u (never accepts; UDP to the port re-listens)\n", (unsigned)port);
}

NET_SERVICE("tcp test holding listener", tcp_testhold_start);
