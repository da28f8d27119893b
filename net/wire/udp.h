/* udp.h - the UDP header (RFC 768). Its IPv4 pseudo-header is summed by
 * ipv4_pseudo_header_sum (net/core/checksum.h). */
#ifndef KEEL_NET_WIRE_UDP_H
#define KEEL_NET_WIRE_UDP_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/wire/ipv4.h"

#define UDP_HEADER_LENGTH 8
/* The largest payload: 65535 - 20 (IPv4 header) - 8 = 65507. */
#define UDP_PAYLOAD_MAX (IPV4_TOTAL_LENGTH_MAX - IPV4_HEADER_MIN_LENGTH - UDP_HEADER_LENGTH)
#define UDP_CHECKSUM_NONE 0            /* RFC 768: the sender computed no checksum */
#define UDP_CHECKSUM_ZERO_AS 0xFFFF    /* RFC 768: a computed 0 is sent as all ones */

struct udp_header {
	be16 source_port;
	be16 destination_port;
	be16 length;                  /* header and data, bytes */
	be16 checksum;                /* over the pseudo-header, header and data */
} __attribute__((packed));
_Static_assert(sizeof(struct udp_header) == UDP_HEADER_LENGTH, "UDP header is 8 bytes");

/* The header at pkt->data, or NULL when shorter than 8 bytes. */
static inline struct udp_header *udp_header_view(const struct pkt *pkt)
{
	return pkt->length >= UDP_HEADER_LENGTH ? (struct udp_header *)pkt->data : NULL;
}

#endif
