/* drop_reasons.h - why Ethernet and ARP drop a frame: X-macro lists of
 * X(constant, name), composed into enum net_drop_reason by net/core/drop.h
 * (include that, not this). The name is what the stats print ("eth_runt"):
 * tests parse it, so it never changes once printed. */
#ifndef KEEL_NET_ETHERNET_DROP_REASONS_H
#define KEEL_NET_ETHERNET_DROP_REASONS_H

/* net/ethernet/ethernet.c */
#define ETHERNET_DROP_REASONS(X) \
	X(NET_DROP_ETH_RUNT, eth_runt)                           /* shorter than the 14-byte header */ \
	X(NET_DROP_ETH_OVERSIZED, eth_oversized)                 /* longer than MTU + header (+ VLAN tag) */ \
	X(NET_DROP_ETH_NOT_FOR_US, eth_not_for_us)               /* unicast to another MAC */ \
	X(NET_DROP_ETH_UNKNOWN_ETHERTYPE, eth_unknown_ethertype) \
	X(NET_DROP_ETH_NO_HEADROOM, eth_no_headroom)             /* output: no room to prepend the header */

/* net/ethernet/arp.c, arp_cache.c */
#define ARP_DROP_REASONS(X) \
	X(NET_DROP_ARP_TRUNCATED, arp_truncated) \
	X(NET_DROP_ARP_BAD_FORMAT, arp_bad_format)               /* hardware/protocol type or lengths */ \
	X(NET_DROP_ARP_BAD_OPCODE, arp_bad_opcode) \
	X(NET_DROP_ARP_BAD_SENDER, arp_bad_sender)               /* group MAC as sender */ \
	X(NET_DROP_ARP_NOT_FOR_US, arp_not_for_us)               /* target address is not ours */ \
	X(NET_DROP_ARP_ADDRESS_CONFLICT, arp_address_conflict)   /* someone else claims our address */ \
	X(NET_DROP_ARP_QUEUE_FULL, arp_queue_full)               /* too many packets waiting for one resolution */ \
	X(NET_DROP_ARP_UNRESOLVED, arp_unresolved)               /* no reply after every retry */ \
	X(NET_DROP_ARP_CACHE_EVICTED, arp_cache_evicted)         /* waiting packets of an evicted entry */

#endif
