/* icmp.h - ICMP (RFC 792) input: echo requests are answered. */
#ifndef KEEL_NET_ICMP_H
#define KEEL_NET_ICMP_H

#include "net/interface.h"
#include "net/pkt.h"

/* pkt->data = ICMP header, network header set, length trimmed to the IP
 * payload. Consumes pkt. */
void icmp_input(struct net_interface *interface, struct pkt *pkt);

#endif
