/* tcp_check.c - host driver for tests/host/test_tcp.py: net/tcp/
 * compiled for the host (ASan + UBSan) over tcp_host_shim.c, driven by
 * scripted segments: the test plays the peer, injects segments through
 * tcp_input, reads what TCP sent from the captured output, and moves a
 * fake clock to fire timers.
 *
 *   tcp_check <test>      runs one test (or "all"); prints "<test>: N failures"
 *   tcp_check list        prints the test names
 *   tcp_check options <hex>   parses option bytes, prints the result
 *
 * Every test ends with the packet pool full again (no pkt leaked); LeakSanitizer
 * checks the heap at exit (every socket is closed and every tcb freed). */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/time/clock.h"
#include "net/core/gso.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "net/core/siphash.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/ipv4.h"
#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"
#include "net/tcp/listen.h"
#include "net/tcp/sysctl.h"
#include "net/tcp/tcp.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "tests/host/host_check.h"
#include "tests/host/tcp_host_shim.h"

#define CHECK_EQ(actual, expected)                                                                \
	do {                                                                                      \
		long long actual_value = (long long)(actual), expected_value = (long long)(expected); \
		if (actual_value != expected_value) {                                             \
			printf("FAIL: %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
			       #actual, actual_value, #expected, expected_value);                 \
			failures++;                                                               \
		}                                                                                 \
	} while (0)

#ifndef IPPROTO_TCP
#define IPPROTO_TCP 6
#endif
#define PEER_PORT 40000
#define LOCAL_PORT 80
#define PEER_ISS 1000u
#define POOL_SIZE 256
#define MS (1000000ull)

/* ---- the packet pool ---------------------------------------------------- */

static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

static void pool_create(void)
{
	pool_buffers = malloc((size_t)POOL_SIZE * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(POOL_SIZE * sizeof(struct pkt));
	pool_in_use = malloc(POOL_SIZE);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, POOL_SIZE);
}

static void check_pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK_EQ(stats.free, stats.total);
}

/* ---- the peer: segments in, segments out ------------------------------------ */

struct segment {
	uint16_t source_port, destination_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint8_t options[TCP_OPTIONS_MAX_LENGTH];
	unsigned options_length;
	const void *data;
	unsigned length;
};

static void inject(const struct segment *segment)
{
	struct pkt *pkt = pkt_alloc();
	CHECK(pkt != NULL);
	if (pkt == NULL)
		return;
	unsigned tcp_length = TCP_HEADER_MIN_LENGTH + segment->options_length + segment->length;
	uint8_t *bytes = pkt_put(pkt, IPV4_HEADER_MIN_LENGTH + tcp_length);
	struct ipv4_header *ip = (struct ipv4_header *)bytes;
	*ip = (struct ipv4_header){ .version_ihl = 0x45, .total_length = htons((uint16_t)(20 + tcp_length)),
				    .time_to_live = 64, .protocol = IP_PROTOCOL_TCP, .source = SHIM_REMOTE_ADDRESS,
				    .destination = SHIM_LOCAL_ADDRESS };
	struct tcp_header *tcp = (struct tcp_header *)(bytes + IPV4_HEADER_MIN_LENGTH);
	*tcp = (struct tcp_header){ .source_port = htons(segment->source_port),
				    .destination_port = htons(segment->destination_port),
				    .sequence = htonl(segment->seq), .acknowledgment = htonl(segment->ack),
				    .data_offset = (uint8_t)(((20 + segment->options_length) / 4) << 4),
				    .flags = segment->flags, .window = htons(segment->window) };
	memcpy(tcp + 1, segment->options, segment->options_length);
	if (segment->length)
		memcpy((uint8_t *)(tcp + 1) + segment->options_length, segment->data, segment->length);
	tcp_checksum_fill(tcp, tcp_length, SHIM_REMOTE_ADDRESS, SHIM_LOCAL_ADDRESS);
	pkt_set_network_header(pkt);
	pkt_pull(pkt, IPV4_HEADER_MIN_LENGTH);
	pkt_set_transport_header(pkt);
	tcp_input(&shim_device, pkt);
}

struct output {
	bool present;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint16_t source_port, destination_port;
	struct tcp_options options;
	unsigned length;
	uint8_t payload[SHIM_SEGMENT_MAX];
};

static struct output next_output(void)
{
	struct output out = { 0 };
	const struct shim_segment *segment = shim_take();
	if (segment == NULL)
		return out;
	CHECK(segment->checksum_ok);
	const struct tcp_header *tcp = (const struct tcp_header *)segment->bytes;
	unsigned header_length = tcp_header_length(tcp);
	out.present = true;
	out.seq = ntohl(tcp->sequence);
	out.ack = ntohl(tcp->acknowledgment);
	out.flags = tcp->flags;
	out.window = ntohs(tcp->window);
	out.source_port = ntohs(tcp->source_port);
	out.destination_port = ntohs(tcp->destination_port);
	tcp_options_parse(segment->bytes + 20, header_length - 20, &out.options);
	out.length = segment->length - header_length;
	memcpy(out.payload, segment->bytes + header_length, out.length);
	return out;
}

/* ---- a connection fixture: the test is the peer at 10.0.0.2:40000 ------------- */

struct connection {
	struct sock *listener;
	struct sock *sk;
	struct tcp_sock *tcb;
	uint32_t peer_next;       /* next sequence number the peer sends */
	uint32_t our_next;        /* next sequence number we send (what the peer acknowledges) */
	uint32_t ts_value;        /* the peer's timestamp clock */
	uint32_t our_ts;          /* our last timestamp seen */
	bool timestamps;
	uint16_t peer_window;     /* unscaled field the peer advertises */
};

static void add_timestamps(struct segment *segment, const struct connection *c)
{
	if (c->timestamps)
		segment->options_length = tcp_options_write(segment->options, true, c->ts_value, c->our_ts, NULL, 0);
}

/* The peer sends data (and flags) at peer_next, acknowledging our_next. */
static void peer_send(struct connection *c, uint8_t flags, const void *data, unsigned length)
{
	struct segment segment = { PEER_PORT, LOCAL_PORT, c->peer_next, c->our_next, flags, c->peer_window };
	segment.data = data;
	segment.length = length;
	c->ts_value++;
	add_timestamps(&segment, c);
	inject(&segment);
	c->peer_next += length + !!(flags & TCP_FLAG_FIN) + !!(flags & TCP_FLAG_SYN);
}

static void peer_ack(struct connection *c) { peer_send(c, TCP_FLAG_ACK, NULL, 0); }

static struct output take(struct connection *c)
{
	struct output out = next_output();
	if (out.present && out.options.has_timestamps)
		c->our_ts = out.options.ts_value;
	return out;
}

static struct sock *open_listener(uint16_t port, int backlog)
{
	struct sock *listener = sock_allocate(&tcp_ops);
	struct sock_endpoint local = { 0, htons(port) };
	CHECK_EQ(tcp_ops.bind(listener, &local), 0);
	CHECK_EQ(tcp_ops.listen(listener, backlog), 0);
	return listener;
}

static void send_syn(struct connection *c, uint32_t iss, bool options)
{
	struct segment syn = { PEER_PORT, LOCAL_PORT, iss, 0, TCP_FLAG_SYN, 65535 };
	if (options) {
		struct tcp_syn_options offer = { .mss = 1460, .window_scale_ok = true, .window_scale = 7,
						 .sack_permitted = true, .timestamps = true, .ts_value = c->ts_value };
		syn.options_length = tcp_options_write_syn(syn.options, &offer);
	}
	inject(&syn);
}

/* Passive open with every option; leaves the SYN-ACK checked and the connection accepted. */
static void establish(struct connection *c, bool options)
{
	*c = (struct connection){ .peer_next = PEER_ISS, .ts_value = 5000, .timestamps = options, .peer_window = 1000 };
	c->listener = open_listener(LOCAL_PORT, 8);
	send_syn(c, PEER_ISS, options);
	c->peer_next = PEER_ISS + 1;
	struct output synack = take(c);
	CHECK(synack.present);
	CHECK_EQ(synack.flags, TCP_FLAG_SYN | TCP_FLAG_ACK);
	CHECK_EQ(synack.ack, PEER_ISS + 1);
	CHECK(synack.options.has_mss && synack.options.mss == 1460);
	CHECK_EQ(synack.options.has_window_scale, options);
	CHECK_EQ(synack.options.sack_permitted, options);
	CHECK_EQ(synack.options.has_timestamps, options);
	if (options) {
		CHECK_EQ(synack.options.window_scale, tcp_receive_window_shift());
		CHECK_EQ(synack.options.ts_echo, 5000);
	}
	c->our_next = synack.seq + 1;
	struct sock *none;
	CHECK_EQ(tcp_ops.accept(c->listener, &none), -EAGAIN);
	peer_ack(c);
	CHECK_EQ(tcp_ops.accept(c->listener, &c->sk), 0);
	c->tcb = c->sk ? c->sk->protocol_state : NULL;
	CHECK(c->tcb && c->tcb->state == TCP_ESTABLISHED);
	CHECK(!shim_pending());
}

static void close_abortively(struct sock *sk)
{
	sk->linger_on = true;
	sk->linger_seconds = 0;
	sock_free_unaccepted(sk);
}

/* Ends a test: sockets closed abortively (SO_LINGER 0: RST, nothing left behind). */
static void close_all(struct connection *c)
{
	if (c->sk)
		close_abortively(c->sk);
	if (c->listener)
		sock_free_unaccepted(c->listener);
	c->sk = c->listener = NULL;
	shim_advance(200 * 1000 * MS);  /* every TIME_WAIT and retransmission ends */
	shim_discard_output();
}

/* ---- unit tests of the pieces ------------------------------------------------ */

static void test_sequence(void)
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

static void test_siphash(void)
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

static void test_ring(void)
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

static void test_reassembly(void)
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

static void test_scoreboard(void)
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

static void test_buffer_sizes(void)
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

static void test_syncookie(void)
{
	struct tcp_segment syn = { .source = SHIM_REMOTE_ADDRESS, .destination = SHIM_LOCAL_ADDRESS,
				   .source_port = htons(PEER_PORT), .destination_port = htons(LOCAL_PORT),
				   .seq = 12345, .flags = TCP_FLAG_SYN };
	syn.options.has_mss = true;
	syn.options.mss = 1460;
	uint16_t mss;
	uint32_t cookie = tcp_syncookie_make(&syn, &mss, shim_now_ns);
	CHECK_EQ(mss, 1460);
	struct tcp_segment ack = syn;
	ack.seq = 12346;
	ack.ack = cookie + 1;
	ack.flags = TCP_FLAG_ACK;
	CHECK_EQ(tcp_syncookie_check(&ack, shim_now_ns), 1460);
	CHECK_EQ(tcp_syncookie_check(&ack, shim_now_ns + 100ull * 1000 * MS), 1460);  /* still valid */
	CHECK_EQ(tcp_syncookie_check(&ack, shim_now_ns + 400ull * 1000 * MS), 0);    /* too old */
	ack.ack ^= 0x10;
	CHECK_EQ(tcp_syncookie_check(&ack, shim_now_ns), 0);
	ack.ack ^= 0x10;
	ack.source_port = htons(PEER_PORT + 1);                                      /* another 4-tuple */
	CHECK_EQ(tcp_syncookie_check(&ack, shim_now_ns), 0);
	syn.options.mss = 1300;
	tcp_syncookie_make(&syn, &mss, shim_now_ns);
	CHECK_EQ(mss, 1300);
	syn.options.has_mss = false;
	tcp_syncookie_make(&syn, &mss, shim_now_ns);
	CHECK_EQ(mss, 536);
}

static void test_cubic(void)
{
	/* A synthetic connection: after a loss at cwnd 100 segments, CUBIC
	 * falls to 70, then grows back toward W_max, concave then convex. */
	struct tcp_sock tcb = { .mss = 1000, .srtt_us = 10000, .snd_una = 0, .snd_max = 100000 };
	tcp_congestion_init(&tcb, &tcp_cubic_ops);
	tcb.cwnd = 100000;
	uint64_t now = shim_now_ns;
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

/* ---- the state machine, driven by scripted segments ---------------------------- */

static void test_options_negotiated(void)
{
	struct connection c;
	establish(&c, true);
	CHECK(c.tcb->wscale_ok && c.tcb->sack_ok && c.tcb->timestamps_ok);
	CHECK_EQ(c.tcb->snd_wscale, 7);
	CHECK_EQ(c.tcb->mss, 1460 - 12);                /* RFC 6691: timestamps come off the payload */
	close_all(&c);
	/* A peer offering nothing gets nothing but MSS; its MSS defaults to 536. */
	establish(&c, false);
	CHECK(!c.tcb->wscale_ok && !c.tcb->sack_ok && !c.tcb->timestamps_ok);
	CHECK_EQ(c.tcb->rcv_wscale, 0);
	CHECK_EQ(c.tcb->mss, 536);
	close_all(&c);
	check_pool_full();
}

static void test_data_both_ways(void)
{
	struct connection c;
	establish(&c, true);
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_PSH, "hello", 5);
	struct output ack = take(&c);                   /* quick-ack mode: ACKed at once */
	CHECK(ack.present && ack.flags == TCP_FLAG_ACK && ack.ack == c.peer_next);
	CHECK(tcp_ops.poll(c.sk) & POLLIN);
	char buffer[64];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), MSG_PEEK, NULL), 5);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 5);
	CHECK(memcmp(buffer, "hello", 5) == 0);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), -EAGAIN);
	CHECK_EQ(tcp_ops.send(c.sk, "world!", 6, 0, NULL), 6);
	struct output data = take(&c);
	CHECK(data.present && data.length == 6 && memcmp(data.payload, "world!", 6) == 0);
	CHECK_EQ(data.seq, c.our_next);
	CHECK(data.flags & TCP_FLAG_PSH);
	c.our_next += 6;
	/* Nagle: a second small write waits while the first is unacknowledged. */
	CHECK_EQ(tcp_ops.send(c.sk, "ab", 2, 0, NULL), 2);
	CHECK(!shim_pending());
	peer_ack(&c);
	struct output held = take(&c);
	CHECK(held.present && held.length == 2 && held.seq == c.our_next);
	c.our_next += 2;
	peer_ack(&c);
	/* TCP_NODELAY sends small segments at once. */
	int on = 1;
	CHECK_EQ(tcp_ops.setsockopt(c.sk, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)), 0);
	CHECK_EQ(tcp_ops.send(c.sk, "x", 1, 0, NULL), 1);
	CHECK_EQ(tcp_ops.send(c.sk, "y", 1, 0, NULL), 1);
	CHECK_EQ(shim_pending(), 2);
	shim_discard_output();
	c.our_next += 2;
	peer_ack(&c);
	/* A large write goes out in MSS-sized segments, within the peer's window (1000 << 7). */
	static uint8_t big[20000];
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	long taken = tcp_ops.send(c.sk, big, sizeof(big), 0, NULL);
	CHECK(taken > 14000);
	unsigned segments = 0;
	struct output out;
	while ((out = take(&c)).present) {
		CHECK(out.length <= 1448);
		CHECK(memcmp(out.payload, big + (out.seq - c.our_next), out.length) == 0);
		segments++;
	}
	CHECK_EQ(segments, 10);                         /* RFC 6928 initial window */
	close_all(&c);
	check_pool_full();
}

static void test_delayed_ack(void)
{
	struct connection c;
	establish(&c, true);
	c.tcb->quick_acks = 0;
	char data[100] = { 0 };
	peer_send(&c, TCP_FLAG_ACK, data, 100);
	CHECK(!shim_pending());                          /* held for the delayed-ACK timer */
	shim_advance(39 * MS);
	CHECK(!shim_pending());
	shim_advance(2 * MS);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	/* Every second full-sized segment is ACKed at once. */
	static char full[1448];
	peer_send(&c, TCP_FLAG_ACK, full, sizeof(full));
	CHECK(!shim_pending());
	peer_send(&c, TCP_FLAG_ACK, full, sizeof(full));
	ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	close_all(&c);
	check_pool_full();
}

static void test_peer_closes_first(void)
{
	struct connection c;
	establish(&c, true);
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, NULL, 0);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	CHECK_EQ(c.tcb->state, TCP_CLOSE_WAIT);
	CHECK(tcp_ops.poll(c.sk) & POLLRDHUP);
	char buffer[8];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 0);   /* end of stream */
	CHECK_EQ(tcp_ops.send(c.sk, "bye", 3, 0, NULL), 3);                   /* half-close: we may still send */
	struct output data = take(&c);
	CHECK(data.length == 3);
	c.our_next += 3;
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	struct output fin = take(&c);
	CHECK(fin.present && (fin.flags & TCP_FLAG_FIN) && fin.seq == c.our_next);
	CHECK_EQ(c.tcb->state, TCP_LAST_ACK);
	c.our_next++;
	struct tcp_sock *tcb = c.tcb;
	peer_ack(&c);
	/* The tcb is gone now; nothing answers a repeated ACK but an RST. */
	(void)tcb;
	peer_ack(&c);
	struct output rst = take(&c);
	CHECK(rst.present && rst.flags == TCP_FLAG_RST && rst.seq == c.our_next);
	close_all(&c);
	check_pool_full();
}

static void test_we_close_first(void)
{
	struct connection c;
	establish(&c, true);
	struct tcp_sock *tcb = c.tcb;
	CHECK_EQ(tcp_ops.shutdown(c.sk, SHUT_WR), 0);
	struct output fin = take(&c);
	CHECK(fin.present && (fin.flags & TCP_FLAG_FIN) && fin.seq == c.our_next);
	CHECK_EQ(tcb->state, TCP_FIN_WAIT_1);
	CHECK_EQ(tcp_ops.send(c.sk, "x", 1, 0, NULL), -EPIPE);
	c.our_next++;
	peer_ack(&c);
	CHECK_EQ(tcb->state, TCP_FIN_WAIT_2);
	peer_send(&c, TCP_FLAG_ACK, "late", 4);          /* the peer may still send */
	char buffer[8];
	take(&c);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 4);
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, NULL, 0);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	CHECK_EQ(tcb->state, TCP_TIME_WAIT);
	/* A retransmitted FIN in TIME_WAIT is ACKed again. */
	c.peer_next--;
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, NULL, 0);
	ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 1);
	shim_advance((uint64_t)tcp_time_wait_ms * MS + MS);   /* 2 * MSL */
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 0);
	close_all(&c);
	check_pool_full();
}

static void test_simultaneous_close(void)
{
	struct connection c;
	establish(&c, true);
	struct tcp_sock *tcb = c.tcb;
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	struct output fin = take(&c);
	CHECK(fin.flags & TCP_FLAG_FIN);
	/* The peer's FIN crosses ours: it does not acknowledge our FIN yet. */
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, NULL, 0);
	CHECK_EQ(tcb->state, TCP_CLOSING);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == c.peer_next);
	c.our_next++;
	peer_ack(&c);
	CHECK_EQ(tcb->state, TCP_TIME_WAIT);
	close_all(&c);
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 0);
	check_pool_full();
}

static void test_simultaneous_open(void)
{
	struct sock *sk = sock_allocate(&tcp_ops);
	struct sock_endpoint local = { 0, htons(LOCAL_PORT) }, remote = { SHIM_REMOTE_ADDRESS, htons(PEER_PORT) };
	CHECK_EQ(tcp_ops.bind(sk, &local), 0);
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	struct tcp_sock *tcb = sk->protocol_state;
	struct output syn = next_output();
	CHECK(syn.present && syn.flags == TCP_FLAG_SYN && syn.options.has_mss && syn.options.sack_permitted &&
	      syn.options.has_timestamps && syn.options.has_window_scale);
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EALREADY);
	/* The peer's SYN crosses ours. */
	struct connection c = { .peer_next = PEER_ISS, .ts_value = 77, .timestamps = false, .peer_window = 5000 };
	struct segment peer_syn = { PEER_PORT, LOCAL_PORT, PEER_ISS, 0, TCP_FLAG_SYN, 5000 };
	inject(&peer_syn);
	CHECK_EQ(tcb->state, TCP_SYN_RECEIVED);
	struct output synack = next_output();
	CHECK(synack.present && synack.flags == (TCP_FLAG_SYN | TCP_FLAG_ACK) && synack.seq == syn.seq &&
	      synack.ack == PEER_ISS + 1);
	/* Then the peer's SYN-ACK (its answer to our SYN). */
	struct segment peer_synack = { PEER_PORT, LOCAL_PORT, PEER_ISS, syn.seq + 1, TCP_FLAG_SYN | TCP_FLAG_ACK, 5000 };
	inject(&peer_synack);
	CHECK_EQ(tcb->state, TCP_ESTABLISHED);
	CHECK(tcp_ops.poll(sk) & POLLOUT);
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EISCONN);
	(void)c;
	close_abortively(sk);
	shim_advance(200 * 1000 * MS);
	shim_discard_output();
	check_pool_full();
}

static void test_active_open(void)
{
	struct sock *sk = sock_allocate(&tcp_ops);
	struct sock_endpoint remote = { SHIM_REMOTE_ADDRESS, htons(PEER_PORT) };
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	struct tcp_sock *tcb = sk->protocol_state;
	struct output syn = next_output();
	CHECK(syn.present && syn.flags == TCP_FLAG_SYN);
	CHECK(syn.source_port >= 32768 && syn.source_port <= 60999);
	CHECK_EQ(tcp_ops.poll(sk) & POLLOUT, 0);
	struct segment synack = { PEER_PORT, syn.source_port, 7000, syn.seq + 1, TCP_FLAG_SYN | TCP_FLAG_ACK, 8000 };
	struct tcp_syn_options offer = { .mss = 1200, .sack_permitted = true };
	synack.options_length = tcp_options_write_syn(synack.options, &offer);
	inject(&synack);
	CHECK_EQ(tcb->state, TCP_ESTABLISHED);
	CHECK(!tcb->timestamps_ok && !tcb->wscale_ok && tcb->sack_ok);
	CHECK_EQ(tcb->mss, 1200);
	struct output ack = next_output();
	CHECK(ack.present && ack.flags == TCP_FLAG_ACK && ack.ack == 7001);
	CHECK(tcp_ops.poll(sk) & POLLOUT);
	close_abortively(sk);
	shim_advance(200 * 1000 * MS);
	shim_discard_output();
	check_pool_full();
}

static void test_connect_refused_and_timeout(void)
{
	struct sock *sk = sock_allocate(&tcp_ops);
	struct sock_endpoint remote = { SHIM_REMOTE_ADDRESS, htons(PEER_PORT) };
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	struct output syn = next_output();
	struct segment rst = { PEER_PORT, syn.source_port, 0, syn.seq + 1, TCP_FLAG_RST | TCP_FLAG_ACK, 0 };
	inject(&rst);
	CHECK_EQ(sk->pending_error, ECONNREFUSED);
	CHECK(tcp_ops.poll(sk) & POLLERR);
	sock_free_unaccepted(sk);
	/* No answer at all: SYN retransmitted with backoff 1, 2, 4 ... s, then ETIMEDOUT. */
	sk = sock_allocate(&tcp_ops);
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	shim_discard_output();
	uint64_t waited = 0;
	unsigned retransmissions = 0;
	for (int second = 0; second < 200 && sk->pending_error == 0; second++) {
		shim_advance(1000 * MS);
		waited++;
		struct output again;
		while ((again = next_output()).present)
			retransmissions += again.flags == TCP_FLAG_SYN;
	}
	CHECK_EQ(retransmissions, tcp_syn_retries);
	CHECK_EQ(sk->pending_error, ETIMEDOUT);
	CHECK_EQ(waited, 127);                            /* 1+2+4+8+16+32+64, as Linux */
	sock_free_unaccepted(sk);
	shim_discard_output();
	check_pool_full();
}

static void test_reset_validation(void)
{
	struct connection c;
	establish(&c, true);
	uint64_t challenges = tcp_counters[TCP_CHALLENGE_ACKS];
	/* RFC 5961 3.2: an RST in the window but not at rcv_nxt gets a challenge ACK. */
	struct segment rst = { PEER_PORT, LOCAL_PORT, c.peer_next + 100, 0, TCP_FLAG_RST, 0 };
	inject(&rst);
	CHECK_EQ(c.tcb->state, TCP_ESTABLISHED);
	struct output challenge = take(&c);
	CHECK(challenge.present && challenge.flags == TCP_FLAG_ACK && challenge.ack == c.peer_next);
	CHECK_EQ(tcp_counters[TCP_CHALLENGE_ACKS], challenges + 1);
	/* Outside the window: dropped silently. */
	uint64_t out_of_window = net_drop_count(TCP_DROP_OUT_OF_WINDOW);
	rst.seq = c.peer_next + 10000000;
	inject(&rst);
	CHECK(!shim_pending());
	CHECK_EQ(net_drop_count(TCP_DROP_OUT_OF_WINDOW), out_of_window + 1);
	/* RFC 5961 4.2: a SYN in a synchronized state gets a challenge ACK too. */
	struct segment syn = { PEER_PORT, LOCAL_PORT, c.peer_next + 5, 0, TCP_FLAG_SYN, 1000 };
	inject(&syn);
	challenge = take(&c);
	CHECK(challenge.present && challenge.flags == TCP_FLAG_ACK);
	CHECK_EQ(c.tcb->state, TCP_ESTABLISHED);
	/* RFC 5961 5.2: an ACK too far in the past is challenged and dropped. */
	struct segment old_ack = { PEER_PORT, LOCAL_PORT, c.peer_next, c.our_next - 0x40000000u, TCP_FLAG_ACK, 1000 };
	inject(&old_ack);
	CHECK(take(&c).present);
	CHECK_EQ(net_drop_count(TCP_DROP_ACK_TOO_OLD), 1);
	/* The exact RST resets. */
	rst.seq = c.peer_next;
	inject(&rst);
	CHECK_EQ(c.tcb->state, TCP_CLOSED);
	CHECK_EQ(c.sk->pending_error, ECONNRESET);
	char buffer[4];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), -ECONNRESET);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 0);
	CHECK_EQ(tcp_ops.send(c.sk, "x", 1, 0, NULL), -EPIPE);
	close_all(&c);
	check_pool_full();
}

static void test_challenge_ack_limit(void)
{
	struct connection c;
	establish(&c, true);
	int64_t saved = tcp_challenge_ack_limit;
	tcp_challenge_ack_limit = 10;
	shim_advance(1000 * MS);                          /* a fresh second */
	for (int i = 0; i < 100; i++) {
		struct segment rst = { PEER_PORT, LOCAL_PORT, c.peer_next + 100 + (uint32_t)i, 0, TCP_FLAG_RST, 0 };
		inject(&rst);
	}
	unsigned sent = shim_pending();
	CHECK(sent >= 5 && sent <= 15);                   /* limit/2 .. 1.5 * limit */
	CHECK(tcp_counters[TCP_CHALLENGE_ACKS_LIMITED] >= 85);
	tcp_challenge_ack_limit = saved;
	close_all(&c);
	check_pool_full();
}

static void test_closed_port_reset(void)
{
	/* RFC 9293 3.10.7.1: no ACK -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>. */
	struct segment syn = { PEER_PORT, 9, 555, 0, TCP_FLAG_SYN, 1000 };
	inject(&syn);
	struct output rst = next_output();
	CHECK(rst.present && rst.flags == (TCP_FLAG_RST | TCP_FLAG_ACK) && rst.seq == 0 && rst.ack == 556);
	/* With an ACK -> <SEQ=SEG.ACK><RST>. */
	struct segment ack = { PEER_PORT, 9, 555, 4242, TCP_FLAG_ACK, 1000, .data = "abc", .length = 3 };
	inject(&ack);
	rst = next_output();
	CHECK(rst.present && rst.flags == TCP_FLAG_RST && rst.seq == 4242);
	/* Never an RST for an RST. */
	struct segment reset = { PEER_PORT, 9, 555, 0, TCP_FLAG_RST, 0 };
	inject(&reset);
	CHECK(!shim_pending());
	check_pool_full();
}

static void test_malformed_segments(void)
{
	struct connection c;
	establish(&c, true);
	uint64_t bad_options = tcp_counters[TCP_BAD_OPTIONS];
	/* Option lengths 0 and 1, and one running past the header: parsing
	 * stops there, the segment itself is processed. */
	struct segment segment = { PEER_PORT, LOCAL_PORT, c.peer_next, c.our_next, TCP_FLAG_ACK, 1000 };
	uint8_t zero_length[4] = { TCP_OPTION_MSS, 0, 0, 0 };
	memcpy(segment.options, zero_length, 4);
	segment.options_length = 4;
	segment.data = "ok";
	segment.length = 2;
	inject(&segment);
	c.peer_next += 2;
	uint8_t length_one[4] = { 99, 1, 0, 0 };
	memcpy(segment.options, length_one, 4);
	inject(&segment);                                  /* a duplicate: ACKed, counted */
	uint8_t too_long[4] = { TCP_OPTION_NOP, TCP_OPTION_TIMESTAMPS, 10, 0 };
	memcpy(segment.options, too_long, 4);
	inject(&segment);
	CHECK_EQ(tcp_counters[TCP_BAD_OPTIONS], bad_options + 3);
	char buffer[8];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 2);
	shim_discard_output();
	/* A bad checksum is dropped and counted. */
	struct pkt *pkt = pkt_alloc();
	uint8_t *bytes = pkt_put(pkt, 40);
	memset(bytes, 0, 40);
	struct ipv4_header *ip = (struct ipv4_header *)bytes;
	ip->version_ihl = 0x45;
	ip->source = SHIM_REMOTE_ADDRESS;
	ip->destination = SHIM_LOCAL_ADDRESS;
	struct tcp_header *tcp = (struct tcp_header *)(bytes + 20);
	tcp->source_port = htons(PEER_PORT);
	tcp->destination_port = htons(LOCAL_PORT);
	tcp->data_offset = 5 << 4;
	tcp->checksum = 0x1234;
	pkt_set_network_header(pkt);
	pkt_pull(pkt, 20);
	uint64_t bad_checksums = net_drop_count(TCP_DROP_BAD_CHECKSUM);
	tcp_input(&shim_device, pkt);
	CHECK_EQ(net_drop_count(TCP_DROP_BAD_CHECKSUM), bad_checksums + 1);
	/* Data offset beyond the segment, and a runt. */
	pkt = pkt_alloc();
	bytes = pkt_put(pkt, 30);
	memset(bytes, 0, 30);
	memcpy(bytes, ip, 20);
	((struct tcp_header *)(bytes + 20))->data_offset = 5 << 4;
	pkt_set_network_header(pkt);
	pkt_pull(pkt, 20);
	uint64_t truncated = net_drop_count(TCP_DROP_TRUNCATED);
	tcp_input(&shim_device, pkt);
	CHECK_EQ(net_drop_count(TCP_DROP_TRUNCATED), truncated + 1);
	CHECK(!shim_pending());
	close_all(&c);
	check_pool_full();
}

static void test_out_of_order_and_sack(void)
{
	struct connection c;
	establish(&c, true);
	static char data[4000];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	uint32_t start = c.peer_next;
	/* Segments 2 and 4 arrive, 1 and 3 are missing. */
	c.peer_next = start + 1000;
	peer_send(&c, TCP_FLAG_ACK, data + 1000, 1000);
	struct output dup = take(&c);
	CHECK(dup.present && dup.ack == start);
	CHECK(dup.options.sack_count == 1 && dup.options.sack[0].start == start + 1000 && dup.options.sack[0].end == start + 2000);
	c.peer_next = start + 3000;
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, data + 3000, 1000);   /* the FIN beyond a hole waits */
	dup = take(&c);
	CHECK(dup.options.sack_count == 2 && dup.options.sack[0].start == start + 3000);  /* newest first */
	CHECK_EQ(c.tcb->state, TCP_ESTABLISHED);
	char buffer[4000];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), -EAGAIN);
	/* Segment 1 fills the first hole: 2000 bytes readable, an ACK at once. */
	c.peer_next = start;
	peer_send(&c, TCP_FLAG_ACK, data, 1000);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == start + 2000 && ack.options.sack_count == 1);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 2000);
	c.peer_next = start + 2000;
	peer_send(&c, TCP_FLAG_ACK, data + 2000, 1000);  /* the last hole: then the FIN counts */
	ack = take(&c);
	CHECK(ack.present && ack.ack == start + 4000 + 1 && ack.options.sack_count == 0);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer + 2000, sizeof(buffer), 0, NULL), 2000);
	CHECK(memcmp(buffer, data, 4000) == 0);
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 0);
	CHECK_EQ(c.tcb->state, TCP_CLOSE_WAIT);
	close_all(&c);
	check_pool_full();
}

static void test_paws(void)
{
	struct connection c;
	establish(&c, true);
	c.ts_value = 10;                                   /* older than TS.Recent */
	uint32_t seq = c.peer_next;
	peer_send(&c, TCP_FLAG_ACK, "old", 3);
	c.peer_next = seq;
	CHECK_EQ(net_drop_count(TCP_DROP_PAWS), 1);
	struct output ack = take(&c);
	CHECK(ack.present && ack.ack == seq);
	char buffer[4];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), -EAGAIN);
	close_all(&c);
	check_pool_full();
}

static void test_retransmission_backoff(void)
{
	struct connection c;
	establish(&c, true);
	int64_t saved = tcp_retries2;
	tcp_retries2 = 5;
	CHECK_EQ(tcp_ops.send(c.sk, "data", 4, 0, NULL), 4);
	struct output first = take(&c);
	CHECK(first.present && first.length == 4);
	uint64_t rto_ms = tcp_rto_ns(c.tcb) / MS;
	CHECK_EQ(rto_ms, 200);                            /* a tiny handshake RTT: the 200 ms floor */
	uint64_t last = shim_now_ns, intervals[8];
	unsigned count = 0;
	for (int step = 0; step < 20000 && count < 8 && c.tcb->state != TCP_CLOSED; step++) {
		shim_advance(MS);
		struct output again = take(&c);
		if (again.present && again.length == 4) {
			CHECK_EQ(again.seq, first.seq);
			intervals[count++] = (shim_now_ns - last) / MS;
			last = shim_now_ns;
		}
	}
	CHECK_EQ(count, 5);
	for (unsigned i = 0; i < count; i++)
		CHECK_EQ(intervals[i], 200u << i);        /* RFC 6298 5.5: doubled each time */
	CHECK_EQ(c.tcb->state, TCP_CLOSED);              /* tcp_retries2 expiries: given up */
	CHECK_EQ(c.sk->pending_error, ETIMEDOUT);
	tcp_retries2 = saved;
	close_all(&c);
	check_pool_full();
}

static void test_rto_recovers(void)
{
	struct connection c;
	establish(&c, true);
	static char data[5000];
	CHECK_EQ(tcp_ops.send(c.sk, data, sizeof(data), 0, NULL), 5000);
	unsigned sent = 0;
	while (take(&c).present)
		sent++;
	CHECK_EQ(sent, 3);                                /* the last 656 bytes wait (Nagle) */
	shim_advance(201 * MS);                            /* all lost: RTO, cwnd 1 segment */
	struct output again = take(&c);
	CHECK(again.present && again.seq == c.our_next && again.length == 1448);
	CHECK(!shim_pending());
	CHECK_EQ(c.tcb->cwnd, c.tcb->mss);
	c.our_next += 1448;
	peer_ack(&c);                                     /* slow start again: two segments */
	CHECK_EQ(shim_pending(), 2);
	shim_discard_output();
	close_all(&c);
	check_pool_full();
}

static void test_fast_retransmit_newreno(void)
{
	struct connection c;
	establish(&c, false);                              /* no SACK: NewReno */
	c.peer_window = 60000;                             /* unscaled */
	peer_ack(&c);
	static char data[536 * 8];
	CHECK_EQ(tcp_ops.send(c.sk, data, sizeof(data), 0, NULL), (long)sizeof(data));
	unsigned sent = 0;
	while (take(&c).present)
		sent++;
	CHECK_EQ(sent, 8);
	uint32_t first = c.our_next;
	for (int i = 0; i < 3; i++)                        /* segment 1 lost: three duplicate ACKs */
		peer_ack(&c);
	struct output retransmission = take(&c);
	CHECK(retransmission.present && retransmission.seq == first && retransmission.length == 536);
	CHECK(c.tcb->in_recovery);
	CHECK_EQ(tcp_counters[TCP_NEWRENO_RECOVERIES], 1);
	/* A partial ACK (segments 1-3 arrived, 4 lost too) resends segment 4 at once. */
	c.our_next = first + 3 * 536;
	peer_ack(&c);
	retransmission = take(&c);
	CHECK(retransmission.present && retransmission.seq == first + 3 * 536);
	CHECK(c.tcb->in_recovery);
	c.our_next = first + 8 * 536;                      /* the full ACK ends recovery */
	peer_ack(&c);
	CHECK(!c.tcb->in_recovery);
	CHECK(c.tcb->cwnd <= c.tcb->ssthresh);
	shim_discard_output();
	close_all(&c);
	check_pool_full();
}

static void test_sack_recovery(void)
{
	struct connection c;
	establish(&c, true);
	c.timestamps = false;                              /* keep room for SACK blocks in our injected ACKs */
	static char data[1448 * 10];
	CHECK_EQ(tcp_ops.send(c.sk, data, sizeof(data), 0, NULL), (long)sizeof(data));
	while (take(&c).present)
		;
	uint32_t first = c.our_next;
	/* Segments 2 and 5 lost; the peer SACKs what arrived. */
	struct segment ack = { PEER_PORT, LOCAL_PORT, c.peer_next, first + 1448, TCP_FLAG_ACK, 1000 };
	struct tcp_sack_block blocks[2] = { { first + 2 * 1448, first + 4 * 1448 } };
	for (unsigned upto = 5; upto <= 10; upto++) {
		if (upto == 5)
			continue;
		blocks[0] = (struct tcp_sack_block){ first + 5 * 1448, first + upto * 1448 };
		blocks[1] = (struct tcp_sack_block){ first + 2 * 1448, first + 4 * 1448 };
		ack.options_length = tcp_options_write(ack.options, false, 0, 0, blocks, upto > 5 ? 2 : 1);
		inject(&ack);
	}
	CHECK_EQ(tcp_counters[TCP_SACK_RECOVERIES], 1);
	/* Both holes are resent (segment 2 first), nothing SACKed is. */
	bool hole1 = false, hole2 = false, resent_sacked = false;
	struct output out;
	while ((out = take(&c)).present) {
		if (out.seq == first + 1448)
			hole1 = true;
		else if (out.seq == first + 4 * 1448)
			hole2 = true;
		else if (out.seq < first + 10 * 1448)
			resent_sacked = true;
	}
	CHECK(hole1 && hole2 && !resent_sacked);
	c.our_next = first + 10 * 1448;
	peer_ack(&c);
	CHECK(!c.tcb->in_recovery);
	close_all(&c);
	check_pool_full();
}

static void test_zero_window(void)
{
	struct connection c;
	establish(&c, true);
	/* Our side: the application does not read, the window closes. */
	uint32_t capacity = c.tcb->receive_buffer.capacity;
	static char chunk[1448];
	uint16_t last_window = 1;
	for (unsigned sent = 0; sent < capacity + 10 * 1448 && last_window; sent += 1448) {
		peer_send(&c, TCP_FLAG_ACK, chunk, sizeof(chunk));
		struct output ack;
		while ((ack = take(&c)).present)
			last_window = ack.window;
		shim_advance(50 * MS);
		while ((ack = take(&c)).present)
			last_window = ack.window;
	}
	CHECK_EQ(last_window, 0);
	/* Everything acknowledged is in the buffer, which is full to the last scale unit. */
	CHECK(c.tcb->receive_buffer.used + (1u << c.tcb->rcv_wscale) > c.tcb->receive_buffer.capacity);
	/* The peer's probe (Linux's: an old sequence number, no data) is answered with the zero window. */
	uint32_t acked = c.tcb->rcv_nxt;
	c.peer_next = acked - 1;
	shim_advance(1000 * MS);                            /* past the out-of-window ACK rate limit */
	peer_ack(&c);
	c.peer_next = acked;
	struct output answer = take(&c);
	CHECK(answer.present && answer.window == 0 && answer.ack == acked);
	/* Reading reopens it with a window update. */
	static char sink[65536 * 4];
	CHECK(tcp_ops.receive(c.sk, sink, sizeof(sink), 0, NULL) > 0);
	struct output update = take(&c);
	CHECK(update.present && update.window > 0 && update.ack == acked);
	shim_discard_output();
	/* The peer's side closes: we hold our data and probe with backoff. */
	c.peer_window = 0;
	peer_ack(&c);
	CHECK_EQ(tcp_ops.send(c.sk, "abc", 3, 0, NULL), 3);
	CHECK(!shim_pending());
	unsigned probes = 0;
	for (int step = 0; step < 30; step++) {
		shim_advance(100 * MS);
		struct output probe;
		while ((probe = take(&c)).present) {
			CHECK(probe.length == 0 && probe.seq == c.our_next - 1);
			probes++;
		}
	}
	CHECK(probes >= 3 && probes <= 5);                 /* 0.2 s, then 0.4, 0.8, 1.6 ... */
	CHECK_EQ(tcp_counters[TCP_PERSIST_PROBES], probes);
	c.peer_window = 1000;
	peer_ack(&c);                                      /* opens: the data goes */
	struct output data = take(&c);
	CHECK(data.present && data.length == 3);
	close_all(&c);
	check_pool_full();
}

static void test_keepalive(void)
{
	struct connection c;
	establish(&c, true);
	c.sk->keepalive = true;
	int idle = 10, interval = 2, count = 3;
	CHECK_EQ(tcp_ops.setsockopt(c.sk, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)), 0);
	CHECK_EQ(tcp_ops.setsockopt(c.sk, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval)), 0);
	CHECK_EQ(tcp_ops.setsockopt(c.sk, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count)), 0);
	int on = 1;
	CHECK_EQ(tcp_ops.setsockopt(c.sk, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)), 0);
	shim_advance(9 * 1000 * MS);
	CHECK(!shim_pending());
	shim_advance(1100 * MS);
	struct output probe = take(&c);
	CHECK(probe.present && probe.seq == c.our_next - 1 && probe.length == 0);
	peer_ack(&c);                                      /* answered: idle again */
	shim_advance(9 * 1000 * MS);
	CHECK(!shim_pending());
	shim_advance(30 * 1000 * MS);                     /* unanswered: 3 probes 2 s apart, then reset */
	unsigned probes = 0, resets = 0;
	struct output out;
	while ((out = take(&c)).present) {
		probes += out.flags == TCP_FLAG_ACK;
		resets += (out.flags & TCP_FLAG_RST) != 0;
	}
	CHECK_EQ(probes, 3);
	CHECK_EQ(resets, 1);
	CHECK_EQ(c.sk->pending_error, ETIMEDOUT);
	close_all(&c);
	check_pool_full();
}

static void test_close_with_unread_data_resets(void)
{
	struct connection c;
	establish(&c, true);
	peer_send(&c, TCP_FLAG_ACK, "unread", 6);
	shim_discard_output();
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	struct output rst = take(&c);
	CHECK(rst.present && (rst.flags & TCP_FLAG_RST));
	/* SO_LINGER with a zero time: the same. */
	close_all(&c);
	establish(&c, true);
	c.sk->linger_on = true;
	c.sk->linger_seconds = 0;
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	rst = take(&c);
	CHECK(rst.present && (rst.flags & TCP_FLAG_RST));
	close_all(&c);
	check_pool_full();
}

/* close() with SO_LINGER and a time: close_start queues the FIN with the
 * socket still attached, close_pending holds until the FIN (not just the
 * data) is acknowledged, as Linux's sk_stream_wait_close. */
static void test_lingering_close(void)
{
	struct connection c;
	establish(&c, true);
	c.sk->linger_on = true;
	c.sk->linger_seconds = 5;
	CHECK(!tcp_ops.close_pending(c.sk));                  /* nothing begun yet */
	CHECK_EQ(tcp_ops.send(c.sk, "bye", 3, 0, NULL), 3);
	CHECK(tcp_ops.close_start(c.sk));
	CHECK_EQ(c.tcb->state, TCP_FIN_WAIT_1);
	uint32_t fin_seq = 0;
	bool fin_seen = false;
	for (struct output out = take(&c); out.present; out = take(&c))
		if (out.flags & TCP_FLAG_FIN) {
			fin_seen = true;
			fin_seq = out.seq + out.length;
		}
	CHECK(fin_seen && fin_seq == c.our_next + 3);
	c.our_next += 3;                                      /* the data acknowledged, not the FIN */
	peer_ack(&c);
	CHECK_EQ(c.tcb->state, TCP_FIN_WAIT_1);
	CHECK(tcp_ops.close_pending(c.sk));
	c.our_next++;                                         /* now the FIN */
	peer_ack(&c);
	CHECK_EQ(c.tcb->state, TCP_FIN_WAIT_2);
	CHECK(!tcp_ops.close_pending(c.sk));
	sock_free_unaccepted(c.sk);                           /* release: no RST, the FIN_WAIT_2 timer */
	c.sk = NULL;
	struct output after = take(&c);
	CHECK(!after.present || !(after.flags & TCP_FLAG_RST));
	close_all(&c);

	/* Unread data: nothing to linger for, release resets. */
	establish(&c, true);
	c.sk->linger_on = true;
	c.sk->linger_seconds = 5;
	peer_send(&c, TCP_FLAG_ACK, "unread", 6);
	shim_discard_output();
	CHECK(!tcp_ops.close_start(c.sk));
	CHECK_EQ(c.tcb->state, TCP_ESTABLISHED);
	CHECK(!shim_pending());                               /* no FIN went out */
	close_all(&c);

	/* Data arriving while we linger ends the wait (release will reset). */
	establish(&c, true);
	c.sk->linger_on = true;
	c.sk->linger_seconds = 5;
	CHECK(tcp_ops.close_start(c.sk));
	shim_discard_output();
	CHECK(tcp_ops.close_pending(c.sk));
	peer_send(&c, TCP_FLAG_ACK, "late", 4);               /* acknowledges nothing of ours */
	CHECK(!tcp_ops.close_pending(c.sk));
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	bool reset = false;
	for (struct output out = take(&c); out.present; out = take(&c))
		reset |= (out.flags & TCP_FLAG_RST) != 0;
	CHECK(reset);
	close_all(&c);
	check_pool_full();
}

static void test_syn_received(void)
{
	struct connection c = { .peer_next = PEER_ISS, .ts_value = 1, .peer_window = 1000 };
	c.listener = open_listener(LOCAL_PORT, 8);
	send_syn(&c, PEER_ISS, false);
	struct output synack = next_output();
	c.our_next = synack.seq + 1;
	c.peer_next = PEER_ISS + 1;
	/* A repeated SYN: the SYN-ACK again. */
	send_syn(&c, PEER_ISS, false);
	struct output again = next_output();
	CHECK(again.present && again.flags == (TCP_FLAG_SYN | TCP_FLAG_ACK) && again.seq == synack.seq);
	/* An ACK for something else: RST <SEQ=SEG.ACK>. */
	struct segment bad = { PEER_PORT, LOCAL_PORT, PEER_ISS + 1, synack.seq + 50, TCP_FLAG_ACK, 1000 };
	inject(&bad);
	struct output rst = next_output();
	CHECK(rst.present && rst.flags == TCP_FLAG_RST && rst.seq == synack.seq + 50);
	/* The handshake's ACK carries data: it is delivered. */
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_PSH, "early", 5);
	CHECK_EQ(tcp_ops.accept(c.listener, &c.sk), 0);
	char buffer[8];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 5);
	close_all(&c);
	/* Nobody answers the SYN-ACK: retried tcp_synack_retries times, then forgotten. */
	c.listener = open_listener(LOCAL_PORT, 8);
	shim_discard_output();
	send_syn(&c, PEER_ISS + 100000, false);
	unsigned synacks = 0;
	for (int second = 0; second < 100; second++) {
		shim_advance(1000 * MS);
		struct output out;
		while ((out = next_output()).present)
			synacks++;
	}
	CHECK_EQ(synacks, 1 + tcp_synack_retries);
	CHECK_EQ(((struct tcp_sock *)c.listener->protocol_state)->listen->syn_count, 0);
	close_all(&c);
	check_pool_full();
}

static void test_syn_cookies(void)
{
	struct connection c = { .ts_value = 1, .peer_window = 1000 };
	c.listener = open_listener(LOCAL_PORT, 2);         /* SYN queue of 2 */
	for (uint32_t i = 0; i < 2; i++) {
		struct segment syn = { (uint16_t)(PEER_PORT + i), LOCAL_PORT, 1000 * i, 0, TCP_FLAG_SYN, 1000 };
		inject(&syn);
	}
	shim_discard_output();
	CHECK_EQ(((struct tcp_sock *)c.listener->protocol_state)->listen->syn_count, 2);
	/* The third gets a cookie: a SYN-ACK with only MSS, and no state. */
	struct segment syn = { PEER_PORT + 10, LOCAL_PORT, 77777, 0, TCP_FLAG_SYN, 1000 };
	struct tcp_syn_options offer = { .mss = 1400, .window_scale_ok = true, .window_scale = 7,
					 .sack_permitted = true, .timestamps = true, .ts_value = 9 };
	syn.options_length = tcp_options_write_syn(syn.options, &offer);
	unsigned connections = tcp_table_count();
	inject(&syn);
	struct output cookie = next_output();
	CHECK(cookie.present && cookie.flags == (TCP_FLAG_SYN | TCP_FLAG_ACK) && cookie.ack == 77778);
	CHECK(cookie.options.has_mss && !cookie.options.has_window_scale && !cookie.options.has_timestamps &&
	      !cookie.options.sack_permitted);
	CHECK_EQ(tcp_table_count(), connections);
	CHECK_EQ(tcp_counters[TCP_SYNCOOKIES_SENT], 1);
	/* A forged ACK is refused with an RST. */
	struct segment forged = { PEER_PORT + 11, LOCAL_PORT, 5, 123456, TCP_FLAG_ACK, 1000 };
	inject(&forged);
	struct output rst = next_output();
	CHECK(rst.present && rst.flags == TCP_FLAG_RST);
	CHECK_EQ(tcp_counters[TCP_SYNCOOKIES_FAILED], 1);
	/* The real final ACK, with data, makes the connection. */
	struct segment ack = { PEER_PORT + 10, LOCAL_PORT, 77778, cookie.seq + 1, TCP_FLAG_ACK, 1000,
			       .data = "cookie!", .length = 7 };
	inject(&ack);
	CHECK_EQ(tcp_counters[TCP_SYNCOOKIES_RECEIVED], 1);
	CHECK_EQ(tcp_ops.accept(c.listener, &c.sk), 0);
	struct tcp_sock *tcb = c.sk->protocol_state;
	CHECK_EQ(tcb->mss, 1400);
	CHECK(!tcb->sack_ok && !tcb->timestamps_ok && !tcb->wscale_ok);
	char buffer[8];
	CHECK_EQ(tcp_ops.receive(c.sk, buffer, sizeof(buffer), 0, NULL), 7);
	close_all(&c);
	check_pool_full();
}

static void test_accept_queue_bound(void)
{
	struct connection c = { .ts_value = 1, .peer_window = 1000 };
	c.listener = open_listener(LOCAL_PORT, 1);         /* backlog 1: the queue holds 2, as Linux */
	for (uint32_t i = 0; i < 4; i++) {
		struct segment syn = { (uint16_t)(PEER_PORT + i), LOCAL_PORT, 1000, 0, TCP_FLAG_SYN, 1000 };
		inject(&syn);
		struct output synack = next_output();
		if (!synack.present)
			continue;
		struct segment ack = { (uint16_t)(PEER_PORT + i), LOCAL_PORT, 1001, synack.seq + 1, TCP_FLAG_ACK, 1000 };
		inject(&ack);
	}
	struct tcp_listen_queue *queue = ((struct tcp_sock *)c.listener->protocol_state)->listen;
	CHECK_EQ(queue->accept_count, 2);
	CHECK(net_drop_count(TCP_DROP_LISTEN_OVERFLOW) >= 1);
	/* Closing the listener resets what nobody accepted. */
	shim_discard_output();
	sock_free_unaccepted(c.listener);
	c.listener = NULL;
	unsigned resets = 0;
	struct output out;
	while ((out = next_output()).present)
		resets += (out.flags & TCP_FLAG_RST) != 0;
	CHECK_EQ(resets, 2);
	close_all(&c);
	check_pool_full();
}

static void test_time_wait_reuse(void)
{
	struct connection c;
	establish(&c, true);
	tcp_ops.shutdown(c.sk, SHUT_WR);
	take(&c);
	c.our_next++;
	peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_FIN, NULL, 0);
	take(&c);
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 1);
	/* A new SYN with a newer timestamp takes the 4-tuple over (RFC 6191). */
	c.ts_value += 100;
	send_syn(&c, c.peer_next + 100000, true);
	struct output synack = take(&c);
	CHECK(synack.present && synack.flags == (TCP_FLAG_SYN | TCP_FLAG_ACK));
	CHECK_EQ(tcp_counters[TCP_TIME_WAIT_REUSED], 1);
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 0);
	close_all(&c);
	check_pool_full();
}

static void test_receive_autotuning(void)
{
	struct connection c;
	establish(&c, true);
	uint32_t initial = c.tcb->receive_buffer.capacity;
	static char chunk[1448], sink[1448];
	/* The application keeps up: the buffer grows toward tcp_rmem's maximum. */
	for (int i = 0; i < 3000; i++) {
		peer_send(&c, TCP_FLAG_ACK, chunk, sizeof(chunk));
		while (take(&c).present)
			;                                   /* keeps the peer's timestamp echo current */
		tcp_ops.receive(c.sk, sink, sizeof(sink), 0, NULL);
		if (i % 100 == 0)
			shim_advance(MS);
	}
	CHECK(c.tcb->receive_buffer.capacity > initial);
	CHECK(c.tcb->receive_buffer.capacity <= tcp_rmem.maximum);
	CHECK(tcp_counters[TCP_RECEIVE_BUFFER_GROWN] >= 1);
	close_all(&c);
	check_pool_full();
}

/* On a TSO device one pkt carries many segments; cut by net/core/gso.c as the
 * device would, the frames are the MSS-sized, contiguous, correctly
 * checksummed segments of the data, PSH only where the data ends. */
static void test_tso_super_segments(void)
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
static void test_zero_copy_send(void)
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
static void test_gso_malformed(void)
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

/* ---- driver -------------------------------------------------------------------- */

/* ---- received ICMP errors (net/tcp/icmp.c) ------------------------------------ */

/* An ICMP error quoting a segment 10.0.0.1:local_port -> 10.0.0.2:remote_port
 * with sequence number seq, as net/ipv4/icmp_error_input.c hands it to TCP. */
static enum net_drop_reason icmp_about(uint8_t type, uint8_t code, uint16_t mtu, uint16_t local_port,
				       uint16_t remote_port, uint32_t seq)
{
	uint8_t quote[IPV4_HEADER_MIN_LENGTH + ICMP_ERROR_QUOTED_DATA_MIN];
	struct ipv4_header *ip = (struct ipv4_header *)quote;
	*ip = (struct ipv4_header){ .version_ihl = 0x45, .total_length = htons(1500), .time_to_live = 64,
				    .protocol = IP_PROTOCOL_TCP, .source = SHIM_LOCAL_ADDRESS,
				    .destination = SHIM_REMOTE_ADDRESS };
	be16 ports[2] = { htons(local_port), htons(remote_port) };
	be32 sequence = htonl(seq);
	memcpy(quote + IPV4_HEADER_MIN_LENGTH, ports, sizeof(ports));
	memcpy(quote + IPV4_HEADER_MIN_LENGTH + 4, &sequence, sizeof(sequence));
	struct icmp_error_report report = { .type = type, .code = code, .next_hop_mtu = mtu, .quoted = ip,
					    .transport = quote + IPV4_HEADER_MIN_LENGTH,
					    .transport_length = ICMP_ERROR_QUOTED_DATA_MIN, .now_ns = shim_now_ns };
	return tcp_icmp_error(&report);
}

static enum net_drop_reason frag_needed(const struct connection *c, uint16_t mtu, uint32_t seq)
{
	return icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_FRAGMENTATION_NEEDED, mtu, LOCAL_PORT, PEER_PORT,
			  seq);
}

/* Takes every segment sent: each at c->our_next or below (a resend), none
 * with more payload than max_payload; returns the payload bytes. */
static uint32_t take_all_at_most(struct connection *c, uint32_t max_payload, uint32_t *first_seq)
{
	uint32_t bytes = 0;
	struct output out;
	bool first = true;
	while ((out = take(c)).present) {
		CHECK(out.length <= max_payload);
		if (first && first_seq)
			*first_seq = out.seq;
		first = false;
		if (tcp_seq_gt(out.seq + out.length, c->our_next))
			c->our_next = out.seq + out.length;
		bytes += out.length;
	}
	return bytes;
}

/* RFC 1191 / RFC 5927: "fragmentation needed" lowers the MSS (also of TSO
 * super-segments) and resends what was in flight; a report with a sequence
 * number outside [snd_una, snd_nxt], an increase, or a tiny MTU do not
 * (the last is raised to min_pmtu 552); a new connection starts with the
 * learned path MTU but still advertises the device's MSS. */
static void test_icmp_path_mtu(void)
{
	shim_device.features = NETDEV_FEATURE_TSO4 | NETDEV_FEATURE_SCATTER_GATHER | NETDEV_FEATURE_TX_CHECKSUM;
	shim_device.tso_max_bytes = 65535;
	shim_device.tx_max_buffers = 40;
	ipv4_pmtu_reset();
	struct connection c;
	establish(&c, true);
	c.peer_window = 65535;
	peer_ack(&c);
	CHECK_EQ(c.tcb->mss, 1448);
	static uint8_t data[30000];            /* within the initial send buffer */
	CHECK_EQ(tcp_ops.send(c.sk, data, sizeof(data), 0, NULL), sizeof(data));
	uint32_t una = c.our_next;
	uint32_t sent = take_all_at_most(&c, 1448, NULL);
	CHECK(sent > 1448);
	uint32_t cwnd = c.tcb->cwnd, ssthresh = c.tcb->ssthresh;
	/* Blind: beyond snd_nxt, or before snd_una. Nothing changes. */
	CHECK_EQ(frag_needed(&c, 1280, c.our_next + 1), NET_DROP_ICMP_ERROR_OUT_OF_WINDOW);
	CHECK_EQ(frag_needed(&c, 1280, una - 1), NET_DROP_ICMP_ERROR_OUT_OF_WINDOW);
	CHECK_EQ(icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_FRAGMENTATION_NEEDED, 1280, LOCAL_PORT,
			    PEER_PORT + 1, una), NET_DROP_ICMP_ERROR_NO_SOCKET);
	CHECK_EQ(c.tcb->mss, 1448);
	CHECK(!shim_pending());
	/* In window: MTU 1280 -> MSS 1280 - 40 - 12 (timestamps); the flight goes again. */
	uint64_t reduced = tcp_counters[TCP_ICMP_MTU_REDUCED];
	CHECK_EQ(frag_needed(&c, 1280, una), NET_DROP_NONE);
	CHECK_EQ(tcp_counters[TCP_ICMP_MTU_REDUCED], reduced + 1);
	CHECK_EQ(c.tcb->route_mtu, 1280);
	CHECK_EQ(c.tcb->mss, 1228);
	CHECK_EQ(c.tcb->cwnd, cwnd);                     /* not congestion */
	CHECK_EQ(c.tcb->ssthresh, ssthresh);
	uint32_t first = 0;
	uint32_t resent = take_all_at_most(&c, 1228, &first);
	CHECK_EQ(first, una);
	CHECK(resent >= 1228);
	/* An increase is ignored; so is a report for the same MTU. */
	CHECK_EQ(frag_needed(&c, 1400, una), NET_DROP_ICMP_ERROR_IGNORED);
	CHECK_EQ(frag_needed(&c, 1280, una), NET_DROP_ICMP_ERROR_IGNORED);
	CHECK_EQ(c.tcb->mss, 1228);
	/* The rest of the data, acknowledged as it comes: never above the new
	 * MSS, also where TSO super-segments carry it (cut by net/core/gso.c here). */
	unsigned supers_before = shim_super_segments;
	for (int round = 0; round < 100 && c.our_next - una < sizeof(data); round++) {
		peer_ack(&c);
		take_all_at_most(&c, 1228, NULL);
	}
	CHECK_EQ(c.our_next - una, sizeof(data));
	CHECK(shim_super_segments > supers_before);
	peer_ack(&c);
	/* A forged tiny MTU is raised to 552 (Linux's min_pmtu). */
	CHECK_EQ(frag_needed(&c, 100, c.our_next), NET_DROP_NONE);
	CHECK_EQ(c.tcb->route_mtu, 552);
	CHECK_EQ(c.tcb->mss, 552 - 40 - 12);
	CHECK_EQ(ipv4_pmtu_get(SHIM_REMOTE_ADDRESS, shim_now_ns), 552);
	close_all(&c);
	/* A new connection to the same host: SYN offers 1460, sends at most 552 - 40. */
	struct sock *sk = sock_allocate(&tcp_ops);
	struct sock_endpoint remote = { SHIM_REMOTE_ADDRESS, htons(PEER_PORT) };
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	struct output syn = next_output();
	CHECK(syn.present && syn.options.has_mss && syn.options.mss == 1460);
	struct segment synack = { PEER_PORT, syn.source_port, 7000, syn.seq + 1, TCP_FLAG_SYN | TCP_FLAG_ACK, 8000 };
	struct tcp_syn_options offer = { .mss = 1460 };
	synack.options_length = tcp_options_write_syn(synack.options, &offer);
	inject(&synack);
	struct tcp_sock *tcb = sk->protocol_state;
	CHECK_EQ(tcb->state, TCP_ESTABLISHED);
	CHECK_EQ(tcb->mss, 512);
	close_abortively(sk);
	/* The learned MTU expires after net.ipv4.route.mtu_expires (600 s). */
	shim_advance(601 * 1000 * MS);
	CHECK_EQ(ipv4_pmtu_get(SHIM_REMOTE_ADDRESS, shim_now_ns), 0);
	shim_discard_output();
	shim_device.features = 0;
	ipv4_pmtu_reset();
	check_pool_full();
}

/* RFC 1122 4.2.3.9 as Linux: in SYN_SENT an ICMP error about our SYN ends
 * connect() with its errno; in ESTABLISHED it is only noted (soft) and
 * becomes the error reported if the connection then times out. */
static void test_icmp_connection_errors(void)
{
	struct sock *sk = sock_allocate(&tcp_ops);
	struct sock_endpoint remote = { SHIM_REMOTE_ADDRESS, htons(PEER_PORT) };
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	struct output syn = next_output();
	struct tcp_sock *tcb = sk->protocol_state;
	/* Quoting another sequence number: ignored. */
	CHECK_EQ(icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_PORT_UNREACHABLE, 0, syn.source_port, PEER_PORT,
			    syn.seq + 100), NET_DROP_ICMP_ERROR_OUT_OF_WINDOW);
	CHECK_EQ(tcb->state, TCP_SYN_SENT);
	CHECK_EQ(icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_PORT_UNREACHABLE, 0, syn.source_port, PEER_PORT,
			    syn.seq), NET_DROP_NONE);
	CHECK_EQ(tcb->state, TCP_CLOSED);
	CHECK_EQ(sk->pending_error, ECONNREFUSED);
	CHECK(tcp_ops.poll(sk) & POLLERR);
	sock_free_unaccepted(sk);
	/* Host unreachable (soft) also ends a connect(), as on Linux. */
	sk = sock_allocate(&tcp_ops);
	CHECK_EQ(tcp_ops.connect(sk, &remote), -EINPROGRESS);
	syn = next_output();
	CHECK_EQ(icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, 1, 0, syn.source_port, PEER_PORT, syn.seq),
		 NET_DROP_NONE);
	CHECK_EQ(sk->pending_error, EHOSTUNREACH);
	sock_free_unaccepted(sk);
	shim_discard_output();
	/* Established: soft only; an ACK that advances forgets it. */
	struct connection c;
	establish(&c, true);
	CHECK_EQ(tcp_ops.send(c.sk, "hello", 5, 0, NULL), 5);
	struct output out = take(&c);
	CHECK(out.present && out.length == 5);
	CHECK_EQ(icmp_about(ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_PORT_UNREACHABLE, 0, LOCAL_PORT, PEER_PORT,
			    out.seq), NET_DROP_NONE);
	CHECK_EQ(c.tcb->state, TCP_ESTABLISHED);
	CHECK_EQ(c.sk->pending_error, 0);
	CHECK_EQ(c.tcb->soft_error, ECONNREFUSED);
	c.our_next += 5;
	peer_ack(&c);
	CHECK_EQ(c.tcb->soft_error, 0);
	/* Time exceeded, then no answer until the retries run out: reported instead of ETIMEDOUT. */
	CHECK_EQ(tcp_ops.send(c.sk, "again", 5, 0, NULL), 5);
	out = take(&c);
	CHECK_EQ(icmp_about(ICMP_TYPE_TIME_EXCEEDED, 0, 0, LOCAL_PORT, PEER_PORT, out.seq), NET_DROP_NONE);
	for (int second = 0; second < 2000 && c.tcb->state != TCP_CLOSED; second++)
		shim_advance(1000 * MS);
	CHECK_EQ(c.tcb->state, TCP_CLOSED);
	CHECK_EQ(c.sk->pending_error, EHOSTUNREACH);
	close_all(&c);
	check_pool_full();
}

struct test {
	const char *name;
	void (*run)(void);
};

static const struct test tests[] = {
	{ "sequence", test_sequence },
	{ "siphash", test_siphash },
	{ "ring", test_ring },
	{ "reassembly", test_reassembly },
	{ "scoreboard", test_scoreboard },
	{ "buffer_sizes", test_buffer_sizes },
	{ "syncookie", test_syncookie },
	{ "cubic", test_cubic },
	{ "options_negotiated", test_options_negotiated },
	{ "data_both_ways", test_data_both_ways },
	{ "delayed_ack", test_delayed_ack },
	{ "peer_closes_first", test_peer_closes_first },
	{ "we_close_first", test_we_close_first },
	{ "simultaneous_close", test_simultaneous_close },
	{ "simultaneous_open", test_simultaneous_open },
	{ "active_open", test_active_open },
	{ "connect_refused_and_timeout", test_connect_refused_and_timeout },
	{ "reset_validation", test_reset_validation },
	{ "challenge_ack_limit", test_challenge_ack_limit },
	{ "closed_port_reset", test_closed_port_reset },
	{ "malformed_segments", test_malformed_segments },
	{ "out_of_order_and_sack", test_out_of_order_and_sack },
	{ "paws", test_paws },
	{ "retransmission_backoff", test_retransmission_backoff },
	{ "rto_recovers", test_rto_recovers },
	{ "fast_retransmit_newreno", test_fast_retransmit_newreno },
	{ "sack_recovery", test_sack_recovery },
	{ "zero_window", test_zero_window },
	{ "keepalive", test_keepalive },
	{ "close_with_unread_data_resets", test_close_with_unread_data_resets },
	{ "lingering_close", test_lingering_close },
	{ "syn_received", test_syn_received },
	{ "syn_cookies", test_syn_cookies },
	{ "accept_queue_bound", test_accept_queue_bound },
	{ "time_wait_reuse", test_time_wait_reuse },
	{ "receive_autotuning", test_receive_autotuning },
	{ "tso_super_segments", test_tso_super_segments },
	{ "zero_copy_send", test_zero_copy_send },
	{ "icmp_path_mtu", test_icmp_path_mtu },
	{ "icmp_connection_errors", test_icmp_connection_errors },
	{ "gso_malformed", test_gso_malformed },
};

static int hex_value(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

/* Prints a parsed option set in a fixed format for the Python side. */
static int print_options(const char *hex)
{
	uint8_t bytes[64];
	unsigned length = 0;
	for (; hex[0] && hex[1] && length < sizeof(bytes); hex += 2)
		bytes[length++] = (uint8_t)(hex_value(hex[0]) << 4 | hex_value(hex[1]));
	struct tcp_options options;
	tcp_options_parse(bytes, length, &options);
	printf("malformed=%d", options.malformed);
	if (options.has_mss)
		printf(" mss=%u", options.mss);
	if (options.has_window_scale)
		printf(" wscale=%u", options.window_scale);
	if (options.sack_permitted)
		printf(" sackok");
	if (options.has_timestamps)
		printf(" ts=%u,%u", options.ts_value, options.ts_echo);
	for (unsigned i = 0; i < options.sack_count; i++)
		printf(" sack=%u-%u", options.sack[i].start, options.sack[i].end);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "options") == 0)
		return print_options(argv[2]);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: tcp_check <test>|all|list|options <hex>\n");
		return 2;
	}
	shim_set_cmdline("keel.tcp.timewait_ms", "2000");
	pool_create();
	tcp_init();
	bool all = strcmp(argv[1], "all") == 0, found = false;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!all && strcmp(argv[1], tests[i].name) != 0)
			continue;
		found = true;
		int before = failures;
		tests[i].run();
		printf("%s: %d failures\n", tests[i].name, failures - before);
	}
	if (!found) {
		fprintf(stderr, "unknown test %s\n", argv[1]);
		return 2;
	}
	free(pool_buffers);
	free(pool_descriptors);
	free(pool_in_use);
	return failures ? 1 : 0;
}
