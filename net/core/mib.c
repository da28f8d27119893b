/* mib.c - the MIB counters and the value of a MIB entry (net/core/mib.h). */
#include "net/core/mib.h"

uint64_t net_mib_counters[NET_MIB_COUNTER_COUNT];

uint64_t net_mib_value(const struct net_mib_entry *entry)
{
	uint64_t value = entry->counter ? *entry->counter : 0;
	for (unsigned i = 0; i < NET_MIB_DROPS_MAX && entry->drops[i] != NET_DROP_NONE; i++)
		value += net_drop_count(entry->drops[i]);
	return value;
}
