/* drop.h - why the stack dropped a received or outgoing packet. Every
 * validation failure has its own reason and counter (shown by
 * netdev_print_stats); net_drop() counts and frees, so a drop is one line
 * at the check that fails. */
#ifndef KEEL_NET_DROP_H
#define KEEL_NET_DROP_H

#include <stdint.h>

#include "net/core/pkt.h"

enum net_drop_reason {
	/* Ethernet (net/ethernet/ethernet.c) */
	NET_DROP_ETH_RUNT,                /* shorter than the 14-byte header */
	NET_DROP_ETH_OVERSIZED,           /* longer than MTU + header (+ VLAN tag) */
	NET_DROP_ETH_NOT_FOR_US,          /* unicast to another MAC */
	NET_DROP_ETH_UNKNOWN_ETHERTYPE,
	NET_DROP_ETH_NO_HEADROOM,         /* output: no room to prepend the header */
	NET_DROP_TX_FAILED,               /* output: the driver refused (ring full) */
	NET_DROP_TX_BACKLOG_FULL,         /* output: ring and the device's backlog (our qdisc) both full */
	NET_DROP_GSO_MALFORMED,           /* output: a super-segment software GSO cannot cut (not IPv4/TCP, headers split) */
	/* ARP (net/ethernet/arp.c) */
	NET_DROP_ARP_TRUNCATED,
	NET_DROP_ARP_BAD_FORMAT,          /* hardware/protocol type or lengths */
	NET_DROP_ARP_BAD_OPCODE,
	NET_DROP_ARP_BAD_SENDER,          /* group MAC as sender */
	NET_DROP_ARP_NOT_FOR_US,          /* target address is not ours */
	NET_DROP_ARP_ADDRESS_CONFLICT,    /* someone else claims our address */
	NET_DROP_ARP_QUEUE_FULL,          /* too many packets waiting for one resolution */
	NET_DROP_ARP_UNRESOLVED,          /* no reply after every retry */
	NET_DROP_ARP_CACHE_EVICTED,       /* waiting packets of an evicted entry */
	/* IPv4 input (net/ipv4/input.c), in checking order */
	NET_DROP_IP_TOO_SHORT,            /* shorter than the 20-byte header */
	NET_DROP_IP_BAD_VERSION,
	NET_DROP_IP_BAD_IHL,              /* IHL < 5 */
	NET_DROP_IP_HEADER_TRUNCATED,     /* IHL * 4 beyond the packet */
	NET_DROP_IP_BAD_CHECKSUM,
	NET_DROP_IP_BAD_TOTAL_LENGTH,     /* total length < IHL * 4 */
	NET_DROP_IP_TRUNCATED,            /* total length > frame */
	NET_DROP_IP_TTL_ZERO,
	NET_DROP_IP_NOT_FOR_US,
	NET_DROP_IP_MARTIAN_SOURCE,       /* source 0/8, 127/8, multicast, class E, broadcast or our own (RFC 1122 3.2.1.3) */
	NET_DROP_IP_UNKNOWN_PROTOCOL,
	NET_DROP_IP_NO_TCP,               /* TCP segment before a TCP exists (weak stub in net/ipv4/input.c) */
	NET_DROP_IP_TOO_BIG_FOR_PROTOCOL, /* reassembled beyond one pkt, for a protocol that needs one (TCP) */
	/* IPv4 reassembly (net/ipv4/reassembly.c, RFC 791 3.2, RFC 815) */
	NET_DROP_IP_BAD_FRAGMENT,         /* MF with a length not a multiple of 8, or an empty fragment */
	NET_DROP_IP_REASSEMBLY_TOO_BIG,   /* a fragment ends beyond 65535 bytes */
	NET_DROP_IP_REASSEMBLY_OVERLAP,   /* overlapping fragments: the whole datagram goes (as RFC 5722) */
	NET_DROP_IP_REASSEMBLY_DUPLICATE, /* an exact duplicate of a fragment held */
	NET_DROP_IP_REASSEMBLY_TIMEOUT,   /* incomplete after net.ipv4.ipfrag_time */
	NET_DROP_IP_REASSEMBLY_MEMORY,    /* evicted or refused to stay within the reassembly memory bound */
	NET_DROP_IP_REASSEMBLY_NO_BUFFER, /* no pkt or heap memory for the reassembled datagram */
	/* IPv4 output */
	NET_DROP_IP_NO_ROUTE,
	NET_DROP_NO_BUFFER,               /* output: packet pool empty */
	NET_DROP_IP_FRAGMENT_NEEDED,      /* output: DF set and larger than the route MTU */
	/* ICMP (net/ipv4/icmp.c) */
	NET_DROP_ICMP_TRUNCATED,
	NET_DROP_ICMP_BAD_CHECKSUM,
	NET_DROP_ICMP_BROADCAST_ECHO,     /* echo to a broadcast address: ignored, as Linux */
	NET_DROP_ICMP_UNHANDLED_TYPE,
	NET_DROP_ICMP_ERROR_NOT_ALLOWED,  /* an error we must not send (RFC 1122 3.2.2): counted, no pkt */
	NET_DROP_ICMP_ERROR_RATE_LIMITED, /* an error suppressed by the rate limits: counted, no pkt */
	/* Received ICMP errors (net/ipv4/icmp_error_input.c, RFC 1122 3.2.2, RFC 5927) */
	NET_DROP_ICMP_SOURCE_QUENCH,      /* ignored (RFC 6633) */
	NET_DROP_ICMP_ERROR_BAD_QUOTE,    /* quoted IP header truncated or malformed, or < 8 transport bytes */
	NET_DROP_ICMP_ERROR_UNKNOWN_CODE, /* destination unreachable code beyond 15 */
	NET_DROP_ICMP_ERROR_NO_HANDLER,   /* about a protocol other than UDP and TCP */
	NET_DROP_ICMP_ERROR_NO_SOCKET,    /* no socket or connection matches the quoted header */
	NET_DROP_ICMP_ERROR_OUT_OF_WINDOW, /* TCP: quoted sequence outside [snd_una, snd_nxt] (blind attack) */
	NET_DROP_ICMP_ERROR_IGNORED,      /* valid, but nothing to do (unconnected UDP, MTU not lower, ...) */
	/* UDP (net/udp/udp.c, RFC 768) */
	NET_DROP_UDP_TRUNCATED,           /* shorter than the 8-byte header */
	NET_DROP_UDP_BAD_LENGTH,          /* length field < 8 or beyond the IP payload */
	NET_DROP_UDP_BAD_CHECKSUM,
	NET_DROP_UDP_NO_SOCKET,           /* no socket bound to the port: port unreachable sent */
	NET_DROP_UDP_RECEIVE_BUFFER_FULL, /* the socket's SO_RCVBUF is full */
	NET_DROP_UDP_NO_MEMORY,           /* no memory for the receive queue entry */
	NET_DROP_REASON_COUNT
};

/* Counts the reason and frees pkt (which may be NULL: counted only). */
void net_drop(struct pkt *pkt, enum net_drop_reason reason);
uint64_t net_drop_count(enum net_drop_reason reason);
/* "ip_bad_checksum": the name the stats print. */
const char *net_drop_reason_name(enum net_drop_reason reason);

#endif
