/* nat_packet.c - rewriting packets by a binding (nat_internal.h).
 *
 * Every checksum is updated incrementally (RFC 1624 eqn. 3) for each
 * 16-bit word that changes: the IPv4 header checksum for an address; the
 * TCP/UDP checksum for an address (it is in their pseudo-header) and a
 * port; the ICMP checksum for the echo identifier. Two cases differ:
 *  - CHECKSUM_PARTIAL (TX offload, TSO): the field holds the folded
 *    pseudo-header sum, not a checksum; the device sums the header (ports
 *    included) itself, so only an address changes the field, as a plain
 *    ones' complement difference (net/core/pkt.h, net/tcp/output.c).
 *  - a UDP checksum of 0 means "none" (RFC 768) and stays 0; a computed 0
 *    is sent as 0xFFFF.
 * ICMP errors: the quoted datagram is translated back, its own checksums
 * updated the same way (UDP's and, when quoted whole, TCP's), and the
 * ICMP checksum then recomputed over the message (at most 576 bytes). */
#include "net/netfilter/nat_internal.h"

#include <stddef.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"

#define TCP_CHECKSUM_OFFSET 16
#define UDP_CHECKSUM_OFFSET 6
#define ICMP_CHECKSUM_OFFSET 2
#define ICMP_IDENTIFIER_OFFSET 4

static be16 load16(const uint8_t *at)
{
	be16 value;
	memcpy(&value, at, sizeof(value));
	return value;
}
static void store16(uint8_t *at, be16 value) { memcpy(at, &value, sizeof(value)); }

/* One word's change; pseudo_sum: the field is a PARTIAL pseudo-header sum (~checksum). */
static be16 replace16(be16 field, be16 old_word, be16 new_word, bool pseudo_sum)
{
	if (pseudo_sum)
		return (be16)~internet_checksum_update((be16)~field, old_word, new_word);
	return internet_checksum_update(field, old_word, new_word);
}

static be16 replace32(be16 field, be32 old_value, be32 new_value, bool pseudo_sum)
{
	be16 old_words[2], new_words[2];
	memcpy(old_words, &old_value, sizeof(old_words));
	memcpy(new_words, &new_value, sizeof(new_words));
	field = replace16(field, old_words[0], new_words[0], pseudo_sum);
	return replace16(field, old_words[1], new_words[1], pseudo_sum);
}

/* The address a manip changes, inside the IPv4 header (RFC 791 3.1). */
static uint8_t *address_field(uint8_t *network, enum nat_manip manip)
{
	return network + (manip == NAT_MANIP_SRC ? offsetof(struct ipv4_header, source)
						 : offsetof(struct ipv4_header, destination));
}

/* Writes new_address into the header and updates its checksum; returns the old one. */
static be32 rewrite_address(uint8_t *network, enum nat_manip manip, be32 new_address)
{
	struct ipv4_header *ip = (struct ipv4_header *)network;
	be32 old_address;
	memcpy(&old_address, address_field(network, manip), sizeof(old_address));
	ip->header_checksum = replace32(ip->header_checksum, old_address, new_address, false);
	memcpy(address_field(network, manip), &new_address, sizeof(new_address));
	return old_address;
}

/* Where a transport's port (or identifier) and checksum are, and what covers the address. */
struct transport_fields {
	int port_offset;        /* -1: none to change */
	int checksum_offset;    /* -1: none (or not quoted) */
	bool pseudo_header;     /* the checksum covers the addresses */
	bool udp;
};

static bool transport_fields_of(uint8_t protocol, const uint8_t *transport, uint32_t available,
				enum nat_manip manip, bool quoted, struct transport_fields *fields)
{
	*fields = (struct transport_fields){ -1, -1, false, false };
	switch (protocol) {
	case IP_PROTOCOL_TCP:
		if (available < (quoted ? 8u : TCP_HEADER_MIN_LENGTH))
			return false;
		fields->port_offset = manip == NAT_MANIP_SRC ? 0 : 2;
		fields->checksum_offset = available >= TCP_CHECKSUM_OFFSET + 2 ? TCP_CHECKSUM_OFFSET : -1;
		fields->pseudo_header = true;
		return true;
	case IP_PROTOCOL_UDP:
		if (available < UDP_HEADER_LENGTH)
			return false;
		fields->port_offset = manip == NAT_MANIP_SRC ? 0 : 2;
		fields->checksum_offset = UDP_CHECKSUM_OFFSET;
		fields->pseudo_header = fields->udp = true;
		return true;
	case IP_PROTOCOL_ICMP:
		if (available < ICMP_HEADER_LENGTH)
			return false;
		if (!icmp_type_is_error(transport[0]))
			fields->port_offset = ICMP_IDENTIFIER_OFFSET;
		fields->checksum_offset = ICMP_CHECKSUM_OFFSET;
		return true;
	default:
		return true;
	}
}

static void update_transport_checksum(uint8_t *transport, const struct transport_fields *fields, bool partial,
				      be32 old_address, be32 new_address, be16 old_port, be16 new_port)
{
	if (fields->checksum_offset < 0)
		return;
	uint8_t *at = transport + fields->checksum_offset;
	be16 checksum = load16(at);
	if (fields->udp && !partial && checksum == UDP_CHECKSUM_NONE)
		return;
	if (fields->pseudo_header && old_address != new_address)
		checksum = replace32(checksum, old_address, new_address, partial);
	if (!partial && old_port != new_port)
		checksum = replace16(checksum, old_port, new_port, false);
	if (fields->udp && !partial && checksum == UDP_CHECKSUM_NONE)
		checksum = UDP_CHECKSUM_ZERO_AS;
	store16(at, checksum);
}

bool nat_manip_headers(uint8_t *network, uint32_t available, const struct conntrack_tuple *target,
		       enum nat_manip manip, bool partial, bool quoted)
{
	if (available < IPV4_HEADER_MIN_LENGTH)
		return false;
	struct ipv4_header *ip = (struct ipv4_header *)network;
	unsigned header_length = ipv4_header_length(ip);
	if (header_length < IPV4_HEADER_MIN_LENGTH || header_length > available)
		return false;
	uint8_t *transport = network + header_length;
	struct transport_fields fields;
	if (!transport_fields_of(ip->protocol, transport, available - header_length, manip, quoted, &fields))
		return false;
	be32 old_address;
	memcpy(&old_address, address_field(network, manip), sizeof(old_address));
	be32 new_address = manip == NAT_MANIP_SRC ? target->source : target->destination;
	be16 old_port = 0, new_port = 0;
	if (fields.port_offset >= 0) {
		old_port = load16(transport + fields.port_offset);
		new_port = ip->protocol == IP_PROTOCOL_ICMP ? target->source_port
			   : manip == NAT_MANIP_SRC          ? target->source_port
							    : target->destination_port;
	}
	update_transport_checksum(transport, &fields, partial, old_address, new_address, old_port, new_port);
	if (fields.port_offset >= 0)
		store16(transport + fields.port_offset, new_port);
	rewrite_address(network, manip, new_address);
	return true;
}

static unsigned status_bit_for(enum nat_manip manip, unsigned direction)
{
	unsigned bit = manip == NAT_MANIP_SRC ? NF_CT_STATUS_SRC_NAT : NF_CT_STATUS_DST_NAT;
	/* A reply undoes the other kind: its source is the original's destination. */
	return direction == CONNTRACK_DIRECTION_REPLY ? bit ^ NF_CT_STATUS_NAT_MASK : bit;
}

bool nat_packet(struct pkt *pkt, struct nf_conn *entry, unsigned direction, enum nat_manip manip)
{
	if (!(entry->status & status_bit_for(manip, direction)))
		return true;
	struct conntrack_tuple target;
	conntrack_invert(&entry->tuple[!direction], &target);
	uint32_t available;
	uint8_t *network = conntrack_network_header(pkt, &available);
	return nat_manip_headers(network, available, &target, manip, pkt->checksum_state == PKT_CHECKSUM_PARTIAL,
				 false);
}

bool nat_icmp_error(struct pkt *pkt, struct nf_conn *entry, unsigned direction, enum nat_manip manip)
{
	if (!(entry->status & status_bit_for(manip, direction)))
		return true;
	uint32_t available;
	uint8_t *network = conntrack_network_header(pkt, &available);
	if (available < IPV4_HEADER_MIN_LENGTH)
		return false;
	struct ipv4_header *ip = (struct ipv4_header *)network;
	unsigned header_length = ipv4_header_length(ip);
	unsigned total_length = ntohs(ip->total_length);
	if (header_length < IPV4_HEADER_MIN_LENGTH || total_length > available ||
	    total_length < header_length + ICMP_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return false;
	uint8_t *icmp = network + header_length;
	uint32_t icmp_length = total_length - header_length;
	/* The quoted datagram went the other way, and before this hook's opposite manip. */
	enum nat_manip inner_manip = manip == NAT_MANIP_SRC ? NAT_MANIP_DST : NAT_MANIP_SRC;
	if (!nat_manip_headers(icmp + ICMP_HEADER_LENGTH, icmp_length - ICMP_HEADER_LENGTH, &entry->tuple[!direction],
			       inner_manip, false, true))
		return false;
	store16(icmp + ICMP_CHECKSUM_OFFSET, 0);
	store16(icmp + ICMP_CHECKSUM_OFFSET, internet_checksum(icmp, icmp_length));
	struct conntrack_tuple target;
	conntrack_invert(&entry->tuple[!direction], &target);
	rewrite_address(network, manip, manip == NAT_MANIP_SRC ? target.source : target.destination);
	return true;
}
