/* udp_test_echo.c - `keel.udp.testecho=<port>`: an in-kernel UDP echo
 * (RFC 862) straight on the SOCK_DGRAM ops, with no application and no
 * descriptor, for tests of UDP, fragmentation and reassembly in any image.
 * The socket is made on the first UDP datagram the stack receives (there is
 * no init hook for the stack's own users); every datagram queued on it is
 * sent back to its sender at once, from the receive path. */
#include "net/udp.h"

#include <stdlib.h>

#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "net/wire/udp.h"

CMDLINE_KEY("keel.udp.testecho", "<port>: in-kernel UDP echo on that port (tests)");

static struct sock echo_sock = { .ops = &udp_ops, .fd = -1 };
static bool echo_started;
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

void udp_test_echo_start(void)
{
	if (echo_started)
		return;
	echo_started = true;
	uint64_t port = cmdline_get_u64("keel.udp.testecho", 0);
	if (port == 0 || port > 65535)
		return;
	struct sock_endpoint local = { 0, htons((uint16_t)port) };
	if (udp_ops.create(&echo_sock) != 0 || udp_ops.bind(&echo_sock, &local) != 0) {
		pr_warn("udp: testecho: cannot bind port %llu\n", (unsigned long long)port);
		return;
	}
	udp_socket_set_data_ready(&echo_sock, echo_all);
	pr_info("udp: testecho on port %llu\n", (unsigned long long)port);
}
