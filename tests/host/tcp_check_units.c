/* tcp_check_units.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * the pieces of net/tcp/ on their own: sequence arithmetic, SipHash, the
 * byte ring, the reassembly queue, the SACK scoreboard, tcp_rmem/tcp_wmem
 * parsing, SYN cookies and CUBIC's window curve. */
#include <stdio.h>
#include <string.h>

#include "net/core/siphash.h"
#include "net/tcp/congestion.h"
#include "net/tcp/sysctl.h"
#include "tests/host/tcp_check.h"

void test_sequence(void)
{
	CHECK(tcp_seq_lt(1, 2) && !tcp_seq_lt(2, 1) && !tcp_seq_lt(5, 5));
	CHECK(tcp_seq_lt(0xFFFFFFF0u, 0x10));          /* across the wrap */
	CHECK(tcp_seq_gt(0x10, 0xFFFFFFF0u));
	CHECK(tcp_seq_leq(7, 7) && tcp_seq_geq(7, 7));
	CHECK(tcp_seq_in_range(0xFFFFFFFFu, 0xFFFFFFFEu, 3));
	CHECK(!tcp_seq_in_range(3, 0xFFFFFFFEu, 3));
	CHECK_EQ(tcp_seq_max(0xFFFFFFF0u, 0x10), 0x10);
	CHECK_EQ(tcp_seq_min(0xFFFFFFF0u, 0x10), 0xFFFFFFF0u);
	CHECK(tcp_seq_lt(0, 0x7FFFFFFF) && tcp_seq_gt(0, 0x80000001u));
}

void test_siphash(void)
{
	/* The paper's appendix: key 00..0f; messages 00..(n-1). */
	struct siphash_key key = { 0x0706050403020100ull, 0x0F0E0D0C0B0A0908ull };
	uint8_t message[64];
	for (unsigned i = 0; i < sizeof(message); i++)
		message[i] = (uint8_t)i;
	CHECK_EQ(siphash_2_4(&key, message, 0), 0x726fdb47dd0e0e31ull);
	CHECK_EQ(siphash_2_4(&key, message, 15), 0xa129ca6149be45e5ull);
	for (unsigned n = 0; n <= 63; n++)
		printf("siphash %u %016llx\n", n, (unsigned long long)siphash_2_4(&key, message, n));
}

void test_ring(void)
{
	struct tcp_ring ring;
	tcp_ring_init(&ring, 10000);
	uint8_t data[6000], out[6000];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	CHECK_EQ(tcp_ring_write(&ring, 0, data, 3000), 0);
	tcp_ring_commit(&ring, 3000);
	CHECK_EQ(ring.allocated, 4096);                 /* lazily, by doubling */
	tcp_ring_consume(&ring, 2500);
	/* Out of order: 1000 bytes at offset 2000 beyond the committed 500 (wraps the 4096 storage? grows). */
	CHECK_EQ(tcp_ring_write(&ring, 2000, data + 2000, 1000), 0);
	CHECK_EQ(ring.written, 3500);
	CHECK_EQ(tcp_ring_write(&ring, 0, data, 2000), 0);   /* the hole */
	tcp_ring_commit(&ring, 3000);
	CHECK_EQ(ring.used, 3500);
	tcp_ring_peek(&ring, 0, out, 500);
	CHECK(memcmp(out, data + 2500, 500) == 0);
	tcp_ring_peek(&ring, 500, out, 3000);
	CHECK(memcmp(out, data, 3000) == 0);
	CHECK_EQ(tcp_ring_free_space(&ring), 6500);
	/* Growth keeps the uncommitted tail too. */
	CHECK_EQ(tcp_ring_write(&ring, 100, data, 6000), 0);
	CHECK(ring.allocated >= 9600 && ring.allocated <= 10000);
	tcp_ring_peek(&ring, 500, out, 3000);
	CHECK(memcmp(out, data, 3000) == 0);
	tcp_ring_peek(&ring, 3600, out, 6000);
	CHECK(memcmp(out, data, 6000) == 0);
	tcp_ring_set_capacity(&ring, 100);               /* never below what is written */
	CHECK(ring.capacity >= ring.written);
	tcp_ring_release(&ring);
}

void test_reassembly(void)
{
	struct tcp_reassembly queue;
	tcp_reassembly_init(&queue);
	uint32_t base = 0xFFFFFF00u;                     /* ranges across the wrap */
	CHECK_EQ(tcp_reassembly_add(&queue, base + 100, base + 200), 0);
	CHECK_EQ(tcp_reassembly_add(&queue, base + 300, base + 400), 0);
	CHECK_EQ(queue.count, 2);
	CHECK_EQ(tcp_reassembly_add(&queue, base + 200, base + 300), 0);   /* fills the gap: one range */
	CHECK_EQ(queue.count, 1);
	CHECK_EQ(tcp_reassembly_add(&queue, base + 150, base + 160), 0);   /* inside: no change */
	CHECK_EQ(queue.count, 1);
	CHECK_EQ(tcp_reassembly_add(&queue, base + 500, base + 600), 0);
	CHECK_EQ(tcp_reassembly_extent(&queue, base), 600);
	struct tcp_sack_block blocks[4];
	CHECK_EQ(tcp_reassembly_sack_blocks(&queue, blocks, 4), 2);
	CHECK_EQ(blocks[0].start, base + 500);           /* most recent first (RFC 2018 4) */
	CHECK_EQ(blocks[1].start, base + 100);
	CHECK_EQ(tcp_reassembly_advance(&queue, base + 50), base + 50);    /* not reached */
	CHECK_EQ(tcp_reassembly_advance(&queue, base + 100), base + 400);  /* joins the first range */
	CHECK_EQ(queue.count, 1);
	/* The bound: a new hole beyond TCP_REASSEMBLY_RANGES_MAX ranges is refused. */
	tcp_reassembly_init(&queue);
	for (unsigned i = 0; i < TCP_REASSEMBLY_RANGES_MAX; i++)
		CHECK_EQ(tcp_reassembly_add(&queue, 1000 + i * 100, 1000 + i * 100 + 50), 0);
	CHECK_EQ(tcp_reassembly_add(&queue, 100000, 100010), -1);
	CHECK_EQ(tcp_reassembly_add(&queue, 1050, 1100), 0);               /* merging still works */
	CHECK_EQ(queue.count, TCP_REASSEMBLY_RANGES_MAX - 1);
}

void test_scoreboard(void)
{
	struct tcp_scoreboard board;
	tcp_scoreboard_clear(&board);
	struct tcp_sack_block blocks[3] = { { 3000, 4000 }, { 5000, 6000 }, { 100, 200 } };  /* last: a D-SACK */
	tcp_scoreboard_update(&board, blocks, 3, 1000, 10000);
	CHECK_EQ(board.count, 2);
	CHECK_EQ(tcp_scoreboard_sacked_bytes(&board), 2000);
	CHECK_EQ(tcp_scoreboard_highest(&board, 1000), 6000);
	CHECK_EQ(tcp_scoreboard_holes(&board, 1000, 6000), 3000);
	uint32_t start, length;
	CHECK(tcp_scoreboard_next_hole(&board, 1000, 6000, &start, &length) && start == 1000 && length == 2000);
	CHECK(tcp_scoreboard_next_hole(&board, 3500, 6000, &start, &length) && start == 4000 && length == 1000);
	CHECK(!tcp_scoreboard_next_hole(&board, 5000, 6000, &start, &length));
	/* IsLost with mss 500: more than 2 * 500 bytes SACKed above: the
	 * first hole is lost, the second (1000 bytes above it) not yet. */
	CHECK_EQ(tcp_scoreboard_lost_boundary(&board, 1000, 500), 3999);
	CHECK_EQ(tcp_scoreboard_lost_boundary(&board, 1000, 400), 5199);
	tcp_scoreboard_acknowledge(&board, 3500);
	CHECK_EQ(tcp_scoreboard_sacked_bytes(&board), 1500);
	struct tcp_sack_block bogus = { 9000, 20000 };   /* beyond snd_max */
	tcp_scoreboard_update(&board, &bogus, 1, 3500, 10000);
	CHECK_EQ(board.count, 2);
}

void test_buffer_sizes(void)
{
	struct tcp_buffer_sizes sizes = { 1, 2, 3 };
	CHECK(tcp_buffer_sizes_parse("4096,131072,6291456", &sizes));
	CHECK(sizes.minimum == 4096 && sizes.initial == 131072 && sizes.maximum == 6291456);
	CHECK(!tcp_buffer_sizes_parse("4096,131072", &sizes));
	CHECK(!tcp_buffer_sizes_parse("9,8,7", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,2,3,4", &sizes));
	CHECK(!tcp_buffer_sizes_parse("a,2,3", &sizes));
	CHECK(!tcp_buffer_sizes_parse("0,2,3", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,+2,3", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,2,-3", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,2,3x", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,,2,3", &sizes));
	CHECK(!tcp_buffer_sizes_parse("1,2,2147483648", &sizes));   /* above 2^30 */
	CHECK(!tcp_buffer_sizes_parse("", &sizes));
	CHECK(sizes.maximum == 6291456);                 /* unchanged by failures */
	/* sysctl(8)'s own form: blanks (tabs, runs of them) between the numbers. */
	CHECK(tcp_buffer_sizes_parse("4096 87380\t 16777216", &sizes));
	CHECK(sizes.minimum == 4096 && sizes.initial == 87380 && sizes.maximum == 16777216);
	CHECK(tcp_buffer_sizes_parse("10, 20 ,30 ", &sizes));
	CHECK(sizes.minimum == 10 && sizes.initial == 20 && sizes.maximum == 30);
}

void test_syncookie(void)
{
	struct tcp_segment syn = { .source = SHIM_REMOTE_ADDRESS, .destination = SHIM_LOCAL_ADDRESS,
				   .source_port = htons(PEER_PORT), .destination_port = htons(LOCAL_PORT),
				   .seq = 12345, .flags = TCP_FLAG_SYN };
	syn.options.has_mss = true;
	syn.options.mss = 1460;
	uint16_t mss;
	uint32_t cookie = tcp_syncookie_make(&syn, &mss, host_time_now_ns);
	CHECK_EQ(mss, 1460);
	struct tcp_segment ack = syn;
	ack.seq = 12346;
	ack.ack = cookie + 1;
	ack.flags = TCP_FLAG_ACK;
	CHECK_EQ(tcp_syncookie_check(&ack, host_time_now_ns), 1460);
	CHECK_EQ(tcp_syncookie_check(&ack, host_time_now_ns + 100ull * 1000 * MS), 1460);  /* still valid */
	CHECK_EQ(tcp_syncookie_check(&ack, host_time_now_ns + 400ull * 1000 * MS), 0);    /* too old */
	ack.ack ^= 0x10;
	CHECK_EQ(tcp_syncookie_check(&ack, host_time_now_ns), 0);
	ack.ack ^= 0x10;
	ack.source_port = htons(PEER_PORT + 1);                                      /* another 4-tuple */
	CHECK_EQ(tcp_syncookie_check(&ack, host_time_now_ns), 0);
	syn.options.mss = 1300;
	tcp_syncookie_make(&syn, &mss, host_time_now_ns);
	CHECK_EQ(mss, 1300);
	syn.options.has_mss = false;
	tcp_syncookie_make(&syn, &mss, host_time_now_ns);
	CHECK_EQ(mss, 536);
}

void test_cubic(void)
{
	/* A synthetic connection: after a loss at cwnd 100 segments, CUBIC
	 * falls to 70, then grows back toward W_max, concave then convex. */
	struct tcp_sock tcb = { .mss = 1000, .srtt_us = 10000, .snd_una = 0, .snd_max = 100000 };
	tcp_congestion_init(&tcb, &tcp_cubic_ops);
	tcb.cwnd = 100000;
	uint64_t now = host_time_now_ns;
	tcb.ssthresh = tcp_cubic_ops.ssthresh(&tcb, now);
	CHECK_EQ(tcb.ssthresh, 70000);
	tcb.cwnd = tcb.ssthresh;
	uint32_t previous = tcb.cwnd;
	uint32_t at_k = 0;
	for (int ms = 0; ms < 8000; ms += 10) {
		tcp_cubic_ops.avoid(&tcb, tcb.cwnd / 10, now + (uint64_t)ms * MS);   /* ~one RTT of ACKs per 10 ms in slices */
		CHECK(tcb.cwnd >= previous);
		previous = tcb.cwnd;
		if (ms == (int)tcb.cubic.k_ms / 10 * 10)
			at_k = tcb.cwnd;
	}
	/* K = cbrt(30 / 0.4) = 4.2 s: the plateau near W_max = 100 segments there. */
	CHECK(tcb.cubic.k_ms > 4000 && tcb.cubic.k_ms < 4400);
	CHECK(at_k >= 95000 && at_k <= 110000);
	CHECK(tcb.cwnd > 110000);                        /* convex region beyond K */
	/* Fast convergence: a second loss below W_max lowers W_max. */
	tcb.cwnd = 80000;
	tcp_cubic_ops.ssthresh(&tcb, now);
	CHECK_EQ(tcb.cubic.w_max, 80 * 1024 * 17 / 20);
}
