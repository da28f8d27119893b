/* tcp.h - TCP (RFC 9293) as the stack sees it: IPv4 input hands segments
 * to tcp_input; applications reach TCP through the socket layer
 * (SOCK_STREAM ops registered in net/tcp/socket.c, contract net/socket/sock.h). */
#ifndef KEEL_NET_TCP_H
#define KEEL_NET_TCP_H

#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"

/* pkt->data = the TCP header, pkt_network_header(pkt) = its IPv4 header.
 * Consumes pkt. */
void tcp_input(struct netdev *dev, struct pkt *pkt);
struct icmp_error_report;
/* A received ICMP error about a segment we sent (net/tcp/icmp.c, RFC 5927):
 * path MTU reduction (RFC 1191), connect() refused, soft errors.
 * NET_DROP_NONE when used, else the drop reason. */
enum net_drop_reason tcp_icmp_error(const struct icmp_error_report *report);
/* Secrets, tunables, the in-kernel test listener. Idempotent: also run on
 * the first segment or socket, so calling it from net_init is optional. */
void tcp_init(void);

#endif
