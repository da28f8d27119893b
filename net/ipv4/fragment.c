/* fragment.c - IPv4 fragmentation on output (RFC 791 3.2, "An Example
 * Fragmentation Procedure"): the datagram's payload is cut into pieces whose
 * lengths are multiples of 8 bytes (all but the last), each sent in a pkt of
 * its own behind a copy of the header with the fragment offset in 8-byte
 * units and MF on every fragment but the last. The first fragment carries
 * every option; the others only those whose copied flag is set. All share
 * one identification. A datagram is sent whole or not at all: when the pool
 * cannot hold all its fragments none goes (ip_fragment_no_buffer). */
#include "net/ipv4/internal.h"

#include <errno.h>

#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/ethernet/arp.h"
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
	uint16_t flags_offset = (uint16_t)(offset / IPV4_FRAGMENT_UNIT) | (last ? 0 : IPV4_FLAG_MORE_FRAGMENTS);
	ipv4_write_header(header, fields, header_length, options, options_length, length, flags_offset);
	pkt_set_network_header(pkt);
	pkt->protocol = ETHERTYPE_IPV4;
	ipv4_local_out(routed, pkt);
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
	if (first_room == 0 || other_room == 0)
		return -EMSGSIZE;                      /* an MTU below RFC 791's 68 */
	/* All fragments or none: a datagram missing one only makes the
	 * receiver hold the rest until its reassembly timeout. */
	size_t fragments = 1 + (total > first_room ? (total - first_room + other_room - 1) / other_room : 0);
	if (pkt_pool_get_stats().free < fragments) {
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
	}
	return 0;
}
