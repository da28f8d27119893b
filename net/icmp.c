/* icmp.c - ICMP (RFC 792): checks the message checksum and answers echo
 * requests in place: the request's buffer becomes the reply (type changed,
 * checksum updated incrementally, addresses swapped), no copy. */
#include "net/icmp.h"

#include "net/checksum.h"
#include "net/drop.h"
#include "net/ipv4.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* The checksum covers the type byte as the high half of the first word:
 * RFC 1624 lets the reply reuse the request's checksum. */
static be16 type_code_word(const struct icmp_header *header)
{
	return htons((uint16_t)(header->type << 8 | header->code));
}

static void echo_reply(struct net_interface *interface, struct pkt *pkt, struct icmp_header *icmp)
{
	const struct ipv4_header *request = (const struct ipv4_header *)pkt_network_header(pkt);
	be32 requester = request->source;
	be16 old_word = type_code_word(icmp);
	icmp->type = ICMP_TYPE_ECHO_REPLY;
	icmp->checksum = internet_checksum_update(icmp->checksum, old_word, type_code_word(icmp));
	pkt->flags = 0;
	ipv4_output(pkt, interface->address, requester, IP_PROTOCOL_ICMP);
}

void icmp_input(struct net_interface *interface, struct pkt *pkt)
{
	struct icmp_header *icmp = icmp_header_view(pkt);
	if (icmp == NULL) {
		net_drop(pkt, NET_DROP_ICMP_TRUNCATED);
		return;
	}
	/* Verified in software always: NICs' receive checksum offloads cover TCP and UDP, not ICMP. */
	if (internet_checksum(pkt->data, pkt->length) != 0) {
		net_drop(pkt, NET_DROP_ICMP_BAD_CHECKSUM);
		return;
	}
	if (icmp->type != ICMP_TYPE_ECHO_REQUEST || icmp->code != 0) {
		net_drop(pkt, NET_DROP_ICMP_UNHANDLED_TYPE);
		return;
	}
	/* RFC 1122 3.2.2.6 allows ignoring echo to broadcast; Linux does by default. */
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt_network_header(pkt);
	if ((pkt->flags & PKT_FLAG_BROADCAST) || ip->destination != interface->address) {
		net_drop(pkt, NET_DROP_ICMP_BROADCAST_ECHO);
		return;
	}
	echo_reply(interface, pkt, icmp);
}
