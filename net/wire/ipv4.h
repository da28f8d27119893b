/* ipv4.h - the IPv4 header (RFC 791 section 3.1). */
#ifndef KEEL_NET_WIRE_IPV4_H
#define KEEL_NET_WIRE_IPV4_H

#include <stdint.h>

#include "net/byteorder.h"
#include "net/pkt.h"

#define IPV4_HEADER_MIN_LENGTH 20
#define IPV4_VERSION 4
#define IPV4_FLAG_DONT_FRAGMENT 0x4000
#define IPV4_FLAG_MORE_FRAGMENTS 0x2000
#define IPV4_FRAGMENT_OFFSET_MASK 0x1FFF
#define IPV4_DEFAULT_TTL 64            /* RFC 1700 recommended default */

#define IP_PROTOCOL_ICMP 1
#define IP_PROTOCOL_TCP 6
#define IP_PROTOCOL_UDP 17

#define IPV4_ADDRESS_BROADCAST 0xFFFFFFFFu  /* limited broadcast, same in both byte orders */

struct ipv4_header {
	uint8_t version_ihl;          /* version in the high nibble, IHL (32-bit words) in the low */
	uint8_t type_of_service;
	be16 total_length;            /* header and data, bytes */
	be16 identification;
	be16 flags_fragment_offset;   /* 3 flag bits, then the offset in 8-byte units */
	uint8_t time_to_live;
	uint8_t protocol;
	be16 header_checksum;
	be32 source;
	be32 destination;
} __attribute__((packed));
_Static_assert(sizeof(struct ipv4_header) == IPV4_HEADER_MIN_LENGTH, "IPv4 header without options is 20 bytes");

static inline unsigned ipv4_version(const struct ipv4_header *header) { return header->version_ihl >> 4; }
static inline unsigned ipv4_header_length(const struct ipv4_header *header) { return (header->version_ihl & 0xF) * 4u; }

/* The fixed header at pkt->data, or NULL when shorter than 20 bytes; the
 * rest (IHL, lengths, checksum) is ipv4_input's checklist. */
static inline struct ipv4_header *ipv4_header_view(const struct pkt *pkt)
{
	return pkt->length >= IPV4_HEADER_MIN_LENGTH ? (struct ipv4_header *)pkt->data : NULL;
}

#endif
