/* udp.h - the UDP header (RFC 768) and its pseudo-header for IPv4. */
#ifndef KEEL_NET_WIRE_UDP_H
#define KEEL_NET_WIRE_UDP_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"

#define UDP_HEADER_LENGTH 8
/* 65535 - 20 (IPv4 header) - 8 (UDP header): the largest payload. */
#define UDP_PAYLOAD_MAX 65507
#define UDP_CHECKSUM_NONE 0            /* RFC 768: the sender computed no checksum */
#define UDP_CHECKSUM_ZERO_AS 0xFFFF    /* RFC 768: a computed 0 is sent as all ones */

struct udp_header {
	be16 source_port;
	be16 destination_port;
	be16 length;                  /* header and data, bytes */
	be16 checksum;                /* over the pseudo-header, header and data */
} __attribute__((packed));
_Static_assert(sizeof(struct udp_header) == UDP_HEADER_LENGTH, "UDP header is 8 bytes");

/* RFC 768 "Fields": the pseudo-header prefixed to the checksummed data. */
struct udp_pseudo_header {
	be32 source;
	be32 destination;
	uint8_t zero;
	uint8_t protocol;
	be16 udp_length;
} __attribute__((packed));
_Static_assert(sizeof(struct udp_pseudo_header) == 12, "IPv4 pseudo-header is 12 bytes");

/* The header at pkt->data, or NULL when shorter than 8 bytes. */
static inline struct udp_header *udp_header_view(const struct pkt *pkt)
{
	return pkt->length >= UDP_HEADER_LENGTH ? (struct udp_header *)pkt->data : NULL;
}

#endif
