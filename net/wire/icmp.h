/* icmp.h - the ICMP header (RFC 792); echo request and reply carry an
 * identifier and a sequence number in the second word. */
#ifndef KEEL_NET_WIRE_ICMP_H
#define KEEL_NET_WIRE_ICMP_H

#include <stdint.h>

#include "net/byteorder.h"
#include "net/pkt.h"

#define ICMP_TYPE_ECHO_REPLY 0
#define ICMP_TYPE_ECHO_REQUEST 8
#define ICMP_HEADER_LENGTH 8

struct icmp_header {
	uint8_t type;
	uint8_t code;
	be16 checksum;                /* over the whole ICMP message */
	be16 identifier;
	be16 sequence;
} __attribute__((packed));
_Static_assert(sizeof(struct icmp_header) == ICMP_HEADER_LENGTH, "ICMP echo header is 8 bytes");

/* The header at pkt->data, or NULL when shorter than 8 bytes. */
static inline struct icmp_header *icmp_header_view(const struct pkt *pkt)
{
	return pkt->length >= ICMP_HEADER_LENGTH ? (struct icmp_header *)pkt->data : NULL;
}

#endif
