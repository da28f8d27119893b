/* ipv4.c - IPv4 input: the RFC 791 / RFC 1122 3.2.1 header checks as a
 * straight checklist in a fixed order, one drop reason each; then trimming
 * of Ethernet padding and the protocol demux. */
#include "net/ipv4.h"

#include "net/checksum.h"
#include "net/drop.h"
#include "net/icmp.h"
#include "net/interface.h"
#include "net/wire/ipv4.h"

/* Returns the reason the header is unacceptable, or NET_DROP_REASON_COUNT. */
static enum net_drop_reason check_header(const struct pkt *pkt, const struct ipv4_header *header)
{
	unsigned header_length = ipv4_header_length(header);
	if (ipv4_version(header) != IPV4_VERSION)
		return NET_DROP_IP_BAD_VERSION;
	if (header_length < IPV4_HEADER_MIN_LENGTH)             /* RFC 791 3.1: IHL >= 5 */
		return NET_DROP_IP_BAD_IHL;
	if (header_length > pkt->length)
		return NET_DROP_IP_HEADER_TRUNCATED;
	if (internet_checksum(header, header_length) != 0)       /* RFC 1122 3.2.1.2 */
		return NET_DROP_IP_BAD_CHECKSUM;
	unsigned total_length = ntohs(header->total_length);
	if (total_length < header_length)
		return NET_DROP_IP_BAD_TOTAL_LENGTH;
	if (total_length > pkt->length)
		return NET_DROP_IP_TRUNCATED;
	if (header->time_to_live == 0)                           /* RFC 1812 5.3.1; ICMP time exceeded comes later */
		return NET_DROP_IP_TTL_ZERO;
	return NET_DROP_REASON_COUNT;
}

/* Our address, or a broadcast on our subnet (RFC 1122 3.2.1.3). */
static bool addressed_to_us(const struct net_interface *interface, be32 destination)
{
	return interface && (destination == interface->address || net_interface_is_broadcast(interface, destination));
}

static bool is_fragment(const struct ipv4_header *header)
{
	uint16_t flags_offset = ntohs(header->flags_fragment_offset);
	return (flags_offset & IPV4_FLAG_MORE_FRAGMENTS) || (flags_offset & IPV4_FRAGMENT_OFFSET_MASK);
}

void ipv4_input(struct netdev *dev, struct pkt *pkt)
{
	const struct ipv4_header *header = ipv4_header_view(pkt);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_IP_TOO_SHORT);
		return;
	}
	enum net_drop_reason reason = check_header(pkt, header);
	if (reason != NET_DROP_REASON_COUNT) {
		net_drop(pkt, reason);
		return;
	}
	struct net_interface *interface = net_interface_of(dev);
	if (!addressed_to_us(interface, header->destination)) {
		net_drop(pkt, NET_DROP_IP_NOT_FOR_US);
		return;
	}
	if (is_fragment(header)) {                               /* reassembly is issue 4 */
		net_drop(pkt, NET_DROP_IP_FRAGMENT);
		return;
	}
	pkt_trim(pkt, ntohs(header->total_length));              /* Ethernet padding */
	pkt_pull(pkt, ipv4_header_length(header));
	pkt_set_transport_header(pkt);
	switch (header->protocol) {
	case IP_PROTOCOL_ICMP:
		icmp_input(interface, pkt);
		break;
	default:
		net_drop(pkt, NET_DROP_IP_UNKNOWN_PROTOCOL);
		break;
	}
}
