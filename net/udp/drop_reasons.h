/* drop_reasons.h - why UDP (RFC 768) drops a datagram: an X-macro list of
 * X(constant, name), composed into enum net_drop_reason by net/core/drop.h
 * (include that, not this). The name is what the stats print
 * ("udp_no_socket"): tests parse it, so it never changes once printed. */
#ifndef KEEL_NET_UDP_DROP_REASONS_H
#define KEEL_NET_UDP_DROP_REASONS_H

/* net/udp/udp.c, socket.c */
#define UDP_DROP_REASONS(X) \
	X(NET_DROP_UDP_TRUNCATED, udp_truncated)                 /* shorter than the 8-byte header */ \
	X(NET_DROP_UDP_BAD_LENGTH, udp_bad_length)               /* length field < 8 or beyond the IP payload */ \
	X(NET_DROP_UDP_BAD_CHECKSUM, udp_bad_checksum) \
	X(NET_DROP_UDP_NO_SOCKET, udp_no_socket)                 /* no socket bound to the port: port unreachable sent */ \
	X(NET_DROP_UDP_RECEIVE_BUFFER_FULL, udp_receive_buffer_full) /* the socket's SO_RCVBUF is full */ \
	X(NET_DROP_UDP_NO_MEMORY, udp_no_memory)                 /* no memory for the receive queue entry */

#endif
