/* drop_reasons.h - why IPv4, its reassembly and ICMP drop a packet: X-macro
 * lists of X(constant, name), composed into enum net_drop_reason by
 * net/core/drop.h (include that, not this). The name is what the stats print
 * ("ip_bad_checksum"): tests parse it, so it never changes once printed. */
#ifndef KEEL_NET_IPV4_DROP_REASONS_H
#define KEEL_NET_IPV4_DROP_REASONS_H

/* Input (net/ipv4/input.c) in checking order, then output (output.c, fragment.c) */
#define IPV4_DROP_REASONS(X) \
	X(NET_DROP_IP_TOO_SHORT, ip_too_short)                   /* shorter than the 20-byte header */ \
	X(NET_DROP_IP_BAD_VERSION, ip_bad_version) \
	X(NET_DROP_IP_BAD_IHL, ip_bad_ihl)                       /* IHL < 5 */ \
	X(NET_DROP_IP_HEADER_TRUNCATED, ip_header_truncated)     /* IHL * 4 beyond the packet */ \
	X(NET_DROP_IP_BAD_CHECKSUM, ip_bad_checksum) \
	X(NET_DROP_IP_BAD_TOTAL_LENGTH, ip_bad_total_length)     /* total length < IHL * 4 */ \
	X(NET_DROP_IP_TRUNCATED, ip_truncated)                   /* total length > frame */ \
	X(NET_DROP_IP_TTL_ZERO, ip_ttl_zero) \
	X(NET_DROP_IP_NOT_FOR_US, ip_not_for_us) \
	/* source 0/8, 127/8, multicast, class E, broadcast or our own (RFC 1122 3.2.1.3) */ \
	X(NET_DROP_IP_MARTIAN_SOURCE, ip_martian_source) \
	/* a datagram to ourselves (net/ipv4/loopback.c) found its bounded queue full */ \
	X(NET_DROP_IP_LOOPBACK_QUEUE_FULL, ip_loopback_queue_full) \
	/* malformed options (net/ipv4/options.c): answered with parameter problem */ \
	X(NET_DROP_IP_BAD_OPTIONS, ip_bad_options) \
	/* LSRR/SSRR with net.ipv4.conf.all.accept_source_route=0, as Linux: silent */ \
	X(NET_DROP_IP_SOURCE_ROUTE, ip_source_route) \
	X(NET_DROP_IP_UNKNOWN_PROTOCOL, ip_unknown_protocol) \
	/* reassembled beyond one pkt, for a protocol that needs one (TCP) */ \
	X(NET_DROP_IP_TOO_BIG_FOR_PROTOCOL, ip_too_big_for_protocol) \
	X(NET_DROP_IP_NO_ROUTE, ip_no_route)                     /* output */ \
	X(NET_DROP_IP_FRAGMENT_NEEDED, ip_fragment_needed)       /* output: DF set and larger than the route MTU */ \
	/* output: the pool cannot hold every fragment of a datagram, so none is sent */ \
	X(NET_DROP_IP_FRAGMENT_NO_BUFFER, ip_fragment_no_buffer)

/* Forwarding (net/ipv4/forward.c, RFC 1812 5.2-5.3), in checking order;
 * it also counts ip_martian_source, ip_source_route, ip_bad_options,
 * ip_no_route, ip_fragment_needed and ip_fragment_no_buffer above, as local
 * input and output do. */
#define IPV4_FORWARD_DROP_REASONS(X) \
	/* not ours, arrived as a link-layer broadcast or multicast (Linux: PACKET_HOST only) */ \
	X(NET_DROP_IP_FORWARD_LINK_BROADCAST, ip_forward_link_broadcast) \
	/* 0/8, 127/8, 224/4, 240/4, 169.254/16 or a subnet's broadcast (RFC 1812 5.3.7, RFC 3927 2.7) */ \
	X(NET_DROP_IP_MARTIAN_DESTINATION, ip_martian_destination) \
	X(NET_DROP_IP_FORWARD_DISABLED, ip_forward_disabled)     /* not ours and net.ipv4.ip_forward=0 */ \
	/* net.ipv4.conf.all.rp_filter: the way back to the source is not via the input interface (1) or none (2) */ \
	X(NET_DROP_IP_RP_FILTER, ip_rp_filter) \
	X(NET_DROP_IP_TTL_EXPIRED, ip_ttl_expired)               /* TTL <= 1: answered with time exceeded */

/* Reassembly (net/ipv4/reassembly.c, RFC 791 3.2, RFC 815) */
#define IPV4_REASSEMBLY_DROP_REASONS(X) \
	X(NET_DROP_IP_BAD_FRAGMENT, ip_bad_fragment)             /* MF with a length not a multiple of 8, or empty */ \
	X(NET_DROP_IP_REASSEMBLY_TOO_BIG, ip_reassembly_too_big) /* a fragment ends beyond 65535 bytes */ \
	/* overlapping fragments: the whole datagram goes (as RFC 5722) */ \
	X(NET_DROP_IP_REASSEMBLY_OVERLAP, ip_reassembly_overlap) \
	X(NET_DROP_IP_REASSEMBLY_DUPLICATE, ip_reassembly_duplicate) /* an exact duplicate of a fragment held */ \
	X(NET_DROP_IP_REASSEMBLY_TIMEOUT, ip_reassembly_timeout) /* incomplete after net.ipv4.ipfrag_time */ \
	/* evicted or refused to stay within the reassembly memory bound */ \
	X(NET_DROP_IP_REASSEMBLY_MEMORY, ip_reassembly_memory) \
	/* no pkt or heap memory for the reassembled datagram */ \
	X(NET_DROP_IP_REASSEMBLY_NO_BUFFER, ip_reassembly_no_buffer)

/* ICMP (net/ipv4/icmp.c, icmp_error.c), then received ICMP errors
 * (icmp_error_input.c, RFC 1122 3.2.2, RFC 5927) */
#define ICMP_DROP_REASONS(X) \
	X(NET_DROP_ICMP_TRUNCATED, icmp_truncated) \
	X(NET_DROP_ICMP_BAD_CHECKSUM, icmp_bad_checksum) \
	X(NET_DROP_ICMP_BROADCAST_ECHO, icmp_broadcast_echo)     /* echo to a broadcast address: ignored, as Linux */ \
	X(NET_DROP_ICMP_UNHANDLED_TYPE, icmp_unhandled_type) \
	/* the RR/TS option to carry back leaves part of a slot: no reply or error, as Linux */ \
	X(NET_DROP_ICMP_ECHO_OPTIONS, icmp_echo_options) \
	/* an error we must not send (RFC 1122 3.2.2): counted, no pkt */ \
	X(NET_DROP_ICMP_ERROR_NOT_ALLOWED, icmp_error_not_allowed) \
	/* an error suppressed by the rate limits: counted, no pkt */ \
	X(NET_DROP_ICMP_ERROR_RATE_LIMITED, icmp_error_rate_limited) \
	X(NET_DROP_ICMP_SOURCE_QUENCH, icmp_source_quench)       /* ignored (RFC 6633) */ \
	/* quoted IP header truncated or malformed, or < 8 transport bytes */ \
	X(NET_DROP_ICMP_ERROR_BAD_QUOTE, icmp_error_bad_quote) \
	X(NET_DROP_ICMP_ERROR_UNKNOWN_CODE, icmp_error_unknown_code) /* destination unreachable code beyond 15 */ \
	X(NET_DROP_ICMP_ERROR_NO_HANDLER, icmp_error_no_handler) /* about a protocol other than UDP and TCP */ \
	/* no socket or connection matches the quoted header */ \
	X(NET_DROP_ICMP_ERROR_NO_SOCKET, icmp_error_no_socket) \
	/* TCP: quoted sequence outside [snd_una, snd_nxt] (blind attack) */ \
	X(NET_DROP_ICMP_ERROR_OUT_OF_WINDOW, icmp_error_out_of_window) \
	/* valid, but nothing to do (unconnected UDP, MTU not lower, ...) */ \
	X(NET_DROP_ICMP_ERROR_IGNORED, icmp_error_ignored)

#endif
