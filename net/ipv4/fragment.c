/* fragment.c - IPv4 fragmentation on output (RFC 791 3.2, "An Example
 * Fragmentation Procedure"): the datagram's payload is cut into pieces whose
 * lengths are multiples of 8 bytes (all but the last), each sent in a pkt of
 * its own behind a copy of the header with the fragment offset in 8-byte
 * units and MF on every fragment but the last. The first fragment carries
 * every option; the others only those whose copied flag is set. All share
 * one identification. A datagram is sent whole or not at all: when the pool
 * cannot hold all its fragments none goes (ip_fragment_no_buffer).
 * Fragments go straight to ARP: netfilter's hooks saw the whole datagram
 * before it was cut (Linux's ip_finish_output -> ip_fragment). */
#include "net/ipv4/internal.h"

#include <errno.h>

#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/ip_mib.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

/* The options of fields that RFC 791 says every fragment copies, into
 * copied (40 bytes); returns their length. */
static unsigned ip_fragment_copied_options(const struct ipv4_datagram_fields *fields, uint8_t *copied)
{
	unsigned length = 0;
	const uint8_t *options = fields->options;
	for (unsigned at = 0; at < fields->options_length;) {
		uint8_t type = options[at];
		if (type == IPV4_OPTION_END)
			break;
		if (type == IPV4_OPTION_NOP) {
			at++;
			continue;
		}
		if (at + 1 >= fields->options_length)
			break;
		unsigned option_length = options[at + 1];
		if (option_length < 2 || at + option_length > fields->options_length)
			break;                          /* malformed: copy nothing more */
		if (type & IPV4_OPTION_COPIED) {
			for (unsigned i = 0; i < option_length; i++)
				copied[length + i] = options[at + i];
			length += option_length;
		}
		at += option_length;
	}
	return length;
}

/* One fragment: bytes [offset, offset + length) of the payload. */
static int send_fragment(const struct ipv4_routed *routed, const struct ipv4_datagram_fields *fields,
			 const struct ipv4_payload *payload, size_t offset, size_t length, bool last,
			 const uint8_t *options, unsigned options_length)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		net_drop(NULL, NET_DROP_NO_BUFFER);
		return -ENOBUFS;
	}
	unsigned header_length = ipv4_header_length_for(options_length);
	ipv4_payload_copy(payload, offset, length, pkt_put(pkt, (uint32_t)length));
	uint8_t *header = pkt_push(pkt, header_length);
	bool more = !last || fields->more_fragments;
	uint16_t flags_offset = (uint16_t)(fields->fragment_offset + offset / IPV4_FRAGMENT_UNIT) |
				(more ? IPV4_FLAG_MORE_FRAGMENTS : 0);
	ipv4_write_header(header, fields, header_length, options, options_length, length, flags_offset);
	pkt_set_network_header(pkt);
	pkt->protocol = ETHERTYPE_IPV4;
	arp_output(routed->interface, routed->next_hop, pkt);   /* the hooks saw the datagram, not its pieces */
	return 0;
}

/* Payload bytes a fragment with options_length bytes of options carries. */
static size_t fragment_room(uint32_t mtu, unsigned options_length)
{
	return (mtu - ipv4_header_length_for(options_length)) / IPV4_FRAGMENT_UNIT * IPV4_FRAGMENT_UNIT;
}

int ip_fragment_output(const struct ipv4_routed *routed, const struct ipv4_datagram_fields *fields,
		       const struct ipv4_payload *payload)
{
	uint8_t copied[IPV4_HEADER_MAX_LENGTH];
	unsigned copied_length = ip_fragment_copied_options(fields, copied);
	/* A fragment never exceeds one pkt, even on a jumbo-MTU link. */
	uint32_t mtu = routed->mtu < PKT_DATA_SIZE ? routed->mtu : PKT_DATA_SIZE;
	size_t total = ipv4_payload_length(payload);
	size_t first_room = fragment_room(mtu, fields->options_length), other_room = fragment_room(mtu, copied_length);
	if (first_room == 0 || other_room == 0) {
		ipv4_mib_count(IPV4_MIB_FRAG_FAILS);
		return -EMSGSIZE;                      /* an MTU below RFC 791's 68 */
	}
	/* All fragments or none: a datagram missing one only makes the
	 * receiver hold the rest until its reassembly timeout. */
	size_t fragments = 1 + (total > first_room ? (total - first_room + other_room - 1) / other_room : 0);
	if (pkt_pool_get_stats().free < fragments) {
		ipv4_mib_count(IPV4_MIB_FRAG_FAILS);
		net_drop(NULL, NET_DROP_IP_FRAGMENT_NO_BUFFER);
		return -ENOBUFS;
	}
	for (size_t offset = 0; offset < total;) {
		bool first = offset == 0;
		const uint8_t *options = first ? fields->options : copied;
		unsigned options_length = first ? fields->options_length : copied_length;
		size_t room = first ? first_room : other_room;
		size_t length = total - offset <= room ? total - offset : room;
		bool last = offset + length == total;
		int result = send_fragment(routed, fields, payload, offset, length, last, options, options_length);
		if (result != 0)
			return result;
		offset += length;
		ipv4_mib_count(IPV4_MIB_FRAG_CREATES);
	}
	ipv4_mib_count(IPV4_MIB_FRAG_OKS);
	return 0;
}

/* The datagram in pkt (one pkt or a chain, its header written in the
 * first) cut by ip_fragment_output, keeping its identification, the offset
 * and MF of a datagram that is itself a fragment (forwarded, RFC 791 3.2).
 * Each fragment's bytes are copied from where they lie in the chain.
 * Consumes pkt. */
int ip_fragment_pkt(const struct ipv4_routed *routed, struct pkt *pkt)
{
	const struct ipv4_header *header = (const struct ipv4_header *)pkt->data;
	unsigned header_length = ipv4_header_length(header);
	uint16_t flags_offset = ipv4_flags_offset(header);
	struct ipv4_datagram_fields fields = {
		.source = header->source,
		.destination = header->destination,
		.protocol = header->protocol,
		.time_to_live = header->time_to_live,
		.type_of_service = header->type_of_service,
		.identification = header->identification,
		.options = pkt->data + IPV4_HEADER_MIN_LENGTH,
		.options_length = header_length - IPV4_HEADER_MIN_LENGTH,
		.fragment_offset = flags_offset & IPV4_FRAGMENT_OFFSET_MASK,
		.more_fragments = flags_offset & IPV4_FLAG_MORE_FRAGMENTS,
	};
	struct ipv4_payload payload = {
		.lengths = { pkt_total_length(pkt) - header_length, 0 },
		.chain = pkt,
		.chain_offset = header_length,
	};
	int result = ip_fragment_output(routed, &fields, &payload);   /* counts its own failure */
	pkt_free(pkt);
	return result;
}
