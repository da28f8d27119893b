/* udp.h - UDP (RFC 768): input (length and checksum checks, demux to the
 * socket bound to the destination, ICMP port unreachable when none),
 * output (header, software checksum, IPv4 without DF: datagrams larger than
 * the MTU leave in fragments), and the SOCK_DGRAM socket protocol
 * (net/udp/socket.c). */
#ifndef KEEL_NET_UDP_H
#define KEEL_NET_UDP_H

#include <stddef.h>

#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ipv4.h"
#include "net/socket/sock.h"

/* pkt->data = UDP header, network header set, length trimmed to the IP
 * payload. Consumes pkt. */
void udp_input(struct net_interface *interface, struct pkt *pkt);
/* The same for a datagram reassembled beyond one pkt; consumes its buffer. */
void udp_input_large(struct ipv4_large_datagram *datagram);

struct icmp_error_report;
/* A received ICMP error about a datagram we sent (net/ipv4/icmp.h): for a
 * connected socket, a hard error becomes its pending error (reported once
 * by the next send, receive or SO_ERROR, as Linux's sk_err); unconnected
 * sockets ignore errors (Linux without IP_RECVERR). NET_DROP_NONE
 * when used, else the drop reason. */
enum net_drop_reason udp_icmp_error(const struct icmp_error_report *report);

/* Sends one datagram (payload copied). 0 or -errno: -EMSGSIZE beyond
 * 65507 bytes, -ENETUNREACH, -ENOBUFS. */
int udp_output(const struct sock_endpoint *source, const struct sock_endpoint *destination, const void *payload,
	       size_t length);

/* For in-kernel users of a UDP socket (no file descriptor, nobody polls):
 * callback runs, from the network loop, each time a datagram was queued or
 * an error became pending. */
void udp_socket_set_data_ready(struct sock *sk, void (*callback)(struct sock *sk));

extern const struct sock_protocol_ops udp_ops;

#endif
