/* arp_cache.c - the neighbour table (net/ethernet/arp_cache.h). A linear scan of 64
 * entries is cheaper than keeping a hash or an LRU list up to date. */
#include "net/ethernet/arp_cache.h"

static struct arp_entry entries[ARP_CACHE_ENTRIES];
static uint64_t evictions;

struct arp_entry *arp_cache_lookup(const struct net_interface *interface, be32 address)
{
	for (unsigned i = 0; i < ARP_CACHE_ENTRIES; i++)
		if (entries[i].state != ARP_STATE_FREE && entries[i].address == address && entries[i].interface == interface)
			return &entries[i];
	return NULL;
}

void arp_cache_remove(struct arp_entry *entry, enum net_drop_reason reason)
{
	struct pkt *pkt;
	timer_cancel(&entry->timer);
	while ((pkt = pkt_queue_pop(&entry->pending)) != NULL)
		net_drop(pkt, reason);
	entry->state = ARP_STATE_FREE;
}

static struct arp_entry *free_or_least_recently_used(void)
{
	struct arp_entry *victim = &entries[0];
	for (unsigned i = 0; i < ARP_CACHE_ENTRIES; i++) {
		if (entries[i].state == ARP_STATE_FREE)
			return &entries[i];
		if (entries[i].last_used_ns < victim->last_used_ns)
			victim = &entries[i];
	}
	evictions++;
	arp_cache_remove(victim, NET_DROP_ARP_CACHE_EVICTED);
	return victim;
}

struct arp_entry *arp_cache_insert(be32 address, struct net_interface *interface, uint64_t now_ns,
				   void (*timer_callback)(struct timer *timer, void *context))
{
	struct arp_entry *entry = free_or_least_recently_used();
	*entry = (struct arp_entry){
		.state = ARP_STATE_INCOMPLETE,
		.address = address,
		.interface = interface,
		.last_used_ns = now_ns,
	};
	pkt_queue_init(&entry->pending, ARP_PENDING_MAX);
	timer_setup(&entry->timer, timer_callback, entry);
	return entry;
}

struct arp_cache_stats arp_cache_get_stats(void)
{
	struct arp_cache_stats stats = { .evictions = evictions };
	for (unsigned i = 0; i < ARP_CACHE_ENTRIES; i++)
		stats.entries += entries[i].state != ARP_STATE_FREE;
	return stats;
}

const struct arp_entry *arp_cache_slot(unsigned index)
{
	return index < ARP_CACHE_ENTRIES ? &entries[index] : NULL;
}
