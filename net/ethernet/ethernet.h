/* ethernet.h - Ethernet input (validation and EtherType demux) and output. */
#ifndef KEEL_NET_ETHERNET_H
#define KEEL_NET_ETHERNET_H

#include <stdint.h>

#include "net/core/netdev.h"
#include "net/core/pkt.h"

/* pkt->data = Ethernet header. Consumes pkt. */
void ethernet_input(struct netdev *dev, struct pkt *pkt);
/* pkt->data = the L3 packet: pads to the 60-byte minimum, prepends the
 * header and transmits. Consumes pkt. */
void ethernet_output(struct netdev *dev, struct pkt *pkt, const uint8_t *destination, uint16_t ethertype);

#endif
