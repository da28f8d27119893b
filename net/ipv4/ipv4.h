/* ipv4.h - IPv4 input (validation checklist, one drop reason per check,
 * reassembly of fragments, then protocol demux) and output (header, route,
 * fragmentation, ARP).
 *
 * Received datagrams normally sit in one pkt. A datagram reassembled from
 * fragments that does not fit one pkt (PKT_DATA_SIZE) is delivered as a
 * struct ipv4_large_datagram instead: one heap buffer holding the IP header
 * and the payload contiguously. UDP and ICMP take those; protocols that need
 * a pkt (TCP, which never sends fragments: DF and MSS) get only datagrams
 * that fit one, the rest are dropped (ip_too_big_for_protocol). */
#ifndef KEEL_NET_IPV4_H
#define KEEL_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"

/* The sender's per-datagram choices (RFC 791 3.1 fields). */
struct ipv4_output_options {
	uint8_t time_to_live;         /* 0: IPV4_DEFAULT_TTL */
	uint8_t type_of_service;
	bool dont_fragment;           /* DF: refuse (-EMSGSIZE) rather than fragment */
	const uint8_t *options;       /* IP options (RFC 791 3.1), NULL: none */
	uint8_t options_length;       /* bytes, at most 40; padded to 4 with END */
};

/* A received datagram reassembled beyond one pkt (see above). */
struct ipv4_large_datagram {
	uint8_t *buffer;              /* malloc'd: IP header (fixed up, no fragment bits) then payload */
	uint32_t length;              /* IP total length */
	uint32_t header_length;
	struct net_interface *interface;
	uint8_t link_flags;           /* PKT_FLAG_BROADCAST/MULTICAST of the first fragment */
	uint16_t largest_fragment;    /* its largest fragment's total length */
};

/* pkt->data = IPv4 header. Consumes pkt. */
void ipv4_input(struct netdev *dev, struct pkt *pkt);

/* pkt->data = the transport header and payload: prepends the IPv4 header,
 * routes and sends, in fragments (RFC 791 3.2) when larger than the route's
 * MTU and options->dont_fragment is clear. Consumes pkt. Returns 0,
 * -EMSGSIZE (DF and too big, or beyond 65535 bytes), -ENETUNREACH (no route),
 * -ENOBUFS (pool empty while fragmenting). */
int ipv4_output_with_options(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol,
			     const struct ipv4_output_options *options);
/* The same for a datagram in memory, too large for one pkt: the transport
 * header, then the payload, copied into as many pkts as needed. */
int ipv4_output_buffer(const void *transport_header, size_t header_length, const void *payload, size_t payload_length,
		       be32 source, be32 destination, uint8_t protocol, const struct ipv4_output_options *options);
/* A datagram for one of our own addresses (Linux's loopback; net/ipv4/
 * loopback.c): pkt->data = the transport header and payload; the IPv4
 * header is prepended and the datagram delivered to local input from the run
 * loop, after the caller has returned (through PRE_ROUTING as if received on
 * dev). Consumes pkt; 0, or -1 when the bounded queue is full (counted as
 * ip_loopback_queue_full). */
int ipv4_loopback_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol, struct netdev *dev);
/* DF set, default TTL, no options: what TCP and ICMP errors send. Consumes pkt. */
void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol);

/* Path MTU discovery (RFC 1191; net/ipv4/pmtu.c). ipv4_pmtu_learn takes a
 * reported next-hop MTU for destination while the sender uses current:
 * raised to net.ipv4.route.min_pmtu, remembered for new connections for
 * net.ipv4.route.mtu_expires when lower, and returned; current when not
 * lower (increases are ignored). */
uint16_t ipv4_pmtu_learn(be32 destination, uint16_t reported, uint16_t current, uint64_t now_ns);
/* The remembered path MTU to destination, or 0. */
uint16_t ipv4_pmtu_get(be32 destination, uint64_t now_ns);
/* Forgets everything (host tests). */
void ipv4_pmtu_reset(void);

#endif
