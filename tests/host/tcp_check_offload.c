/* tcp_check_offload.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * transmit offloads seen from TCP: TSO super-segments cut by software GSO,
 * zero-copy sends of immutable memory, and GSO's refusal of what it cannot
 * cut. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/core/gso.h"
#include "net/wire/ipv4.h"
#include "tests/host/tcp_check.h"

/* On a TSO device one pkt carries many segments; cut by net/core/gso.c as the
 * device would, the frames are the MSS-sized, contiguous, correctly
 * checksummed segments of the data, PSH only where the data ends. */
void test_tso_super_segments(void)
{
	shim_device.features = NETDEV_FEATURE_TSO4 | NETDEV_FEATURE_SCATTER_GATHER | NETDEV_FEATURE_TX_CHECKSUM;
	shim_device.tso_max_bytes = 65535;
	shim_device.tx_max_buffers = 40;
	unsigned supers_before = shim_super_segments;
	struct connection c;
	establish(&c, true);
	c.peer_window = 65535;                          /* << 7: far beyond cwnd */
	peer_ack(&c);
	static uint8_t big[300000];
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8));
	uint32_t start = c.our_next, buffered = 0;
	for (int round = 0; round < 40 && c.our_next - start < sizeof(big); round++) {
		long taken = tcp_ops.send(c.sk, big + buffered, sizeof(big) - buffered, 0, NULL);
		if (taken > 0)
			buffered += (uint32_t)taken;
		unsigned segments = 0;
		struct output out;
		while ((out = take(&c)).present) {
			CHECK_EQ(out.seq, c.our_next);
			uint32_t offset = out.seq - start;
			bool ends_buffered = offset + out.length == buffered;
			CHECK(out.length == 1448 || ends_buffered);
			CHECK_EQ(!!(out.flags & TCP_FLAG_PSH), ends_buffered);
			CHECK(memcmp(out.payload, big + offset, out.length) == 0);
			c.our_next += out.length;
			segments++;
		}
		CHECK(segments > 0);
		peer_ack(&c);                           /* everything: cwnd grows */
	}
	CHECK_EQ(c.our_next - start, sizeof(big));
	CHECK(shim_super_segments - supers_before >= 5);
	close_all(&c);
	shim_device.features = 0;
	check_pool_full();
}

/* Bytes of immutable memory are referenced, not copied: the stream the
 * peer sees is the same mix of copied headers and referenced bodies, in
 * order, also when the span table fills up (send takes less, then more
 * once ACKs free spans), and nothing is left behind. */
void test_zero_copy_send(void)
{
	shim_device.features = NETDEV_FEATURE_TSO4 | NETDEV_FEATURE_SCATTER_GATHER | NETDEV_FEATURE_TX_CHECKSUM;
	shim_device.tso_max_bytes = 65535;
	shim_device.tx_max_buffers = 8;                 /* a few responses per pkt: TCP must cut there */
	unsigned oversized_before = shim_oversized_chains, supers_before = shim_super_segments;
	static uint8_t site[64 * 1024];                 /* the "embedded file": never written after this */
	for (unsigned i = 0; i < sizeof(site); i++)
		site[i] = (uint8_t)(i * 13 + (i >> 9));
	shim_set_immutable(site, sizeof(site));
	uint64_t zero_copy_before = tcp_counters[TCP_OUT_ZERO_COPY_BYTES];
	struct connection c;
	establish(&c, true);
	c.peer_window = 65535;
	peer_ack(&c);
	/* 40 responses: a copied head, then a 3000-byte body from a different
	 * place in the site each time (so spans never merge). */
	static uint8_t expected[40 * (16 + 3000)];
	uint32_t expected_length = 0, start = c.our_next, buffered = 0;
	for (unsigned response = 0; response < 40; response++) {
		char head[17];
		snprintf(head, sizeof(head), "HTTP/1.1 %03u OK", response);
		memcpy(expected + expected_length, head, 16);
		memcpy(expected + expected_length + 16, site + response * 1500, 3000);
		expected_length += 16 + 3000;
	}
	unsigned eagain = 0, pieces = 0, rounds = 0;
	while ((c.our_next - start < expected_length) && rounds++ < 200) {
		/* Queue pieces in order (head copied, body referenced) until send refuses. */
		while (pieces < 80) {
			unsigned response = pieces / 2;
			const uint8_t *piece = pieces % 2 ? site + response * 1500 : expected + response * 3016;
			uint32_t piece_length = pieces % 2 ? 3000 : 16;
			uint32_t piece_start = response * 3016 + (pieces % 2 ? 16 : 0);
			uint32_t done = buffered - piece_start;
			long taken = tcp_ops.send(c.sk, piece + done, piece_length - done, MSG_MORE, NULL);
			if (taken == -EAGAIN) {
				eagain++;
				break;
			}
			CHECK(taken > 0);
			buffered += (uint32_t)taken;
			if ((uint32_t)taken < piece_length - done)
				break;
			pieces++;
		}
		tcp_output(c.tcb);
		struct output out;
		while ((out = take(&c)).present) {
			CHECK_EQ(out.seq, c.our_next);
			CHECK(out.seq - start + out.length <= buffered);
			CHECK(memcmp(out.payload, expected + (out.seq - start), out.length) == 0);
			c.our_next += out.length;
		}
		peer_ack(&c);
	}
	CHECK_EQ(c.our_next - start, expected_length);
	CHECK(eagain > 0);                              /* the span table did fill up */
	CHECK(shim_super_segments > supers_before);
	CHECK_EQ(shim_oversized_chains, oversized_before);
	/* Bodies go by reference, except pieces that found the table full
	 * behind a copied span, or remainders too small to be worth a span. */
	uint64_t referenced = tcp_counters[TCP_OUT_ZERO_COPY_BYTES] - zero_copy_before;
	CHECK(referenced >= 40 * 3000 / 2 && referenced <= 40 * 3000);
	close_all(&c);
	shim_set_immutable(NULL, 0);
	shim_device.features = 0;
	check_pool_full();
}

static int frame_never_sent(struct netdev *unused, struct pkt *frame)
{
	printf("FAIL: a frame came out of a malformed super-segment\n");
	failures++;
	pkt_free(frame);
	return -1;
}

/* Software GSO refuses what it cannot cut (not IPv4; IPv4 and TCP but the
 * TCP header missing from the head buffer): dropped whole and counted,
 * nothing sent, every buffer of the chain back in the pool. */
void test_gso_malformed(void)
{
	static struct netdev plain = { .name = "gso1", .mtu = 1500 };
	for (int shape = 0; shape < 2; shape++) {
		struct pkt *pkt = pkt_alloc();
		uint8_t *frame = pkt_put(pkt, shape == 0 ? 60 : 14 + 20);
		memset(frame, 0, pkt->length);
		if (shape == 1) {
			frame[12] = 0x08;                       /* IPv4 */
			frame[14] = 0x45;                       /* version 4, IHL 5 */
			frame[14 + 9] = IP_PROTOCOL_TCP;
		}
		struct pkt *fragment = pkt_alloc();
		memset(pkt_put(fragment, PKT_DATA_SIZE), 7, PKT_DATA_SIZE);
		pkt_append_fragment(pkt, fragment);
		pkt->gso_size = 1448;
		uint64_t drops_before = net_drop_count(NET_DROP_GSO_MALFORMED);
		CHECK_EQ(gso_transmit(&plain, pkt, frame_never_sent), -1);
		CHECK_EQ(net_drop_count(NET_DROP_GSO_MALFORMED) - drops_before, 1);
		check_pool_full();
	}
}
