/* ipv4.h - IPv4 input (validation checklist, one drop reason per check,
 * then protocol demux) and output (header, route, ARP). */
#ifndef KEEL_NET_IPV4_H
#define KEEL_NET_IPV4_H

#include <stdint.h>

#include "net/byteorder.h"
#include "net/netdev.h"
#include "net/pkt.h"

/* pkt->data = IPv4 header. Consumes pkt. */
void ipv4_input(struct netdev *dev, struct pkt *pkt);
/* pkt->data = the transport header and payload: prepends a 20-byte header
 * (DF set: we never fragment), routes and sends. Consumes pkt. */
void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol);

#endif
