/* tcp_check_loss.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * loss and reordering: out-of-order data and the SACK blocks we send, the
 * retransmission timer and its backoff, RTO recovery, NewReno fast
 * retransmit and SACK-based recovery. */
#include <errno.h>
#include <string.h>

#include "net/tcp/sysctl.h"
#include "tests/host/tcp_check.h"

void test_out_of_order_and_sack(void)
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

void test_retransmission_backoff(void)
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
	uint64_t last = host_time_now_ns, intervals[8];
	unsigned count = 0;
	for (int step = 0; step < 20000 && count < 8 && c.tcb->state != TCP_CLOSED; step++) {
		host_time_advance(MS);
		struct output again = take(&c);
		if (again.present && again.length == 4) {
			CHECK_EQ(again.seq, first.seq);
			intervals[count++] = (host_time_now_ns - last) / MS;
			last = host_time_now_ns;
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

void test_rto_recovers(void)
{
	struct connection c;
	establish(&c, true);
	static char data[5000];
	CHECK_EQ(tcp_ops.send(c.sk, data, sizeof(data), 0, NULL), 5000);
	unsigned sent = 0;
	while (take(&c).present)
		sent++;
	CHECK_EQ(sent, 3);                                /* the last 656 bytes wait (Nagle) */
	host_time_advance(201 * MS);                            /* all lost: RTO, cwnd 1 segment */
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

void test_fast_retransmit_newreno(void)
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

void test_sack_recovery(void)
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
