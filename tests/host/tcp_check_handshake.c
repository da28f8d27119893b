/* tcp_check_handshake.c - tests/host/test_tcp.py (tcp_check_main.c runs
 * them): opening connections: options negotiated on the SYN, simultaneous
 * and active open, refused and timed-out connects, SYN_RECEIVED, SYN cookies
 * and the accept queue's bound. */
#include <errno.h>
#include <poll.h>

#include "net/tcp/listen.h"
#include "net/tcp/sysctl.h"
#include "tests/host/tcp_check.h"

void test_options_negotiated(void)
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

void test_simultaneous_open(void)
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
	host_time_advance(200 * 1000 * MS);
	shim_discard_output();
	check_pool_full();
}

void test_active_open(void)
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
	host_time_advance(200 * 1000 * MS);
	shim_discard_output();
	check_pool_full();
}

void test_connect_refused_and_timeout(void)
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
		host_time_advance(1000 * MS);
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

void test_syn_received(void)
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
		host_time_advance(1000 * MS);
		struct output out;
		while ((out = next_output()).present)
			synacks++;
	}
	CHECK_EQ(synacks, 1 + tcp_synack_retries);
	CHECK_EQ(((struct tcp_sock *)c.listener->protocol_state)->listen->syn_count, 0);
	close_all(&c);
	check_pool_full();
}

void test_syn_cookies(void)
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

void test_accept_queue_bound(void)
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
