/* nat_internal.h - NAT's pieces, shared by nat*.c and the host tests:
 * making a binding (nat_core.c) and rewriting packets by it (nat_packet.c). */
#ifndef KEEL_NET_NETFILTER_NAT_INTERNAL_H
#define KEEL_NET_NETFILTER_NAT_INTERNAL_H

#include <stdbool.h>

#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/nat.h"

enum nat_manip {
	NAT_MANIP_SRC,   /* source address and port (SNAT, masquerade) */
	NAT_MANIP_DST,   /* destination address and port (DNAT, redirect) */
};

/* Linux's NF_NAT_MANIP: destination NAT where packets enter (PRE_ROUTING,
 * LOCAL_OUT), source NAT where they leave (POST_ROUTING, LOCAL_IN). */
static inline enum nat_manip nat_manip_of_hook(enum nf_inet_hook hook)
{
	return (hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_OUT) ? NAT_MANIP_DST : NAT_MANIP_SRC;
}

/* Binds entry (unconfirmed) for manip: the address from range (when
 * NAT_RANGE_HAS_ADDRESS; masquerade and redirect resolved to one by the
 * caller), the port kept when in range and free, else the first free one
 * of the range from a hashed start, with at most a bounded number of tries
 * (Linux's nf_nat_l4proto_unique_tuple). Sets the status bits. 0, or -1
 * when no free tuple was found. A range of kind NONE is Linux's null
 * binding: addresses kept, a source port moved only if taken. */
int nat_setup_binding(struct nf_conn *entry, enum nat_manip manip, const struct nat_range *range);

/* Rewrites the IPv4 header at network (available bytes) and its transport
 * header to target's source (NAT_MANIP_SRC) or destination address and
 * port, checksums updated incrementally (RFC 1624). partial: the
 * transport checksum field holds the pseudo-header sum (CHECKSUM_PARTIAL).
 * quoted: the datagram is inside an ICMP error and may be cut after 8
 * transport bytes. false when the headers are not all there. */
bool nat_manip_headers(uint8_t *network, uint32_t available, const struct conntrack_tuple *target,
		       enum nat_manip manip, bool partial, bool quoted);

/* Applies entry's binding to a packet of it travelling in direction at a
 * hook doing manip; false when its headers are not in the first buffer. */
bool nat_packet(struct pkt *pkt, struct nf_conn *entry, unsigned direction, enum nat_manip manip);
/* The same for an ICMP error RELATED to entry: the quoted datagram made
 * to look as it was before translation, the outer addresses translated,
 * the ICMP checksum recomputed (Linux's nf_nat_icmp_reply_translation). */
bool nat_icmp_error(struct pkt *pkt, struct nf_conn *entry, unsigned direction, enum nat_manip manip);

#endif
