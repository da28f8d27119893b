/* tcp.h - the TCP header (RFC 9293 section 3.1) and its flags. */
#ifndef KEEL_NET_TCP_HEADER_H
#define KEEL_NET_TCP_HEADER_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"

#define TCP_HEADER_MIN_LENGTH 20
#define TCP_HEADER_MAX_LENGTH 60
#define TCP_OPTIONS_MAX_LENGTH (TCP_HEADER_MAX_LENGTH - TCP_HEADER_MIN_LENGTH)

/* Control bits, RFC 9293 3.1 (CWR/ECE from RFC 3168; we never set them). */
#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10
#define TCP_FLAG_URG 0x20
#define TCP_FLAG_ECE 0x40
#define TCP_FLAG_CWR 0x80

struct tcp_header {
	be16 source_port;
	be16 destination_port;
	be32 sequence;
	be32 acknowledgment;
	uint8_t data_offset;          /* high nibble: header length in 32-bit words */
	uint8_t flags;                /* TCP_FLAG_* */
	be16 window;                  /* scaled by the peer's shift (RFC 7323 2.2) except on SYNs */
	be16 checksum;                /* pseudo-header (RFC 9293 3.1) + header + data */
	be16 urgent_pointer;
} __attribute__((packed));
_Static_assert(sizeof(struct tcp_header) == TCP_HEADER_MIN_LENGTH, "TCP header without options is 20 bytes");

static inline unsigned tcp_header_length(const struct tcp_header *header) { return (header->data_offset >> 4) * 4u; }

/* The fixed header at pkt->data, or NULL when shorter than 20 bytes. */
static inline struct tcp_header *tcp_header_view(const struct pkt *pkt)
{
	return pkt->length >= TCP_HEADER_MIN_LENGTH ? (struct tcp_header *)pkt->data : NULL;
}

#endif
