/* udp_test_echo.c - `keel.udp.testecho=<port>`: an in-kernel UDP echo
 * (RFC 862) straight on the SOCK_DGRAM ops, with no application and no
 * descriptor, for tests of UDP, fragmentation and reassembly in any image.
 * A service (net/core/service.h): the socket is made when the stack starts;
 * every datagram queued on it is sent back to its sender at once, from the
 * receive path.
 *
 * `keel.udp.testconnected=<port>`: the same echo on a socket that connect()s
 * to the first peer it hears from (as a TFTP-style server does), for tests
 * of ICMP errors on connected sockets: when a receive reports the socket's
 * pending error (ECONNREFUSED after a port unreachable), it prints
 * "udp: testconnected: error <errno>" and dissolves the connection, so the
 * next peer is served again.
 *
 * `keel.udp.testshutdown=<port>`: a datagram to that port shuts keel down
 * as if the app had exited (kernel_shutdown: the shutdown stats dump, then
 * halt), for tests that read the dump; from a timer, once the receive path
 * has unwound. */
#include "net/udp/udp.h"

#include <errno.h>
#include <stdlib.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/panic.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/service.h"
#include "net/wire/udp.h"

#define KEY_PREFIX "keel.udp."   /* log lines name the echo by the rest of its key */

CMDLINE_KEY("keel.udp.testecho", "<port>: in-kernel UDP echo on that port (tests)");
CMDLINE_KEY("keel.udp.testconnected", "<port>: in-kernel UDP echo that connects to its first peer (tests)");
CMDLINE_KEY("keel.udp.testshutdown", "<port>: a UDP datagram to that port shuts keel down (tests)");

static struct sock echo_sock = { .ops = &udp_ops, .fd = -1 };
static struct sock connected_sock = { .ops = &udp_ops, .fd = -1 };
static struct sock shutdown_sock = { .ops = &udp_ops, .fd = -1 };
static struct timer shutdown_timer;
static bool connected_to_peer;
static uint8_t echo_buffer[UDP_PAYLOAD_MAX];

static void echo_all(struct sock *sk)
{
	for (;;) {
		struct sock_endpoint from;
		long length = sk->ops->receive(sk, echo_buffer, sizeof(echo_buffer), 0, &from);
		if (length < 0)
			return;
		long sent = sk->ops->send(sk, echo_buffer, (size_t)length, 0, &from);
		if (sent < 0)
			pr_warn("udp: testecho: send of %ld bytes failed (%ld)\n", length, sent);
	}
}

/* Echoes on the connected socket; an error (reported once) ends the connection. */
static void echo_connected(struct sock *sk)
{
	for (;;) {
		struct sock_endpoint from;
		long length = sk->ops->receive(sk, echo_buffer, sizeof(echo_buffer), 0, &from);
		if (length == -EAGAIN)
			return;
		if (length < 0) {
			pr_info("udp: testconnected: error %ld\n", -length);
			static const struct sock_endpoint dissolve = { 0, 0 };   /* AF_UNSPEC */
			sk->ops->connect(sk, &dissolve);
			connected_to_peer = false;
			continue;
		}
		if (!connected_to_peer && sk->ops->connect(sk, &from) == 0)
			connected_to_peer = true;
		long sent = sk->ops->send(sk, echo_buffer, (size_t)length, 0, connected_to_peer ? NULL : &from);
		if (sent < 0)
			pr_warn("udp: testconnected: send of %ld bytes failed (%ld)\n", length, sent);
	}
}

static void shutdown_now(struct timer *timer, void *context)
{
	/* Read the datagrams that asked for it first: the dump then shows the
	 * stack at rest, no pkt or heap held for them (tests/soak compares the
	 * dump's pool and heap with their levels after boot). */
	uint8_t discard[1];
	while (shutdown_sock.ops->receive(&shutdown_sock, discard, sizeof(discard), 0, NULL) >= 0)
		;
	kernel_shutdown("a datagram to keel.udp.testshutdown");
}

static void shutdown_soon(struct sock *sk)
{
	if (shutdown_timer.armed)
		return;
	timer_setup(&shutdown_timer, shutdown_now, NULL);
	timer_arm(&shutdown_timer, clock_monotonic_ns());
}

static void start_one(struct sock *sk, const char *key, void (*callback)(struct sock *sk))
{
	uint64_t port = cmdline_get_u64(key, 0);
	if (port == 0 || port > 65535)
		return;
	struct sock_endpoint local = { 0, htons((uint16_t)port) };
	if (udp_ops.create(sk) != 0 || udp_ops.bind(sk, &local) != 0) {
		pr_warn("udp: %s: cannot bind port %llu\n", key + sizeof(KEY_PREFIX) - 1, (unsigned long long)port);
		return;
	}
	udp_socket_set_data_ready(sk, callback);
	pr_info("udp: %s on port %llu\n", key + sizeof(KEY_PREFIX) - 1, (unsigned long long)port);
}

static void udp_test_echo_start(void)
{
	start_one(&echo_sock, "keel.udp.testecho", echo_all);
	start_one(&connected_sock, "keel.udp.testconnected", echo_connected);
	start_one(&shutdown_sock, "keel.udp.testshutdown", shutdown_soon);
}

NET_SERVICE("udp test echo", udp_test_echo_start);
