/* tcp_check_close.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * closing: either side first, both at once, close() with unread data (RST),
 * close() with SO_LINGER, and reusing a connection in TIME_WAIT. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include "net/tcp/sysctl.h"
#include "tests/host/tcp_check.h"

void test_peer_closes_first(void)
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

void test_we_close_first(void)
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
	host_time_advance((uint64_t)tcp_time_wait_ms * MS + MS);   /* 2 * MSL */
	CHECK_EQ(tcp_state_count(TCP_TIME_WAIT), 0);
	close_all(&c);
	check_pool_full();
}

void test_simultaneous_close(void)
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

void test_close_with_unread_data_resets(void)
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
void test_lingering_close(void)
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

void test_time_wait_reuse(void)
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
