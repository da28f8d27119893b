/* fuzz_wire.c - libFuzzer harness: Ethernet frames into the real stack
 * (net/ethernet, net/ipv4 with options, fragmentation and reassembly,
 * ICMP with the quoted headers of errors, net/udp), compiled unchanged
 * over tests/host/wire_host_shim.c (eth0 = 10.99.0.2/24, a capture device,
 * a fake clock). A UDP socket is bound to port 5000 so datagrams reach a
 * socket as well as the port-unreachable path.
 *
 * Input: a sequence of frames, each a 2-byte big-endian header then the
 * frame. The header's low 11 bits are the frame's length (cut to what is
 * left and to the largest frame a driver hands up); its high 4 bits, when
 * not 0, first move the clock on by step^2 * 250 ms, so reassembly, ARP
 * and rate-limit timers fire between frames. Sequences reach fragment
 * reassembly (several fragments of one datagram) and ARP-then-IP paths.
 * Bit 11 set turns IPv4 forwarding on for that frame (net.ipv4.ip_forward,
 * net/ipv4/forward.c: out of eth0 again, redirects, ICMP errors). An input
 * of odd length runs as with connection tracking on: every fragment is
 * reassembled before PRE_ROUTING (nf_defrag_ipv4_enabled, net/ipv4/input.c),
 * delivered whole or forwarded and cut again (a whole-system setting in
 * keel, so one per input; no header bit is free).
 *
 * After each input the clock moves on 600 s (every ARP entry, reassembly
 * and timer expired), the socket is drained, and the packet pool must be
 * full again: a pkt still out is a leak, and the harness aborts on it. A
 * kernel panic() is an abort too (tests/host/host_check.h defines it).
 *
 * FUZZ_WIRE_TRACE=1 in the environment prints, per frame of an input, its
 * length and how many frames the stack sent in answer (for reading a
 * reproducer; WIRE_CHECK_VERBOSE=1 adds the kernel's console). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/ipv4/forward.h"
#include "net/ipv4/icmp.h"
#include "net/netfilter/netfilter.h"
#include "net/socket/sock.h"
#include "net/udp/udp.h"
#include "tests/host/host_check.h"
#include "tests/host/host_time_shim.h"
#include "tests/host/wire_host_shim.h"

#define FRAME_LENGTH_MASK 0x07ffu
#define FRAME_FORWARDING_BIT 11
#define FRAME_MAX 1518u                       /* the largest frame with a 1500-byte MTU, FCS stripped */
#define STEP_NS (250ull * 1000000ull)
#define SETTLE_NS (600ull * 1000000000ull)    /* beyond every ARP and reassembly timer */
#define BOUND_PORT 5000

static struct sock bound_socket;
static int trace;

static void start_once(void)
{
	static int started;
	if (started)
		return;
	started = 1;
	trace = getenv("FUZZ_WIRE_TRACE") != NULL;
	wire_shim_start();
	bound_socket = (struct sock){ .ops = &udp_ops, .fd = -1 };
	const struct sock_endpoint local = { 0, htons(BOUND_PORT) };
	if (udp_ops.create(&bound_socket) != 0 || udp_ops.bind(&bound_socket, &local) != 0) {
		fprintf(stderr, "fuzz_wire: could not bind UDP port %d\n", BOUND_PORT);
		abort();
	}
}

static void drain_socket(void)
{
	uint8_t buffer[2048];
	while (udp_ops.receive(&bound_socket, buffer, sizeof(buffer), 0, NULL) != -EAGAIN)
		;
}

static void settle_and_check_pool(void)
{
	host_time_advance(SETTLE_NS);
	wire_discard_output();
	drain_socket();
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	if (stats.free != stats.total) {
		fprintf(stderr, "fuzz_wire: packet pool leak: %u of %u pkts free after the input settled\n",
			(unsigned)stats.free, (unsigned)stats.total);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	start_once();
	icmp_ratelimit_reset();
	nf_defrag_ipv4_enabled = size & 1;
	size_t offset = 0;
	while (size - offset >= 2) {
		unsigned header = (unsigned)data[offset] << 8 | data[offset + 1];
		offset += 2;
		unsigned step = header >> 12;
		if (step)
			host_time_advance(step * step * STEP_NS);
		size_t length = header & FRAME_LENGTH_MASK;
		ipv4_forwarding_set_all((header >> FRAME_FORWARDING_BIT) & 1);
		if (length > size - offset)
			length = size - offset;
		if (length > FRAME_MAX)
			length = FRAME_MAX;
		wire_receive(data + offset, (unsigned)length);
		offset += length;
		if (trace)
			fprintf(stderr, "fuzz_wire: frame of %zu bytes in, %u frames out\n", length, wire_pending());
		wire_discard_output();
		drain_socket();
	}
	ipv4_forwarding_set_all(false);
	settle_and_check_pool();
	nf_defrag_ipv4_enabled = false;
	return 0;
}
