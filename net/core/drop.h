/* drop.h - why the stack dropped a received or outgoing packet. Every
 * validation failure of every layer has its own reason and counter;
 * net_drop() counts and frees, so a drop is one line at the check that
 * fails. Checks that may pass return NET_DROP_NONE (0) when they do.
 *
 * Each layer declares its reasons once, as an X-macro list of
 * X(constant, name) in its own net/<layer>/drop_reasons.h; NET_DROP_LAYERS
 * below composes them into one enum, one name table and one layer table
 * (net/core/drop.c), so a reason cannot lack its name and the printer
 * (net_drop_print, used by every stats block, the shutdown and the panic
 * dump) needs no change when a layer is added: a new layer (netfilter,
 * conntrack, qdisc) writes its list and adds one LAYER() line here. */
#ifndef KEEL_NET_DROP_H
#define KEEL_NET_DROP_H

#include <stdint.h>

#include "net/core/pkt.h"
#include "net/dhcp/drop_reasons.h"
#include "net/ethernet/drop_reasons.h"
#include "net/ipv4/drop_reasons.h"
#include "net/netfilter/drop_reasons.h"
#include "net/sched/drop_reasons.h"
#include "net/tcp/drop_reasons.h"
#include "net/udp/drop_reasons.h"

/* The core's own: device output (net/core/netdev.c), software GSO (gso.c)
 * and the packet pool, whichever layer asked for the buffer. */
#define NET_CORE_DROP_REASONS(X) \
	X(NET_DROP_TX_FAILED, tx_failed)             /* output: the driver refused (ring full) */ \
	/* output: a super-segment software GSO cannot cut (not IPv4/TCP, headers split) */ \
	X(NET_DROP_GSO_MALFORMED, gso_malformed) \
	X(NET_DROP_NO_BUFFER, no_buffer)             /* output: packet pool empty */ \
	X(NET_DROP_DEVICE_DOWN, device_down)         /* in or out: the device was set down (ip link set down) */

/* Every layer's list, in the order the stats print them. */
#define NET_DROP_LAYERS(LAYER) \
	LAYER(ETHERNET, ETHERNET_DROP_REASONS) \
	LAYER(CORE, NET_CORE_DROP_REASONS) \
	LAYER(ARP, ARP_DROP_REASONS) \
	LAYER(IPV4, IPV4_DROP_REASONS) \
	LAYER(IPV4_FORWARD, IPV4_FORWARD_DROP_REASONS) \
	LAYER(IPV4_REASSEMBLY, IPV4_REASSEMBLY_DROP_REASONS) \
	LAYER(ICMP, ICMP_DROP_REASONS) \
	LAYER(UDP, UDP_DROP_REASONS) \
	LAYER(TCP, TCP_DROP_REASONS) \
	LAYER(DHCP, DHCP_DROP_REASONS) \
	LAYER(NFT, NFT_DROP_REASONS) \
	LAYER(CONNTRACK, CONNTRACK_DROP_REASONS) \
	LAYER(NAT, NAT_DROP_REASONS) \
	LAYER(QDISC, QDISC_DROP_REASONS)

#define NET_DROP_REASON_ENUMERATOR(constant, name) constant,
#define NET_DROP_LAYER_REASONS(layer, REASONS) REASONS(NET_DROP_REASON_ENUMERATOR)
#define NET_DROP_LAYER_ENUMERATOR(layer, REASONS) NET_DROP_LAYER_##layer,

enum net_drop_reason {
	NET_DROP_NONE = 0,         /* not dropped: what a check returns when the packet passes */
	NET_DROP_LAYERS(NET_DROP_LAYER_REASONS)
	NET_DROP_REASON_TOTAL      /* how many values there are, NET_DROP_NONE included: never a reason */
};

enum net_drop_layer {
	NET_DROP_LAYERS(NET_DROP_LAYER_ENUMERATOR)
	NET_DROP_LAYER_COUNT
};

/* Counts the reason and frees pkt (which may be NULL: counted only). */
void net_drop(struct pkt *pkt, enum net_drop_reason reason);
uint64_t net_drop_count(enum net_drop_reason reason);
/* "ip_bad_checksum": the name the stats print ("none" for NET_DROP_NONE). */
const char *net_drop_reason_name(enum net_drop_reason reason);
/* "drops: name=count ..." lines, five a line (net/core/stats_print.h):
 * every reason of every layer, or (net_drop_print_layer) one layer's. */
void net_drop_print(void);
void net_drop_print_layer(enum net_drop_layer layer);
/* The layer a reason belongs to, and the layer's name ("ipv4", "tcp"), for `drops`. */
enum net_drop_layer net_drop_reason_layer(enum net_drop_reason reason);
const char *net_drop_layer_name(enum net_drop_layer layer);

#endif
