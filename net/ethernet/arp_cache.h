/* arp_cache.h - the neighbour table ARP fills, keyed by interface and
 * address (one address may be two different hosts on two links, as Linux's
 * per-device neighbour entries): a fixed number of entries,
 * the least recently used one evicted (and counted) when full. An entry is
 * INCOMPLETE while its requests are out (packets wait in `pending`),
 * REACHABLE for ARP_REACHABLE_NS after a confirmation, then STALE (still
 * used, refreshed by one request) until ARP_STALE_NS without confirmation
 * frees it. The timers that move entries between states live in net/ethernet/arp.c. */
#ifndef KEEL_NET_ARP_CACHE_H
#define KEEL_NET_ARP_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"
#include "net/wire/ethernet.h"

#define ARP_CACHE_ENTRIES 64
#define ARP_PENDING_MAX 3                       /* packets waiting per unresolved address */
#define ARP_REQUEST_TRIES 3
#define ARP_RETRY_INTERVAL_NS (1 * NSEC_PER_SEC)
#define ARP_REACHABLE_NS (60 * NSEC_PER_SEC)
#define ARP_STALE_NS (60 * NSEC_PER_SEC)

enum arp_state {
	ARP_STATE_FREE = 0,
	ARP_STATE_INCOMPLETE,
	ARP_STATE_REACHABLE,
	ARP_STATE_STALE,
};

struct arp_entry {
	enum arp_state state;
	be32 address;
	uint8_t mac[ETHERNET_ADDRESS_LENGTH];
	struct net_interface *interface;
	uint64_t last_used_ns;        /* for LRU eviction */
	unsigned requests_sent;       /* INCOMPLETE: tries so far */
	bool refresh_sent;            /* STALE: one request already out */
	struct pkt_queue pending;     /* INCOMPLETE: packets to send once resolved */
	struct timer timer;           /* next state change */
};

struct arp_cache_stats {
	unsigned entries;
	uint64_t evictions;
};

/* The entry for address on interface (any state but FREE), or NULL. */
struct arp_entry *arp_cache_lookup(const struct net_interface *interface, be32 address);
/* A fresh INCOMPLETE entry, evicting the least recently used one when the
 * table is full. timer_callback is set up on the entry's timer. */
struct arp_entry *arp_cache_insert(be32 address, struct net_interface *interface, uint64_t now_ns,
				   void (*timer_callback)(struct timer *timer, void *context));
/* Frees an entry; its waiting packets are dropped with reason. */
void arp_cache_remove(struct arp_entry *entry, enum net_drop_reason reason);
struct arp_cache_stats arp_cache_get_stats(void);
/* Slot index of the table (FREE ones included), NULL past the end: for `ip neigh`. */
const struct arp_entry *arp_cache_slot(unsigned index);

#endif
