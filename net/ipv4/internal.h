/* internal.h - between IPv4 output (net/ipv4/output.c), forwarding
 * (forward.c) and fragmentation (net/ipv4/fragment.c): the routed
 * destination and the fields every fragment's header repeats. */
#ifndef KEEL_NET_IPV4_INTERNAL_H
#define KEEL_NET_IPV4_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/ipv4/interface.h"

struct ipv4_routed {
	struct net_interface *interface;
	be32 next_hop;
	uint32_t mtu;
};

struct ipv4_datagram_fields {
	be32 source, destination;
	uint8_t protocol, time_to_live, type_of_service;
	be16 identification;
	const uint8_t *options;       /* as given; ipv4_write_header pads */
	unsigned options_length;
	/* A forwarded datagram that is itself a fragment (RFC 791 3.2): its
	 * offset in 8-byte units and its MF, which the last piece keeps. */
	uint16_t fragment_offset;
	bool more_fragments;
};

/* The payload of a datagram to send: up to two pieces (transport header,
 * data), or, when chain is set, lengths[0] bytes of a chain of pkts from
 * chain_offset (a datagram cut where it lies, not copied first). */
struct pkt;
struct ipv4_payload {
	const uint8_t *parts[2];
	size_t lengths[2];
	const struct pkt *chain;
	uint32_t chain_offset;
};

static inline size_t ipv4_payload_length(const struct ipv4_payload *payload)
{
	return payload->lengths[0] + payload->lengths[1];
}

/* IHL * 4 for options_length bytes of options. */
static inline unsigned ipv4_header_length_for(unsigned options_length)
{
	return 20 + (options_length + 3) / 4 * 4;
}

/* Writes a complete header (checksum included) of header_length bytes at
 * at, carrying options[0..options_length) padded with END. */
void ipv4_write_header(uint8_t *at, const struct ipv4_datagram_fields *fields, unsigned header_length,
		       const uint8_t *options, unsigned options_length, size_t payload_length, uint16_t flags_offset);
/* Copies bytes [offset, offset + length) of payload to destination. */
void ipv4_payload_copy(const struct ipv4_payload *payload, size_t offset, size_t length, uint8_t *destination);
/* A complete locally generated datagram (network header set; one pkt, or a
 * chain when larger than one): netfilter's LOCAL_OUT and POST_ROUTING hooks
 * on the whole datagram, then ARP for routed->next_hop, in fragments when
 * larger than routed->mtu and not a TSO super-segment (Linux's ip_local_out ->
 * ip_output -> ip_finish_output). 0 (sent, or dropped by a hook), or
 * ip_fragment_pkt's error. Consumes pkt. */
struct pkt;
int ipv4_local_out(const struct ipv4_routed *routed, struct pkt *pkt);
/* Sends the datagram in fragments that fit routed->mtu (RFC 791 3.2), each
 * straight to ARP (no hooks): 0 or -ENOBUFS. */
int ip_fragment_output(const struct ipv4_routed *routed, const struct ipv4_datagram_fields *fields,
		       const struct ipv4_payload *payload);
/* The same for a whole datagram in pkt (header written; one pkt or a chain),
 * its fields read from its header. Consumes pkt. */
int ip_fragment_pkt(const struct ipv4_routed *routed, struct pkt *pkt);

/* Local input for a datagram we sent ourselves (loopback.c): PRE_ROUTING,
 * LOCAL_IN, the protocol; pkt->data = its IPv4 header. Consumes pkt. */
void ipv4_input_looped(struct netdev *dev, struct pkt *pkt);

#endif
