/* arp.h - ARP for IPv4 over Ethernet (RFC 826): answers requests for our
 * address, resolves next hops for IPv4 output with a bounded queue of packets
 * per unresolved address, retries and times out; announces our address
 * (gratuitous ARP, RFC 5227 section 2.3) when an interface comes up. */
#ifndef KEEL_NET_ARP_H
#define KEEL_NET_ARP_H

#include "net/core/byteorder.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"

/* pkt->data = ARP packet. Consumes pkt. */
void arp_input(struct netdev *dev, struct pkt *pkt);
/* pkt->data = IPv4 packet for next_hop (on interface's link): sent now when
 * the MAC is known, else queued while a request goes out. Consumes pkt. */
void arp_output(struct net_interface *interface, be32 next_hop, struct pkt *pkt);
/* Gratuitous ARP announcements of interface's address. */
void arp_announce(struct net_interface *interface);
/* Registers ARP's "arp: ..." counter line in the netdev stats block. */
void arp_init(void);

#endif
