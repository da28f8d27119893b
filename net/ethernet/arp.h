/* arp.h - ARP for IPv4 over Ethernet (RFC 826), per interface: answers
 * requests for the interface's address on its link, resolves next hops
 * for IPv4 output with a bounded queue of packets per unresolved address,
 * retries and times out; announces an interface's address (gratuitous
 * ARP, RFC 5227 section 2.3) when the interface comes up, and
 * sends the probes of RFC 5227 2.1 for whoever checks an address first. */
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
/* RFC 5227 2.1.1 probe: a broadcast request for target with sender IP 0,
 * which nobody learns from; a host owning target answers it. */
void arp_probe(struct net_interface *interface, be32 target);
/* Called with every well-formed ARP packet received on an interface (before
 * it is answered or learned from): how address conflict detection (net/dhcp)
 * sees replies and other hosts' probes. One observer; NULL removes it. */
struct arp_packet;
void arp_set_observer(void (*observer)(struct net_interface *interface, const struct arp_packet *arp));
/* Registers ARP's "arp: ..." counter line in the netdev stats block. */
void arp_init(void);

#endif
