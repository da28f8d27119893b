/* icmp.h - the ICMP header (RFC 792). Echo request and reply carry an
 * identifier and a sequence number in the second word; error messages
 * (destination unreachable, time exceeded) leave it unused except for
 * fragmentation needed, whose low half is the next-hop MTU (RFC 1191 4),
 * and quote the offending datagram's IP header and first data bytes. */
#ifndef KEEL_NET_WIRE_ICMP_H
#define KEEL_NET_WIRE_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"

#define ICMP_TYPE_ECHO_REPLY 0
#define ICMP_TYPE_DESTINATION_UNREACHABLE 3
#define ICMP_TYPE_SOURCE_QUENCH 4
#define ICMP_TYPE_REDIRECT 5
#define ICMP_TYPE_ECHO_REQUEST 8
#define ICMP_TYPE_TIME_EXCEEDED 11
#define ICMP_TYPE_PARAMETER_PROBLEM 12
#define ICMP_HEADER_LENGTH 8

/* Destination unreachable codes (RFC 792, RFC 1191; 0-15 with RFC 1122
 * 3.2.2.1 and RFC 1812 5.2.7.1). */
#define ICMP_CODE_NETWORK_UNREACHABLE 0
#define ICMP_CODE_HOST_UNREACHABLE 1
#define ICMP_CODE_PROTOCOL_UNREACHABLE 2
#define ICMP_CODE_PORT_UNREACHABLE 3
#define ICMP_CODE_FRAGMENTATION_NEEDED 4
#define ICMP_UNREACHABLE_CODE_MAX 15
/* Redirect codes (RFC 792). */
#define ICMP_CODE_REDIRECT_HOST 1
/* Time exceeded codes (RFC 792). */
#define ICMP_CODE_TTL_EXCEEDED 0
#define ICMP_CODE_REASSEMBLY_TIME_EXCEEDED 1

/* RFC 792: an error quotes the IP header and at least 64 bits of data. */
#define ICMP_ERROR_QUOTED_DATA_MIN 8
/* RFC 1812 4.3.2.3: the whole error no longer than 576 bytes (Linux quotes as much). */
#define ICMP_ERROR_LENGTH_MAX 576

struct icmp_header {
	uint8_t type;
	uint8_t code;
	be16 checksum;                /* over the whole ICMP message */
	be16 identifier;              /* errors: unused (0) */
	be16 sequence;                /* errors: unused, or the next-hop MTU for fragmentation needed */
} __attribute__((packed));
_Static_assert(sizeof(struct icmp_header) == ICMP_HEADER_LENGTH, "ICMP echo header is 8 bytes");

/* The header at pkt->data, or NULL when shorter than 8 bytes. */
static inline struct icmp_header *icmp_header_view(const struct pkt *pkt)
{
	return pkt->length >= ICMP_HEADER_LENGTH ? (struct icmp_header *)pkt->data : NULL;
}

/* RFC 1122 3.2.2: the error messages (as opposed to queries); no error is
 * ever sent about one of them. Unknown types count as errors, as Linux does. */
static inline bool icmp_type_is_error(uint8_t type)
{
	return !(type == ICMP_TYPE_ECHO_REPLY || type == ICMP_TYPE_ECHO_REQUEST || (type >= 13 && type <= 18));
}

#endif
