/* tcp_check_icmp.c - tests/host/test_tcp.py (tcp_check_main.c runs them):
 * ICMP errors handed to TCP (net/tcp/icmp.c): path MTU discovery (RFC 1191 /
 * RFC 5927) and the errors that end or report on a connection (RFC 1122
 * 4.2.3.9). */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "net/ipv4/icmp.h"
#include "net/tcp/tcp.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "tests/host/tcp_check.h"

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
					    .transport_length = ICMP_ERROR_QUOTED_DATA_MIN, .now_ns = host_time_now_ns };
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
void test_icmp_path_mtu(void)
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
	CHECK_EQ(ipv4_pmtu_get(SHIM_REMOTE_ADDRESS, host_time_now_ns), 552);
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
	host_time_advance(601 * 1000 * MS);
	CHECK_EQ(ipv4_pmtu_get(SHIM_REMOTE_ADDRESS, host_time_now_ns), 0);
	shim_discard_output();
	shim_device.features = 0;
	ipv4_pmtu_reset();
	check_pool_full();
}

/* RFC 1122 4.2.3.9 as Linux: in SYN_SENT an ICMP error about our SYN ends
 * connect() with its errno; in ESTABLISHED it is only noted (soft) and
 * becomes the error reported if the connection then times out. */
void test_icmp_connection_errors(void)
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
		host_time_advance(1000 * MS);
	CHECK_EQ(c.tcb->state, TCP_CLOSED);
	CHECK_EQ(c.sk->pending_error, EHOSTUNREACH);
	close_all(&c);
	check_pool_full();
}
