/* tcp_check_validation.c - tests/host/test_tcp.py (tcp_check_main.c runs
 * them): segments TCP must refuse or answer with care: RST validation (RFC
 * 5961), the challenge-ACK limit, RSTs for closed ports, malformed options
 * and headers, and PAWS (RFC 7323 5). */
#include <errno.h>
#include <string.h>

#include "net/tcp/sysctl.h"
#include "net/tcp/tcp.h"
#include "net/wire/ipv4.h"
#include "tests/host/tcp_check.h"

void test_reset_validation(void)
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

void test_challenge_ack_limit(void)
{
	struct connection c;
	establish(&c, true);
	int64_t saved = tcp_challenge_ack_limit;
	tcp_challenge_ack_limit = 10;
	host_time_advance(1000 * MS);                          /* a fresh second */
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

void test_closed_port_reset(void)
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

void test_malformed_segments(void)
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

void test_paws(void)
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
