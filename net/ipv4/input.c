/* input.c - IPv4 input: the RFC 791 / RFC 1122 3.2.1 header checks as a
 * straight checklist in a fixed order, one drop reason each; then trimming
 * of Ethernet padding, netfilter's PRE_ROUTING hook, the options
 * (net/ipv4/options.c), reassembly of fragments (net/ipv4/reassembly.c),
 * netfilter's LOCAL_IN hook on whole datagrams and the protocol demux. A
 * datagram for none of our addresses (nor a broadcast of the device's
 * subnet) goes to forwarding (net/ipv4/forward.c) after PRE_ROUTING. */
#include "net/ipv4/ipv4.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/core/mib.h"
#include "net/ipv4/forward.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/options.h"
#include "net/ipv4/reassembly.h"
#include "net/netfilter/netfilter.h"
#include "net/tcp/tcp.h"
#include "net/udp/udp.h"
#include "net/wire/ethernet.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* Returns the reason the header is unacceptable, or NET_DROP_NONE. */
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
	if (total_length > pkt_total_length(pkt))              /* a received super-frame spans buffers */
		return NET_DROP_IP_TRUNCATED;
	if (header->time_to_live == 0)                           /* RFC 1812 5.3.1; ICMP time exceeded comes later */
		return NET_DROP_IP_TTL_ZERO;
	return NET_DROP_NONE;
}

#define FIRST_OCTET_THIS_NETWORK 0       /* 0/8: "this host on this network", only as a booting source */
#define FIRST_OCTET_LOOPBACK 127         /* 127/8: never on a wire */
#define FIRST_OCTET_MULTICAST_START 224  /* 224/4 multicast, 240/4 reserved, 255.255.255.255 */

/* RFC 1122 3.2.1.3: a source that cannot be one host's unicast address
 * (this-network, loopback, multicast or reserved, a broadcast) MUST be
 * silently discarded, and so is any of our addresses as source (a LAND packet
 * that would make us answer ourselves): what Linux calls a martian source.
 * Answering such datagrams would send replies to addresses that cannot
 * have asked. */
static bool source_acceptable(const struct net_interface *interface, be32 source)
{
	unsigned first_octet = ntohl(source) >> 24;
	if (first_octet == FIRST_OCTET_THIS_NETWORK || first_octet == FIRST_OCTET_LOOPBACK ||
	    first_octet >= FIRST_OCTET_MULTICAST_START)
		return false;
	return net_interface_with_address(source) == NULL && !net_interface_is_broadcast(interface, source);
}

/* One TCP segment cut from a received super-segment (below). */
static int deliver_tcp_segment(void *context, struct pkt *segment)
{
	pkt_pull(segment, ipv4_header_length((const struct ipv4_header *)segment->data));
	pkt_set_transport_header(segment);
	tcp_input(context, segment);
	return 0;
}

/* pkt->data = IPv4 header of a whole datagram, trimmed to its length. A
 * TCP super-segment a driver received whole (gso_size: virtio GUEST_TSO4)
 * passes LOCAL_IN once, as Linux's GRO'd skb does, and is then cut into
 * its segments (net/core/gso.c), which TCP takes one by one as if they
 * had come so: its window, SACK and ACK-every-second-segment logic see
 * MSS-sized segments, with no special case for a larger one. */
static void deliver(struct netdev *dev, struct net_interface *interface, struct pkt *pkt)
{
	if (nf_hook(NF_INET_LOCAL_IN, pkt, dev, NULL) != NF_ACCEPT)
		return;
	net_mib_count(NET_MIB_IP_IN_DELIVERS);
	if (pkt->gso_size) {
		gso_segment_datagrams(pkt, GSO_CHECKSUM_VERIFIED, deliver_tcp_segment, dev);
		return;
	}
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	pkt_pull(pkt, ipv4_header_length(header));
	pkt_set_transport_header(pkt);
	switch (header->protocol) {
	case IP_PROTOCOL_ICMP:
		icmp_input(interface, pkt);
		break;
	case IP_PROTOCOL_UDP:
		udp_input(interface, pkt);
		break;
	case IP_PROTOCOL_TCP:
		tcp_input(dev, pkt);
		break;
	default:                                         /* RFC 1122 3.2.2.1: SHOULD say protocol unreachable */
		icmp_error_send(interface, pkt_network_header(pkt), pkt->length + ipv4_header_length(header), pkt->flags,
				ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_PROTOCOL_UNREACHABLE, 0);
		net_drop(pkt, NET_DROP_IP_UNKNOWN_PROTOCOL);
		break;
	}
}

/* A reassembled datagram larger than one pkt, past LOCAL_IN: only
 * protocols that read from a buffer take it (net/ipv4/ipv4.h). */
static void deliver_large(struct ipv4_large_datagram *datagram)
{
	net_mib_count(NET_MIB_IP_IN_DELIVERS);
	const struct ipv4_header *header = (const struct ipv4_header *)datagram->buffer;
	switch (header->protocol) {
	case IP_PROTOCOL_ICMP:
		icmp_input_large(datagram);
		break;
	case IP_PROTOCOL_UDP:
		udp_input_large(datagram);
		break;
	default:
		net_drop(NULL, NET_DROP_IP_TOO_BIG_FOR_PROTOCOL);
		free(datagram->buffer);
		break;
	}
}

/* A datagram in a chain of pkts, for us: LOCAL_IN sees it whole, with what
 * PRE_ROUTING attached (connection tracking confirms its entry there, as
 * Linux's ipv4_confirm at LOCAL_IN), then it is one buffer again. */
static void deliver_chain(struct netdev *dev, struct net_interface *interface, struct pkt *pkt)
{
	if (nf_hook(NF_INET_LOCAL_IN, pkt, dev, NULL) != NF_ACCEPT)
		return;
	uint32_t total = pkt_total_length(pkt);
	uint8_t *buffer = malloc(total);
	if (buffer == NULL || pkt_copy_out(pkt, 0, buffer, total) != 0) {
		free(buffer);
		net_drop(pkt, NET_DROP_IP_REASSEMBLY_NO_BUFFER);
		return;
	}
	struct ipv4_large_datagram large = {
		buffer, total, ipv4_header_length((const struct ipv4_header *)buffer), interface, pkt->flags,
		pkt->fragment_max_size,
	};
	pkt_free(pkt);
	deliver_large(&large);
}

/* A reassembled datagram too large for one pkt as a chain of pkts (the
 * heap buffer copied, then freed): forwarding and the hooks take pkts. */
static struct pkt *chain_from_large(struct ipv4_large_datagram *large, struct netdev *dev)
{
	struct pkt *head = NULL;
	for (uint32_t offset = 0; offset < large->length;) {
		uint32_t length = large->length - offset < PKT_DATA_SIZE ? large->length - offset : PKT_DATA_SIZE;
		struct pkt *piece = pkt_alloc();
		if (piece == NULL) {
			net_drop(head, NET_DROP_IP_REASSEMBLY_NO_BUFFER);
			free(large->buffer);
			return NULL;
		}
		memcpy(pkt_put(piece, length), large->buffer + offset, length);
		if (head)
			pkt_append_fragment(head, piece);
		else
			head = piece;
		offset += length;
	}
	free(large->buffer);
	pkt_set_network_header(head);
	head->protocol = ETHERTYPE_IPV4;
	head->device = dev;
	head->flags = large->link_flags;
	head->fragment_max_size = large->largest_fragment;
	return head;
}

/* Reassembled here (no connection tracking, so after PRE_ROUTING): one
 * too large for a pkt goes past LOCAL_IN as a chain when anything is
 * registered there, so rules see (and count) the whole datagram. */
static void deliver_reassembled_large(struct netdev *dev, struct ipv4_large_datagram *large)
{
	if (nf_hook_lists[NF_INET_LOCAL_IN] == NULL) {
		deliver_large(large);
		return;
	}
	struct net_interface *interface = large->interface;
	struct pkt *chain = chain_from_large(large, dev);
	if (chain)
		deliver_chain(dev, interface, chain);
}

static void reassemble(struct netdev *dev, struct net_interface *interface, struct pkt *pkt)
{
	struct pkt *whole = NULL;
	struct ipv4_large_datagram large;
	switch (ip_reassembly_input(interface, pkt, clock_monotonic_ns(), &whole, &large)) {
	case IP_REASSEMBLY_DONE_PKT:
		deliver(dev, interface, whole);
		break;
	case IP_REASSEMBLY_DONE_LARGE:
		deliver_reassembled_large(dev, &large);
		break;
	case IP_REASSEMBLY_HELD:
		break;
	}
}

/* RFC 791 3.1 options, judged as Linux's ip_options_compile (net/ipv4/options.c);
 * false when pkt was dropped, answered with parameter problem (RFC 792,
 * its pointer at the bad octet) when malformed. */
static bool options_acceptable(struct net_interface *interface, struct pkt *pkt)
{
	uint8_t problem_pointer = 0;
	enum net_drop_reason reason = ipv4_options_input(pkt->data, interface->address, pkt->device, &problem_pointer);
	if (reason == NET_DROP_NONE)
		return true;
	if (reason == NET_DROP_IP_BAD_OPTIONS)
		icmp_parameter_problem_send(interface, pkt->data, pkt->length, pkt->flags, problem_pointer);
	net_drop(pkt, reason);
	return false;
}

/* After PRE_ROUTING: for one of our addresses, or another host's. */
static void route_input(struct netdev *dev, struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	struct net_interface *interface = net_interface_local(dev, header->destination);
	if (interface == NULL) {
		ipv4_forward(dev, pkt);                          /* not for us (net/ipv4/forward.c) */
		return;
	}
	if (!source_acceptable(interface, header->source)) {
		net_drop(pkt, NET_DROP_IP_MARTIAN_SOURCE);
		return;
	}
	if (ipv4_header_length(header) > IPV4_HEADER_MIN_LENGTH && !options_acceptable(interface, pkt))
		return;
	if (pkt->gso_size)
		deliver(dev, interface, pkt);                    /* a received super-segment: never a fragment */
	else if (pkt->fragments)
		deliver_chain(dev, interface, pkt);
	else if (ipv4_is_fragment(header))
		reassemble(dev, interface, pkt);
	else
		deliver(dev, interface, pkt);
}

/* Linux's nf_defrag_ipv4 (PRE_ROUTING, priority -400): with connection
 * tracking on, a fragment waits for its datagram, which then passes
 * PRE_ROUTING whole (tracked and NATed as one: a port forward included),
 * is delivered or forwarded, and in transit cut again on the way out
 * (forward.c); one reassembly for every path (reassembly.c). */
static void defragment_before_hooks(struct netdev *dev, struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	struct net_interface *interface = net_interface_local(dev, header->destination);
	if (interface == NULL)
		interface = net_interface_of(dev);
	if (interface == NULL) {
		net_drop(pkt, NET_DROP_IP_NOT_FOR_US);          /* no IPv4 on that device: not forwarded either */
		return;
	}
	struct pkt *whole = NULL;
	struct ipv4_large_datagram large;
	switch (ip_reassembly_input(interface, pkt, clock_monotonic_ns(), &whole, &large)) {
	case IP_REASSEMBLY_DONE_PKT:
		break;
	case IP_REASSEMBLY_DONE_LARGE:
		whole = chain_from_large(&large, dev);
		break;
	case IP_REASSEMBLY_HELD:
		return;
	}
	if (whole == NULL || nf_hook(NF_INET_PRE_ROUTING, whole, dev, NULL) != NF_ACCEPT)
		return;
	route_input(dev, whole);
}

void ipv4_input(struct netdev *dev, struct pkt *pkt)
{
	net_mib_count(NET_MIB_IP_IN_RECEIVES);
	const struct ipv4_header *header = ipv4_header_view(pkt);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_IP_TOO_SHORT);
		return;
	}
	enum net_drop_reason reason = check_header(pkt, header);
	if (reason != NET_DROP_NONE) {
		net_drop(pkt, reason);
		return;
	}
	pkt_trim(pkt, ntohs(header->total_length));              /* Ethernet padding */
	if (nf_defrag_ipv4_enabled && ipv4_is_fragment(header)) {
		defragment_before_hooks(dev, pkt);
		return;
	}
	if (nf_hook(NF_INET_PRE_ROUTING, pkt, dev, NULL) != NF_ACCEPT)
		return;
	route_input(dev, pkt);
}

/* A datagram from ipv4_loopback_output (loopback.c): built here for one of
 * our addresses, so it skips the checks a received datagram needs (Linux
 * trusts `lo` the same way: no martian source check, our own address as
 * source is allowed); it still passes PRE_ROUTING and LOCAL_IN. */
void ipv4_input_looped(struct netdev *dev, struct pkt *pkt)
{
	net_mib_count(NET_MIB_IP_IN_RECEIVES);
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	if (nf_hook(NF_INET_PRE_ROUTING, pkt, dev, NULL) != NF_ACCEPT)
		return;
	struct net_interface *interface = net_interface_with_address(header->destination);
	if (interface == NULL) {                 /* the address went away while queued */
		net_drop(pkt, NET_DROP_IP_NOT_FOR_US);
		return;
	}
	deliver(interface->device, interface, pkt);
}
