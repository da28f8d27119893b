/* tcp_check_data.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * data on an established connection: both directions, delayed ACKs, the zero
 * window and its probes, keepalive, and receive-buffer autotuning. */
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "net/tcp/sysctl.h"
#include "tests/host/tcp_check.h"

void test_data_both_ways(void)
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

void test_delayed_ack(void)
{
	struct connection c;
	establish(&c, true);
	c.tcb->quick_acks = 0;
	char data[100] = { 0 };
	peer_send(&c, TCP_FLAG_ACK, data, 100);
	CHECK(!shim_pending());                          /* held for the delayed-ACK timer */
	host_time_advance(39 * MS);
	CHECK(!shim_pending());
	host_time_advance(2 * MS);
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

void test_zero_window(void)
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
		host_time_advance(50 * MS);
		while ((ack = take(&c)).present)
			last_window = ack.window;
	}
	CHECK_EQ(last_window, 0);
	/* Everything acknowledged is in the buffer, which is full to the last scale unit. */
	CHECK(c.tcb->receive_buffer.used + (1u << c.tcb->rcv_wscale) > c.tcb->receive_buffer.capacity);
	/* The peer's probe (Linux's: an old sequence number, no data) is answered with the zero window. */
	uint32_t acked = c.tcb->rcv_nxt;
	c.peer_next = acked - 1;
	host_time_advance(1000 * MS);                            /* past the out-of-window ACK rate limit */
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
		host_time_advance(100 * MS);
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

/* Counts zero-window probes (no payload, one byte behind snd_nxt) over
 * `seconds` of silence from the peer; returns whether an RST went out. */
static bool silent_peer_probes(struct connection *c, unsigned seconds, unsigned *probes)
{
	bool reset = false;
	for (unsigned step = 0; step < seconds * 10; step++) {
		host_time_advance(100 * MS);
		struct output out;
		while ((out = take(c)).present) {
			if (out.flags & TCP_FLAG_RST)
				reset = true;
			else if (out.length == 0)
				(*probes)++;
		}
	}
	return reset;
}

/* A peer that stops answering behind a zero window: the persist timer
 * gives up after net.ipv4.tcp_retries2 unanswered probes (ETIMEDOUT, RST),
 * and an orphan after tcp_orphan_retries (0: 8), as Linux's
 * tcp_probe_timer; an answered probe resets the count (RFC 9293 3.8.6.1:
 * never give up while the receiver answers). Found by the TCP fuzzer. */
/* The application does not read; the peer fills every window it is
 * offered with segments that are not multiples of the scale unit. The
 * right edge we advertise (ack + window << wscale) moves back only when
 * the ring cannot hold the window rounded up to the unit, never by a unit
 * or more, and what the peer sends within it is taken. A peer that then
 * ACKs from the pulled-back edge (Linux does, taking the window for
 * shrunk) has its acknowledgment processed. */
void test_window_edge_never_retreats(void)
{
	struct connection c;
	establish(&c, true);
	uint32_t unit = 1u << c.tcb->rcv_wscale;
	CHECK(unit > 1);
	static char chunk[1448];
	uint32_t furthest_edge = c.tcb->rcv_adv, avoidable_retreats = 0, retreated_edge = 0, rounds = 0;
	for (; rounds < 4000; rounds++) {
		uint32_t room = furthest_edge - c.peer_next;
		if ((int32_t)room <= 0)
			break;
		uint32_t length = room < sizeof(chunk) ? room : sizeof(chunk);
		uint32_t before = c.peer_next;
		peer_send(&c, TCP_FLAG_ACK | TCP_FLAG_PSH, chunk, length);
		host_time_advance(50 * MS);
		struct output ack;
		while ((ack = take(&c)).present) {
			CHECK(tcp_seq_geq(ack.ack, before + length));           /* taken, not dropped */
			uint32_t edge = ack.ack + ((uint32_t)ack.window << c.tcb->rcv_wscale);
			if (tcp_seq_lt(edge, furthest_edge)) {
				CHECK(furthest_edge - edge < unit);
				uint32_t rounded_up = (furthest_edge - ack.ack + unit - 1) / unit * unit;
				if (rounded_up <= tcp_ring_free_space(&c.tcb->receive_buffer))
					avoidable_retreats++;
				retreated_edge = edge;
			}
			if (tcp_seq_gt(edge, furthest_edge))
				furthest_edge = edge;
		}
	}
	CHECK(rounds > 10 && rounds < 4000);
	CHECK_EQ(avoidable_retreats, 0);
	CHECK(retreated_edge != 0);                /* the ring is exactly the window: it happens */
	CHECK(c.tcb->receive_buffer.used <= c.tcb->receive_buffer.capacity);
	/* Our data, acknowledged by a pure ACK from the pulled-back edge. */
	CHECK_EQ(tcp_ops.send(c.sk, "abc", 3, 0, NULL), 3);
	shim_discard_output();
	uint32_t received_up_to = c.peer_next;
	c.our_next += 3;
	c.peer_next = retreated_edge;
	CHECK(tcp_seq_lt(retreated_edge, c.tcb->rcv_nxt));
	peer_ack(&c);
	c.peer_next = received_up_to;
	CHECK_EQ(c.tcb->snd_una, c.our_next);
	close_all(&c);
	check_pool_full();
}

void test_persist_gives_up(void)
{
	struct connection c;
	establish(&c, true);
	c.peer_window = 0;
	peer_ack(&c);
	CHECK_EQ(tcp_ops.send(c.sk, "abc", 3, 0, NULL), 3);
	unsigned probes = 0;
	CHECK(!silent_peer_probes(&c, 60, &probes));          /* 0.2 s doubling: 8 probes in a minute */
	CHECK(probes >= 6 && probes <= 9);
	peer_ack(&c);                                          /* an answer (still zero): the count restarts */
	shim_discard_output();
	probes = 0;
	CHECK(silent_peer_probes(&c, 3600, &probes));
	CHECK_EQ(probes, (unsigned)tcp_retries2);
	CHECK_EQ(c.sk->pending_error, ETIMEDOUT);
	close_all(&c);
	check_pool_full();

	/* The orphan: closed by the app with its data unsent, then silence. */
	unsigned before = tcp_table_count();
	establish(&c, true);
	c.peer_window = 0;
	peer_ack(&c);
	CHECK_EQ(tcp_ops.send(c.sk, "abc", 3, 0, NULL), 3);
	sock_free_unaccepted(c.sk);
	c.sk = NULL;
	probes = 0;
	CHECK(silent_peer_probes(&c, 3600, &probes));
	CHECK_EQ(probes, 8u);
	CHECK_EQ(tcp_table_count(), before);                  /* gone, not persisting forever */
	close_all(&c);
	check_pool_full();
}

void test_keepalive(void)
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
	host_time_advance(9 * 1000 * MS);
	CHECK(!shim_pending());
	host_time_advance(1100 * MS);
	struct output probe = take(&c);
	CHECK(probe.present && probe.seq == c.our_next - 1 && probe.length == 0);
	peer_ack(&c);                                      /* answered: idle again */
	host_time_advance(9 * 1000 * MS);
	CHECK(!shim_pending());
	host_time_advance(30 * 1000 * MS);                     /* unanswered: 3 probes 2 s apart, then reset */
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

void test_receive_autotuning(void)
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
			host_time_advance(MS);
	}
	CHECK(c.tcb->receive_buffer.capacity > initial);
	CHECK(c.tcb->receive_buffer.capacity <= tcp_rmem.maximum);
	CHECK(tcp_counters[TCP_RECEIVE_BUFFER_GROWN] >= 1);
	close_all(&c);
	check_pool_full();
}
