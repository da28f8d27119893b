/* ipv4.h - the IPv4 header (RFC 791 section 3.1). */
#ifndef KEEL_NET_WIRE_IPV4_H
#define KEEL_NET_WIRE_IPV4_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"

#define IPV4_HEADER_MIN_LENGTH 20
#define IPV4_VERSION 4
#define IPV4_FLAG_DONT_FRAGMENT 0x4000
#define IPV4_FLAG_MORE_FRAGMENTS 0x2000
#define IPV4_FRAGMENT_OFFSET_MASK 0x1FFF
#define IPV4_FRAGMENT_UNIT 8           /* offsets count 8-byte blocks */
#define IPV4_DEFAULT_TTL 64            /* RFC 1700 recommended default */
#define IPV4_TOTAL_LENGTH_MAX 65535
#define IPV4_HEADER_MAX_LENGTH 60

/* The ECN field: the low two bits of the type-of-service octet (RFC 3168 5). */
#define IPV4_ECN_MASK 0x03
#define IPV4_ECN_NOT_ECT 0x00
#define IPV4_ECN_ECT_1 0x01
#define IPV4_ECN_ECT_0 0x02
#define IPV4_ECN_CE 0x03

/* RFC 791 3.1 "Options": the option-type octet's copied flag says whether
 * the option goes into every fragment; END and NOP are one byte, the rest
 * carry a length octet. */
#define IPV4_OPTION_COPIED 0x80
#define IPV4_OPTION_END 0
#define IPV4_OPTION_NOP 1

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

static inline uint16_t ipv4_flags_offset(const struct ipv4_header *header) { return ntohs(header->flags_fragment_offset); }
/* Where the fragment's data starts in the original datagram, bytes. */
static inline unsigned ipv4_fragment_offset(const struct ipv4_header *header)
{
	return (ipv4_flags_offset(header) & IPV4_FRAGMENT_OFFSET_MASK) * IPV4_FRAGMENT_UNIT;
}
static inline bool ipv4_more_fragments(const struct ipv4_header *header)
{
	return ipv4_flags_offset(header) & IPV4_FLAG_MORE_FRAGMENTS;
}
/* A fragment, first or not (RFC 791 3.2 "Fragmentation and Reassembly"). */
static inline bool ipv4_is_fragment(const struct ipv4_header *header)
{
	return ipv4_more_fragments(header) || ipv4_fragment_offset(header) != 0;
}

/* The fixed header at pkt->data, or NULL when shorter than 20 bytes; the
 * rest (IHL, lengths, checksum) is ipv4_input's checklist. */
static inline struct ipv4_header *ipv4_header_view(const struct pkt *pkt)
{
	return pkt->length >= IPV4_HEADER_MIN_LENGTH ? (struct ipv4_header *)pkt->data : NULL;
}

#endif
