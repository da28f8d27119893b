/* input.c - segment arrival: the header checklist (one drop reason per
 * check), then the connection lookup and the per-state function (RFC 9293
 * 3.10.7: CLOSED, LISTEN, SYN-SENT, and the synchronized states). The pkt
 * is freed here after the state functions ran: they only read it. */
#include "net/tcp/internal.h"
#include "net/tcp/tcp.h"

#include "kernel/time/clock.h"
#include "net/ipv4/interface.h"
#include "net/wire/ipv4.h"

#define IPV4_MULTICAST_MASK 0xF0000000u     /* 224.0.0.0/4, host order */
#define IPV4_MULTICAST_PREFIX 0xE0000000u

static bool unicast_address(const struct net_interface *interface, be32 address)
{
	if ((ntohl(address) & IPV4_MULTICAST_MASK) == IPV4_MULTICAST_PREFIX || address == IPV4_ADDRESS_BROADCAST)
		return false;
	return !(interface && net_interface_is_broadcast(interface, address));
}

static enum net_drop_reason parse_segment(struct netdev *dev, struct pkt *pkt, struct tcp_segment *seg)
{
	const struct tcp_header *header = tcp_header_view(pkt);
	if (header == NULL)
		return TCP_DROP_TRUNCATED;
	unsigned header_length = tcp_header_length(header);
	if (header_length < TCP_HEADER_MIN_LENGTH || header_length > pkt->length)
		return TCP_DROP_BAD_DATA_OFFSET;
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt_network_header(pkt);
	seg->source = ip->source;
	seg->destination = ip->destination;
	if (pkt->checksum_state != PKT_CHECKSUM_UNNECESSARY &&
	    !tcp_checksum_valid(pkt->data, pkt->length, seg->source, seg->destination))
		return TCP_DROP_BAD_CHECKSUM;
	/* RFC 1122 4.2.3.10: TCP is unicast only, from and to. */
	const struct net_interface *interface = net_interface_of(dev);
	if ((pkt->flags & (PKT_FLAG_BROADCAST | PKT_FLAG_MULTICAST)) || !unicast_address(interface, seg->destination) ||
	    !unicast_address(interface, seg->source))
		return TCP_DROP_NOT_UNICAST;
	if (header->source_port == 0 || header->destination_port == 0)
		return TCP_DROP_BAD_PORT;
	seg->source_port = header->source_port;
	seg->destination_port = header->destination_port;
	seg->seq = ntohl(header->sequence);
	seg->ack = ntohl(header->acknowledgment);
	seg->flags = header->flags;
	seg->window = ntohs(header->window);
	seg->payload = pkt->data + header_length;
	seg->length = pkt->length - header_length;
	tcp_options_parse(pkt->data + TCP_HEADER_MIN_LENGTH, header_length - TCP_HEADER_MIN_LENGTH, &seg->options);
	if (seg->options.malformed)
		tcp_count(TCP_BAD_OPTIONS);
	return NET_DROP_NONE;
}

/* RFC 9293 3.10.7.4 (TIME-WAIT) with RFC 6191: a new SYN may take over a
 * TIME_WAIT 4-tuple when it is clearly newer: its timestamp is newer, or,
 * without timestamps, its sequence number is beyond the old connection's. */
static bool time_wait_reusable(const struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if ((seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) != TCP_FLAG_SYN)
		return false;
	if (tcb->timestamps_ok && seg->options.has_timestamps)
		return tcp_seq_gt(seg->options.ts_value, tcb->ts_recent);
	return tcp_seq_gt(seg->seq, tcb->rcv_nxt);
}

static void dispatch(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	switch (tcb->state) {
	case TCP_LISTEN:
		tcp_rcv_listen(tcb, seg);
		break;
	case TCP_SYN_SENT:
		tcp_rcv_syn_sent(tcb, seg);
		break;
	case TCP_CLOSED:
		tcp_reset_reply(seg);
		seg->drop = TCP_DROP_NO_SOCKET;
		break;
	default:
		tcp_rcv_synchronized(tcb, seg);
		break;
	}
}

bool (*tcp_lose_segment)(void);

void tcp_input(struct netdev *dev, struct pkt *pkt)
{
	tcp_init();
	if (tcp_fault_injected()) {
		tcp_drop(pkt, TCP_DROP_FAULT_INJECTED);
		return;
	}
	tcp_count(TCP_IN_SEGMENTS);
	struct tcp_segment seg = { .pkt = pkt, .now_ns = clock_monotonic_ns() };
	enum net_drop_reason reason = parse_segment(dev, pkt, &seg);
	if (reason != NET_DROP_NONE) {
		tcp_count(TCP_IN_ERRORS);
		tcp_drop(pkt, reason);
		return;
	}
	struct tcp_sock *tcb = tcp_table_lookup(seg.destination, seg.destination_port, seg.source, seg.source_port);
	if (tcb && tcb->state == TCP_TIME_WAIT && time_wait_reusable(tcb, &seg)) {
		tcp_count(TCP_TIME_WAIT_REUSED);
		tcp_set_closed(tcb, 0);
		tcp_release_if_done(tcb);
		tcb = NULL;
	}
	if (tcb == NULL)
		tcb = tcp_listener_lookup(seg.destination, seg.destination_port);
	if (tcb == NULL) {
		if (!(seg.flags & TCP_FLAG_RST))                /* RFC 9293 3.10.7.1 */
			tcp_reset_reply(&seg);
		tcp_drop(pkt, TCP_DROP_NO_SOCKET);
		return;
	}
	dispatch(tcb, &seg);
	if (seg.drop != NET_DROP_NONE)
		tcp_drop(pkt, seg.drop);
	else
		pkt_free(pkt);
	tcp_release_if_done(tcb);
}
