/* internal.h - between UDP input (net/udp/udp.c) and UDP sockets
 * (net/udp/socket.c): a received datagram queued on a socket, and the demux. */
#ifndef KEEL_NET_UDP_INTERNAL_H
#define KEEL_NET_UDP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/socket/sock.h"

/* One received datagram: its payload lives in pkt, or in heap (a
 * reassembled datagram's buffer); whichever is set is freed with it. */
struct udp_datagram {
	struct udp_datagram *next;
	struct sock_endpoint from;
	const uint8_t *data;
	uint32_t length;
	uint32_t charge;             /* bytes counted against the receive buffer */
	struct pkt *pkt;
	void *heap;
};

void udp_datagram_free(struct udp_datagram *datagram);

/* The socket a datagram to local:local_port from remote:remote_port goes to
 * (Linux's scoring: a specific local address and a connected peer beat
 * wildcards; the latest bind wins a tie), or NULL. */
struct sock *udp_socket_lookup(be32 local, be16 local_port, be32 remote, be16 remote_port);
/* An ICMP error (errno, hard per RFC 1122 4.2.3.9) about what sk sent:
 * NET_DROP_NONE when it became sk's pending error, else why not. */
enum net_drop_reason udp_socket_error(struct sock *sk, int error, bool hard);
/* Queues datagram on sk and wakes it: NET_DROP_NONE, or the drop
 * reason (the datagram is then still the caller's). */
enum net_drop_reason udp_socket_enqueue(struct sock *sk, struct udp_datagram *datagram);

#endif
