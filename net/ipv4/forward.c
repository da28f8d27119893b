/* forward.c - IPv4 forwarding (contract in net/ipv4/forward.h). The
 * checks run in Linux's order but for one: the input route (martian
 * source and destination, ip_forward), the link-layer host-only check
 * (Linux's ip_forward makes it after routing: the verdict is the same, and
 * no route lookup is spent on a broadcast frame), the routing table and
 * rp_filter, then ip_forward's (options, TTL, MTU, redirect), then the
 * hooks and the way out. ICMP errors quote the datagram as it arrived,
 * before its TTL changes. */
#include "net/ipv4/forward.h"

#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/checksum.h"
#include "net/core/gso.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/devconf.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/internal.h"
#include "net/ipv4/ip_mib.h"
#include "net/ipv4/options.h"
#include "net/ipv4/route.h"
#include "net/netfilter/netfilter.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"


#define RP_FILTER_STRICT 1
#define RP_FILTER_LOOSE 2

static bool in_prefix(be32 address, uint32_t prefix, unsigned length)
{
	return (ntohl(address) >> (32 - length)) == (prefix >> (32 - length));
}

/* RFC 1812 5.3.7 and RFC 3927 2.7: addresses that name no one host
 * anywhere: this network (0/8), loopback (127/8), multicast (224/4, we do
 * not route it), class E and the limited broadcast (240/4), link-local
 * (169.254/16, never beyond its link). */
static bool special_address(be32 address)
{
	return in_prefix(address, 0x00000000u, 8) || in_prefix(address, 0x7F000000u, 8) ||
	       in_prefix(address, 0xE0000000u, 4) || in_prefix(address, 0xF0000000u, 4) ||
	       in_prefix(address, 0xA9FE0000u, 16);
}

/* A directed broadcast of a subnet we are attached to (RFC 2644: not
 * forwarded by default), or, as a source, one that cannot have sent it. */
static bool attached_broadcast(be32 address)
{
	for (struct net_interface *interface = net_interface_next(NULL); interface;
	     interface = net_interface_next(interface))
		if (interface->address && interface->netmask != IPV4_ADDRESS_BROADCAST &&
		    address == (interface->address | ~interface->netmask))
			return true;
	return false;
}

enum net_drop_reason ipv4_forward_admit(const struct net_interface *in_interface, be32 source, be32 destination)
{
	if (in_interface == NULL)
		return NET_DROP_IP_NOT_FOR_US;          /* no IPv4 on that device: Linux has no in_dev */
	if (special_address(source) || attached_broadcast(source) || net_interface_with_address(source))
		return NET_DROP_IP_MARTIAN_SOURCE;
	if (special_address(destination) || attached_broadcast(destination))
		return NET_DROP_IP_MARTIAN_DESTINATION;
	if (!ipv4_devconf_forwarding(in_interface->device))
		return NET_DROP_IP_FORWARD_DISABLED;       /* the input device's (Linux's IN_DEV_FORWARD) */
	return NET_DROP_NONE;
}

/* rp_filter (Linux's fib_validate_source): strict, the route back to the
 * source leaves by the interface the datagram came in on; loose, there is
 * a route back at all. */
static bool reverse_path_valid(const struct net_interface *in_interface, be32 source)
{
	int64_t mode = ipv4_devconf_rp_filter(in_interface->device);     /* max(all, dev) */
	if (mode != RP_FILTER_STRICT && mode != RP_FILTER_LOOSE)
		return true;
	const struct route *back = route_lookup(source);
	if (back == NULL)
		return false;
	return mode == RP_FILTER_LOOSE || back->interface == in_interface;
}

/* Where the datagram goes: false when it was dropped. */
static bool forward_route(struct net_interface *in_interface, struct pkt *pkt, struct ipv4_routed *routed)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	routed->interface = net_route(header->destination, &routed->next_hop);
	if (routed->interface == NULL || routed->interface->address == 0) {
		/* RFC 1812 5.2.7.1: network unreachable (Linux: ip_error, ENETUNREACH). */
		ipv4_mib_count(IPV4_MIB_IN_NO_ROUTES);
		icmp_error_send(in_interface, pkt->data, pkt->length, pkt->flags, ICMP_TYPE_DESTINATION_UNREACHABLE,
				ICMP_CODE_NETWORK_UNREACHABLE, 0);
		net_drop(pkt, NET_DROP_IP_NO_ROUTE);
		return false;
	}
	routed->mtu = routed->interface->device->mtu;
	if (!reverse_path_valid(in_interface, header->source)) {
		ipv4_mib_count(IPV4_MIB_REVERSE_PATH_FILTER);
		net_drop(pkt, NET_DROP_IP_RP_FILTER);
		return false;
	}
	return true;
}

/* Options are judged and processed as for local input, recording the
 * egress address (Linux's ip_forward_options): a source route is refused
 * (accept_source_route=0), malformed ones answered with parameter problem. */
static bool forward_options(struct net_interface *in_interface, const struct ipv4_routed *routed, struct pkt *pkt)
{
	if (ipv4_header_length((const struct ipv4_header *)pkt->data) == IPV4_HEADER_MIN_LENGTH)
		return true;
	uint8_t problem_pointer = 0;
	enum net_drop_reason reason = ipv4_options_input(pkt->data, routed->interface->address, in_interface->device, &problem_pointer);
	if (reason == NET_DROP_NONE)
		return true;
	if (reason == NET_DROP_IP_BAD_OPTIONS) {
		ipv4_mib_count(IPV4_MIB_IN_HDR_ERRORS);
		icmp_parameter_problem_send(in_interface, pkt->data, pkt->length, pkt->flags, problem_pointer);
	}
	net_drop(pkt, reason);
	return false;
}

/* The largest datagram pkt puts on the wire: for a super-segment received
 * whole (gso_size, virtio GUEST_TSO4) its segments, headers plus gso_size
 * (Linux's skb_gso_validate_network_len: a GSO packet whose segments fit
 * the MTU is not too big), else its length. */
static uint32_t largest_datagram(const struct pkt *pkt)
{
	return gso_largest_piece(pkt, gso_headers_find_network);
}

/* RFC 1812 5.3.1 (TTL) and 5.2.6 / RFC 1191 (DF larger than the next hop's
 * MTU): answered with time exceeded / fragmentation needed. */
static bool forward_limits(struct net_interface *in_interface, const struct ipv4_routed *routed, struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	if (header->time_to_live <= 1) {
		ipv4_mib_count(IPV4_MIB_IN_HDR_ERRORS);
		icmp_error_send(in_interface, pkt->data, pkt->length, pkt->flags, ICMP_TYPE_TIME_EXCEEDED,
				ICMP_CODE_TTL_EXCEEDED, 0);
		net_drop(pkt, NET_DROP_IP_TTL_EXPIRED);
		return false;
	}
	bool dont_fragment = ipv4_flags_offset(header) & IPV4_FLAG_DONT_FRAGMENT;
	if (largest_datagram(pkt) > routed->mtu && dont_fragment) {
		ipv4_mib_count(IPV4_MIB_FRAG_FAILS);
		uint16_t mtu = routed->mtu > 0xFFFF ? 0xFFFF : (uint16_t)routed->mtu;
		icmp_error_send(in_interface, pkt->data, pkt->length, pkt->flags, ICMP_TYPE_DESTINATION_UNREACHABLE,
				ICMP_CODE_FRAGMENTATION_NEEDED, mtu);
		net_drop(pkt, NET_DROP_IP_FRAGMENT_NEEDED);
		return false;
	}
	return true;
}

/* RFC 1812 5.2.7.2: a redirect only when the datagram leaves by the
 * interface it came in on, its source is on the next hop's subnet, and it
 * carries no source route (those were refused above); no more often than
 * redirect_limit.c allows. The datagram is forwarded either way. */
static void maybe_redirect(struct net_interface *in_interface, const struct ipv4_routed *routed, const struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	if (!ipv4_devconf_send_redirects(in_interface->device) || routed->interface != in_interface)
		return;
	be32 netmask = in_interface->netmask;
	if (((header->source ^ routed->next_hop) & netmask) != 0)
		return;
	if (!ipv4_redirect_allowed(header->source, clock_monotonic_ns())) {
		net_drop(NULL, NET_DROP_ICMP_ERROR_RATE_LIMITED);
		return;
	}
	ipv4_mib_count(IPV4_MIB_OUT_REDIRECTS);
	icmp_redirect_send(in_interface, pkt->data, pkt->length, pkt->flags, routed->next_hop);
}

/* RFC 1624 eqn. 3: the TTL shares a 16-bit word with the protocol. */
static void decrement_time_to_live(struct ipv4_header *header)
{
	be16 old_word, new_word;
	uint8_t *word = &header->time_to_live;
	memcpy(&old_word, word, sizeof(old_word));
	header->time_to_live--;
	memcpy(&new_word, word, sizeof(new_word));
	header->header_checksum = internet_checksum_update(header->header_checksum, old_word, new_word);
}

/* A super-segment whose segments exceed the egress MTU without DF
 * (Linux's ip_finish_output_gso): each segment, complete, is cut into
 * fragments as any datagram would be. */
static int fragment_segment(void *context, struct pkt *segment)
{
	const struct ipv4_routed *out = context;
	if (pkt_total_length(segment) > out->mtu)
		ip_fragment_pkt(out, segment);
	else
		arp_output(out->interface, out->next_hop, segment);
	return 0;
}

/* Linux's ip_forward_finish and ip_output: counted, POST_ROUTING (with the
 * input device, as ip_output passes skb->dev: nft's iif works there for
 * forwarded packets), then the neighbour (or fragmentation). The pkt keeps
 * no receive-side state: its checksums are complete in the data - but for
 * a super-segment received whole (gso_size), which leaves as one: its TCP
 * checksum stays PARTIAL and the egress device (TSO) or netdev_transmit
 * (software GSO) cuts it. */
static void forward_finish(struct netdev *in, const struct ipv4_routed *routed, struct pkt *pkt)
{
	ipv4_mib_count(IPV4_MIB_FORW_DATAGRAMS);
	if (pkt->gso_size == 0)
		pkt->checksum_state = PKT_CHECKSUM_NONE;
	pkt->flags = 0;
	if (nf_hook(NF_INET_POST_ROUTING, pkt, in, routed->interface->device) != NF_ACCEPT)
		return;
	/* A datagram reassembled in transit leaves in pieces no larger than
	 * it came in (Linux's ip_do_fragment with frag_max_size), so the path
	 * MTU its sender found stays true. */
	struct ipv4_routed out = *routed;
	if (pkt->fragment_max_size && pkt->fragment_max_size < out.mtu)
		out.mtu = pkt->fragment_max_size;
	if (largest_datagram(pkt) > out.mtu) {
		if (pkt->gso_size)
			gso_segment_datagrams(pkt, GSO_CHECKSUM_COMPLETE, fragment_segment, &out);
		else
			ip_fragment_pkt(&out, pkt);   /* RFC 791 3.2, RFC 1812 5.2.6: no DF (checked above) */
		return;
	}
	arp_output(routed->interface, routed->next_hop, pkt);
}

void ipv4_forward(struct netdev *in, struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	struct net_interface *in_interface = net_interface_of(in);
	enum net_drop_reason reason = ipv4_forward_admit(in_interface, header->source, header->destination);
	if (reason == NET_DROP_NONE && (pkt->flags & (PKT_FLAG_BROADCAST | PKT_FLAG_MULTICAST)))
		reason = NET_DROP_IP_FORWARD_LINK_BROADCAST;
	if (reason != NET_DROP_NONE) {
		if (reason == NET_DROP_IP_FORWARD_DISABLED)
			ipv4_mib_count(IPV4_MIB_IN_ADDR_ERRORS);
		net_drop(pkt, reason);
		return;
	}
	pkt_trim(pkt, ntohs(header->total_length));              /* Ethernet padding */
	struct ipv4_routed routed;
	if (!forward_route(in_interface, pkt, &routed) || !forward_options(in_interface, &routed, pkt) ||
	    !forward_limits(in_interface, &routed, pkt))
		return;
	/* Linux's ip_forward order: redirect, TTL, then the FORWARD hook (whose
	 * rules see the decremented TTL). */
	maybe_redirect(in_interface, &routed, pkt);
	decrement_time_to_live((struct ipv4_header *)pkt->data);
	if (nf_hook(NF_INET_FORWARD, pkt, in, routed.interface->device) != NF_ACCEPT)
		return;
	forward_finish(in, &routed, pkt);
}
