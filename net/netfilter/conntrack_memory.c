/* conntrack_memory.c - the table's memory (kernel only; the host tests
 * bring their own conntrack_table_allocate): one run of pages for the
 * entries and the buckets (one bucket per entry, rounded up to a power of
 * two, as Linux sizes nf_conntrack_buckets to nf_conntrack_max). At most
 * an eighth of the free memory goes to it: a bigger nf_conntrack_max is
 * halved until it fits, with a warning, and the sysctl then shows the real
 * size. */
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/conntrack_sysctl.h"

#include "kernel/console/printk.h"
#include "kernel/core/power_of_two.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

#define CONNTRACK_MIN_ENTRIES 64
#define MEMORY_SHARE 8

static unsigned buckets_for(unsigned entries)
{
	unsigned buckets = round_down_power_of_two(entries);
	return buckets < entries ? buckets * 2 : buckets;
}

int conntrack_table_allocate(unsigned wanted_entries)
{
	uint64_t budget = pmm_get_stats().free_pages * PAGE_SIZE / MEMORY_SHARE;
	unsigned entries = wanted_entries;
	while (entries > CONNTRACK_MIN_ENTRIES && conntrack_table_bytes(entries, buckets_for(entries)) > budget)
		entries /= 2;
	uint64_t bytes = conntrack_table_bytes(entries, buckets_for(entries));
	size_t pages = (size_t)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	uint64_t memory = pmm_alloc_pages(pages);
	if (memory == 0) {
		pr_warn("conntrack: no memory for %u entries (%llu KiB)\n", entries, (unsigned long long)(bytes / 1024));
		return -1;
	}
	if (entries != wanted_entries)
		pr_warn("conntrack: nf_conntrack_max=%u does not fit in an eighth of free memory, using %u\n",
			wanted_entries, entries);
	nf_conntrack_max = entries;
	conntrack_table_attach(phys_to_virt(memory), entries, buckets_for(entries));
	pr_info("conntrack: %u entries of %u bytes, %u buckets (%llu KiB)\n", entries, (unsigned)sizeof(struct nf_conn),
		buckets_for(entries), (unsigned long long)(bytes / 1024));
	return 0;
}
