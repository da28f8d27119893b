/* ipv4_output.c - builds the IPv4 header in the headroom and hands the
 * packet to ARP for the next hop: on-link destinations direct, the rest to
 * the gateway from ip=. */
#include "net/ipv4.h"

#include "net/arp.h"
#include "net/checksum.h"
#include "net/drop.h"
#include "net/interface.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

/* RFC 6864 4.1: the ID only has to be unique among fragmentable packets
 * in flight; we set DF, so a simple counter is more than enough. */
static uint16_t next_identification;

void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol)
{
	be32 next_hop;
	struct net_interface *interface = net_route(destination, &next_hop);
	if (interface == NULL) {
		net_drop(pkt, NET_DROP_IP_NO_ROUTE);
		return;
	}
	uint16_t total_length = (uint16_t)(pkt->length + IPV4_HEADER_MIN_LENGTH);
	struct ipv4_header *header = (struct ipv4_header *)pkt_push(pkt, IPV4_HEADER_MIN_LENGTH);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_ETH_NO_HEADROOM);
		return;
	}
	*header = (struct ipv4_header){
		.version_ihl = IPV4_VERSION << 4 | IPV4_HEADER_MIN_LENGTH / 4,
		.total_length = htons(total_length),
		.identification = htons(next_identification++),
		.flags_fragment_offset = htons(IPV4_FLAG_DONT_FRAGMENT),
		.time_to_live = IPV4_DEFAULT_TTL,
		.protocol = protocol,
		.source = source,
		.destination = destination,
	};
	header->header_checksum = internet_checksum(header, IPV4_HEADER_MIN_LENGTH);
	pkt_set_network_header(pkt);
	pkt->protocol = ETHERTYPE_IPV4;
	arp_output(interface, next_hop, pkt);
}
