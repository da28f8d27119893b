/* nft_reject.c - the `reject` statement's answer: an ICMP destination
 * unreachable through IPv4's error sender (port unreachable unless `with
 * icmp type ...` says otherwise; its RFC 1122 3.2.2 rules and rate limits
 * apply), or with `with tcp reset` a TCP RST built here as RFC 9293
 * 3.10.7.1 answers a segment for no connection, sent through IPv4 output.
 * In an output chain the answer goes to the local stack instead, through
 * IPv4's loopback (as Linux). The rejected packet itself is then dropped by
 * the caller. */
#include <string.h>

#include "net/core/checksum.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ipv4.h"
#include "net/netfilter/nft_internal.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

static uint32_t read32(const uint8_t *at)
{
	return (uint32_t)at[0] << 24 | (uint32_t)at[1] << 16 | (uint32_t)at[2] << 8 | at[3];
}

/* RFC 9293 3.10.7.1: "If the incoming segment has the ACK bit set, the
 * reset takes its sequence number from the ACK field of the segment;
 * otherwise, the reset has sequence number zero and the ACK field is set
 * to the sum of the sequence number and segment length of the incoming
 * segment" (SYN and FIN count in the length). An RST is never answered. */
bool nft_reject_build_reset(const struct nft_packet *packet, uint8_t segment[TCP_HEADER_MIN_LENGTH])
{
	const struct tcp_header *incoming = (const struct tcp_header *)packet->transport;
	if (packet->protocol != IP_PROTOCOL_TCP || incoming == NULL || packet->transport_length < TCP_HEADER_MIN_LENGTH ||
	    (incoming->flags & TCP_FLAG_RST))
		return false;
	const struct ipv4_header *ip = (const struct ipv4_header *)packet->network;
	unsigned header_length = tcp_header_length(incoming);
	uint32_t ip_payload = ntohs(ip->total_length) - ipv4_header_length(ip);
	uint32_t data_length = ip_payload > header_length ? ip_payload - header_length : 0;
	struct tcp_header *reset = (struct tcp_header *)segment;
	memset(reset, 0, TCP_HEADER_MIN_LENGTH);
	reset->source_port = incoming->destination_port;
	reset->destination_port = incoming->source_port;
	reset->data_offset = (TCP_HEADER_MIN_LENGTH / 4) << 4;
	if (incoming->flags & TCP_FLAG_ACK) {
		reset->sequence = incoming->acknowledgment;
		reset->flags = TCP_FLAG_RST;
	} else {
		uint32_t length = data_length + !!(incoming->flags & TCP_FLAG_SYN) + !!(incoming->flags & TCP_FLAG_FIN);
		reset->acknowledgment = htonl(read32((const uint8_t *)&incoming->sequence) + length);
		reset->flags = TCP_FLAG_RST | TCP_FLAG_ACK;
	}
	reset->checksum = ipv4_pseudo_header_sum(ip->destination, ip->source, IP_PROTOCOL_TCP, TCP_HEADER_MIN_LENGTH);
	reset->checksum = internet_checksum(reset, TCP_HEADER_MIN_LENGTH);
	return true;
}

#define FIRST_OCTET_MULTICAST 224

/* Linux's nf_send_reset answers no broadcast or multicast (RFC 1122 4.2.3.10:
 * a segment to such an address is not for a connection). */
static void send_reset(const struct pkt *pkt, const struct nft_packet *packet)
{
	const struct ipv4_header *received = (const struct ipv4_header *)packet->network;
	if ((pkt->flags & (PKT_FLAG_BROADCAST | PKT_FLAG_MULTICAST)) ||
	    (ntohl(received->destination) >> 24) >= FIRST_OCTET_MULTICAST)
		return;
	uint8_t segment[TCP_HEADER_MIN_LENGTH];
	if (!nft_reject_build_reset(packet, segment))
		return;
	struct pkt *reset = pkt_alloc();
	if (reset == NULL)
		return;
	uint8_t *at = pkt_put(reset, TCP_HEADER_MIN_LENGTH);
	memcpy(at, segment, TCP_HEADER_MIN_LENGTH);
	const struct ipv4_header *ip = (const struct ipv4_header *)packet->network;
	ipv4_output(reset, ip->destination, ip->source, IP_PROTOCOL_TCP);
}

/* Linux's nf_ct_attach: the answer belongs to the rejected packet's
 * connection as RELATED (in the reply direction), so the local stack's own
 * `ct state` rules see it as such rather than as a new flow. */
static void attach_related(struct pkt *answer, const struct pkt *rejected)
{
	if (rejected->conntrack_state == 0)
		return;
	answer->conntrack_state = NF_CT_STATE_RELATED;
	answer->conntrack_reply = 1;
}

/* reject in an output chain: the packet is our own, so the answer is too,
 * addressed to the local stack (Linux's nf_send_reset and nf_send_unreach
 * at NF_INET_LOCAL_OUT route it to our address and ip_local_out sends it
 * through `lo`): the socket that sent gets its RST (connect fails with
 * ECONNREFUSED, a connection is reset) or its ICMP error (ECONNREFUSED,
 * EHOSTUNREACH... on a connected socket). */
static void answer_local(const struct nft_item *verdict, const struct pkt *pkt, const struct nft_packet *packet)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)packet->network;
	struct pkt *answer;
	be32 source;
	uint8_t protocol;
	if (verdict->verdict.reject_kind == NFT_REJECT_TCP_RESET) {
		uint8_t segment[TCP_HEADER_MIN_LENGTH];
		if (!nft_reject_build_reset(packet, segment) || (answer = pkt_alloc()) == NULL)
			return;
		memcpy(pkt_put(answer, TCP_HEADER_MIN_LENGTH), segment, TCP_HEADER_MIN_LENGTH);
		source = ip->destination;                 /* from the peer it was meant for */
		protocol = IP_PROTOCOL_TCP;
	} else {
		/* icmp_send's own refusals: no error about a later fragment or an ICMP error */
		bool icmp_error = ip->protocol == IP_PROTOCOL_ICMP &&
				  (packet->transport == NULL || icmp_type_is_error(packet->transport[0]));
		if (ipv4_fragment_offset(ip) != 0 || icmp_error)
			return;
		uint32_t available = (uint32_t)(pkt->data + pkt->length - packet->network);
		answer = icmp_error_message(packet->network, available, ICMP_TYPE_DESTINATION_UNREACHABLE,
					    verdict->verdict.icmp_code);
		if (answer == NULL)
			return;
		source = ip->source;                      /* Linux picks our address toward ourselves */
		protocol = IP_PROTOCOL_ICMP;
	}
	attach_related(answer, pkt);
	/* the device only names where the answer "arrives"; loopback does not write it */
	ipv4_loopback_output(answer, source, ip->source, protocol, (struct netdev *)packet->out);
}

void nft_reject_send(const struct nft_item *verdict, const struct pkt *pkt, const struct nft_packet *packet)
{
	if (packet->in == NULL) {
		answer_local(verdict, pkt, packet);
		return;
	}
	bool tcp_reset = verdict->verdict.reject_kind == NFT_REJECT_TCP_RESET;
	if (tcp_reset) {
		send_reset(pkt, packet);
		return;
	}
	struct net_interface *interface = net_interface_of(packet->in);
	uint32_t available = (uint32_t)(pkt->data + pkt->length - packet->network);
	if (interface)
		icmp_error_send(interface, packet->network, available, pkt->flags, ICMP_TYPE_DESTINATION_UNREACHABLE,
				verdict->verdict.icmp_code, 0);
}
