/* conntrack_check_tcp.c - TCP tracking scenarios: a whole connection's
 * life, segments outside the tracked window, window scaling, impossible
 * flag combinations, RST, and a new SYN reopening a TIME_WAIT entry. The
 * client is INSIDE_HOST:40000, the server OUTSIDE_HOST:80, forwarded. */
#include "net/core/checksum.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "tests/host/conntrack_check.h"

#define CLIENT_ISN 1000u
#define SERVER_ISN 5000000u
#define CLIENT_PORT 40000
#define SERVER_PORT 80
#define SYN TCP_FLAG_SYN
#define ACK TCP_FLAG_ACK
#define FIN TCP_FLAG_FIN
#define RST TCP_FLAG_RST

/* One segment, client -> server (from_client) or back; returns its ct state. */
static uint8_t segment(bool from_client, uint8_t flags, uint32_t sequence, uint32_t ack, uint32_t length,
		       uint16_t window, int8_t scale)
{
	struct tcp_segment s = {
		.source = from_client ? INSIDE_HOST : OUTSIDE_HOST, .destination = from_client ? OUTSIDE_HOST : INSIDE_HOST,
		.source_port = from_client ? CLIENT_PORT : SERVER_PORT, .destination_port = from_client ? SERVER_PORT : CLIENT_PORT,
		.sequence = sequence, .acknowledgment = ack, .flags = flags, .window = window, .payload_length = length,
		.window_scale = scale,
	};
	return pass_state(make_tcp(&s), from_client ? PATH_FORWARD_OUT : PATH_FORWARD_IN);
}

static struct nf_conn *connection(void)
{
	return entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 6, CLIENT_PORT, SERVER_PORT);
}

static unsigned remaining_seconds(const struct nf_conn *entry)
{
	return (unsigned)((entry->expires_ns - host_time_now_ns) / SECOND);
}

/* SYN, SYN/ACK, ACK: ESTABLISHED and ASSURED. */
static void handshake(int8_t client_scale, int8_t server_scale)
{
	CHECK_EQ(segment(true, SYN, CLIENT_ISN, 0, 0, 64240, client_scale), NF_CT_STATE_NEW);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_SYN_SENT);
	CHECK_EQ(remaining_seconds(connection()), 120);
	CHECK_EQ(segment(false, SYN | ACK, SERVER_ISN, CLIENT_ISN + 1, 0, 65160, server_scale), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_SYN_RECV);
	CHECK_EQ(remaining_seconds(connection()), 60);
	CHECK(!(connection()->status & NF_CT_STATUS_ASSURED));
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 0, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_ESTABLISHED);
	CHECK(connection()->status & NF_CT_STATUS_ASSURED);
}

void scenario_tcp_handshake(void)
{
	handshake(7, 7);
	CHECK_EQ(remaining_seconds(connection()), 432000);
	/* Data both ways, then the client closes first. */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 100, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(remaining_seconds(connection()), 300);   /* data unacknowledged: Linux's 300 s */
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 101, 1000, 509, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 101, SERVER_ISN + 1001, 0, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(remaining_seconds(connection()), 432000);
	CHECK_EQ(segment(true, FIN | ACK, CLIENT_ISN + 101, SERVER_ISN + 1001, 0, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_FIN_WAIT);
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1001, CLIENT_ISN + 102, 0, 509, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_CLOSE_WAIT);
	CHECK_EQ(remaining_seconds(connection()), 60);
	CHECK_EQ(segment(false, FIN | ACK, SERVER_ISN + 1001, CLIENT_ISN + 102, 0, 509, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_LAST_ACK);
	CHECK_EQ(remaining_seconds(connection()), 30);
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 102, SERVER_ISN + 1002, 0, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_TIME_WAIT);
	CHECK_EQ(remaining_seconds(connection()), 120);
	CHECK_EQ(conntrack_stats.invalid, 0);
	CHECK_EQ(conntrack_stats.insert, 1);
}

void scenario_tcp_window(void)
{
	handshake(-1, -1);   /* no scaling: windows are 64240 / 65160 bytes */
	uint64_t invalid = conntrack_stats.invalid;
	/* I: beyond what the server's window allows. */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1 + 70000, SERVER_ISN + 1, 100, 502, -1), NF_CT_STATE_INVALID);
	/* II: far before the window (an old duplicate). */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN - 200000, SERVER_ISN + 1, 100, 502, -1), NF_CT_STATE_INVALID);
	/* III: acknowledging data the server never sent. */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1, SERVER_ISN + 50000, 0, 502, -1), NF_CT_STATE_INVALID);
	/* IV: an acknowledgment far behind. */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1, SERVER_ISN - 300000, 0, 502, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(conntrack_stats.invalid, invalid + 4);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_ESTABLISHED);
	/* In the window: fine, at its very edge too. */
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1, SERVER_ISN + 1, 1000, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1 + 65160 - 100, SERVER_ISN + 1, 100, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(conntrack_stats.invalid, invalid + 4);
}

/* RFC 7323: both SYNs carry the option, so later windows are shifted;
 * a segment 60000 bytes ahead fits only in the scaled window. */
void scenario_tcp_window_scale(void)
{
	handshake(7, 7);
	/* The server advertises 1000 << 7 = 128000 bytes. */
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1, 0, 1000, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1 + 100000, SERVER_ISN + 1, 1000, 502, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->window[0].scale, 7);
	conntrack_flush();
	/* Only the client offered scaling: no scaling either way (RFC 7323 1.3). */
	handshake(7, -1);
	CHECK_EQ(connection()->window[0].scale, 0);
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1, 0, 1000, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(segment(true, ACK, CLIENT_ISN + 1 + 100000, SERVER_ISN + 1, 1000, 502, -1), NF_CT_STATE_INVALID);
}

/* A TCP super-frame a NIC received whole (virtio GUEST_TSO4): length
 * bytes of payload in a chain of pkts, gso_size set, the checksum PARTIAL
 * (its field the pseudo-header sum: nothing to verify). */
static uint8_t super_segment(uint32_t sequence, uint32_t ack, uint32_t length)
{
	struct tcp_segment s = {
		.source = INSIDE_HOST, .destination = OUTSIDE_HOST, .source_port = CLIENT_PORT,
		.destination_port = SERVER_PORT, .sequence = sequence, .acknowledgment = ack, .flags = ACK,
		.window = 502, .payload_length = 1000, .window_scale = -1,
	};
	struct pkt *pkt = make_tcp(&s);
	for (uint32_t added = 1000; added < length;) {
		uint32_t piece = length - added < PKT_DATA_SIZE ? length - added : PKT_DATA_SIZE;
		struct pkt *fragment = pkt_alloc();
		memset(pkt_put(fragment, piece), 0x5A, piece);
		pkt_append_fragment(pkt, fragment);
		added += piece;
	}
	struct ipv4_header *ip = (struct ipv4_header *)pkt->data;
	ip->total_length = htons((uint16_t)pkt_total_length(pkt));
	ip->header_checksum = 0;
	ip->header_checksum = internet_checksum(ip, IPV4_HEADER_MIN_LENGTH);
	pkt->gso_size = 1448;
	pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
	return pass_state(pkt, PATH_FORWARD_OUT);
}

/* A super-segment is tracked by its whole payload (the IPv4 total length,
 * not the bytes in its first buffer): the server may acknowledge all of
 * it, and the next super-segment starts where it ended. */
void scenario_tcp_super_segment(void)
{
	handshake(7, 7);
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1, 0, 1000, -1), NF_CT_STATE_ESTABLISHED);
	uint64_t invalid = conntrack_stats.invalid;
	CHECK_EQ(super_segment(CLIENT_ISN + 1, SERVER_ISN + 1, 60000), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->window[0].end, CLIENT_ISN + 1 + 60000);
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1 + 60000, 0, 1000, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(super_segment(CLIENT_ISN + 1 + 60000, SERVER_ISN + 1, 40000), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1 + 100000, 0, 1000, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(conntrack_stats.invalid, invalid);
	/* III still holds: acknowledging beyond what was sent is invalid. */
	CHECK_EQ(segment(false, ACK, SERVER_ISN + 1, CLIENT_ISN + 1 + 100001, 0, 1000, -1), NF_CT_STATE_INVALID);
}

void scenario_tcp_flags(void)
{
	static const uint8_t invalid_flags[] = { SYN | FIN, SYN | RST, 0, FIN, FIN | RST | ACK | SYN, SYN | FIN | ACK,
						 TCP_FLAG_URG, TCP_FLAG_PSH };
	/* As a first packet: no entry made. */
	for (unsigned index = 0; index < sizeof(invalid_flags); index++)
		CHECK_EQ(segment(true, invalid_flags[index], CLIENT_ISN, 0, 0, 64240, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(conntrack_count(), 0);
	/* A FIN/ACK, RST or SYN/ACK cannot start a connection either. */
	CHECK_EQ(segment(true, SYN | ACK, CLIENT_ISN, 1, 0, 64240, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(segment(true, FIN | ACK, CLIENT_ISN, 1, 0, 64240, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(segment(true, RST, CLIENT_ISN, 0, 0, 0, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(conntrack_count(), 0);
	handshake(-1, -1);
	for (unsigned index = 0; index < sizeof(invalid_flags); index++)
		CHECK_EQ(segment(false, invalid_flags[index], SERVER_ISN + 1, 0, 0, 509, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_ESTABLISHED);
	/* PSH, ECE and CWR do not matter (Linux masks them). */
	CHECK_EQ(segment(true, ACK | TCP_FLAG_PSH | TCP_FLAG_ECE, CLIENT_ISN + 1, SERVER_ISN + 1, 10, 502, -1),
		 NF_CT_STATE_ESTABLISHED);
}

void scenario_tcp_rst(void)
{
	handshake(-1, -1);
	/* An RST far outside the window is INVALID and closes nothing. */
	CHECK_EQ(segment(false, RST, SERVER_ISN + 10000000, 0, 0, 0, -1), NF_CT_STATE_INVALID);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_ESTABLISHED);
	/* In the window: CLOSE, with its 10 s. */
	CHECK_EQ(segment(false, RST, SERVER_ISN + 1, 0, 0, 0, -1), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_CLOSE);
	CHECK_EQ(remaining_seconds(connection()), 10);
	host_time_advance(11 * SECOND);
	CHECK(connection() == NULL);
	conntrack_flush();
	CHECK(pool_full());
	/* A SYN answered by RST (closed port): the entry goes at once. */
	CHECK_EQ(segment(true, SYN, CLIENT_ISN, 0, 0, 64240, -1), NF_CT_STATE_NEW);
	CHECK_EQ(segment(false, RST | ACK, 0, CLIENT_ISN + 1, 0, 0, -1), NF_CT_STATE_ESTABLISHED);
	CHECK(connection() == NULL);
	CHECK(pool_full());
}

void scenario_tcp_reopen(void)
{
	scenario_tcp_handshake();
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_TIME_WAIT);
	uint64_t inserted = conntrack_stats.insert;
	/* The same ports again, new ISN: a new connection (RFC 9293 3.6.1). */
	CHECK_EQ(segment(true, SYN, CLIENT_ISN + 900000, 0, 0, 64240, -1), NF_CT_STATE_NEW);
	CHECK_EQ(connection()->tcp_state, CONNTRACK_TCP_SYN_SENT);
	CHECK_EQ(conntrack_stats.insert, inserted + 1);
	CHECK_EQ(conntrack_count(), 1);
}
