/* pmtu.c - the path MTUs learned from ICMP "fragmentation needed"
 * (RFC 1191), per destination, so that a new connection to a destination
 * starts with what an earlier one found (Linux keeps them as route
 * exceptions). A small fixed table: the least lasting entry makes room for
 * a new destination. An entry expires after net.ipv4.route.mtu_expires
 * seconds (Linux's 600), which is how a path MTU grows again (RFC 1191
 * 6.3: try a larger one after 10 minutes). Reported MTUs below
 * net.ipv4.route.min_pmtu (Linux's 552) are raised to it: a forged
 * tiny MTU must not make a connection send tiny segments (RFC 5927 7.2). */
#include "net/ipv4/ipv4.h"

#include "kernel/core/sysctl.h"

#define PMTU_ENTRIES 16
#define NSEC_PER_SECOND 1000000000ull

static int64_t pmtu_min = 552;
static int64_t pmtu_expires_s = 600;
SYSCTL_INTEGER("net.ipv4.route.min_pmtu", pmtu_min, 68, 65535);
SYSCTL_INTEGER("net.ipv4.route.mtu_expires", pmtu_expires_s, 1, 86400);

struct pmtu_entry {
	be32 destination;
	uint16_t mtu;                 /* 0: free */
	uint64_t expires_ns;
};

static struct pmtu_entry entries[PMTU_ENTRIES];

static bool live(const struct pmtu_entry *entry, uint64_t now_ns)
{
	return entry->mtu != 0 && now_ns < entry->expires_ns;
}

static struct pmtu_entry *find(be32 destination, uint64_t now_ns)
{
	for (unsigned i = 0; i < PMTU_ENTRIES; i++)
		if (live(&entries[i], now_ns) && entries[i].destination == destination)
			return &entries[i];
	return NULL;
}

/* A free or expired slot, else the one that expires first. */
static struct pmtu_entry *slot_for_new(uint64_t now_ns)
{
	struct pmtu_entry *soonest = &entries[0];
	for (unsigned i = 0; i < PMTU_ENTRIES; i++) {
		if (!live(&entries[i], now_ns))
			return &entries[i];
		if (entries[i].expires_ns < soonest->expires_ns)
			soonest = &entries[i];
	}
	return soonest;
}

uint16_t ipv4_pmtu_learn(be32 destination, uint16_t reported, uint16_t current, uint64_t now_ns)
{
	uint16_t mtu = reported < pmtu_min ? (uint16_t)pmtu_min : reported;
	if (mtu >= current)
		return current;               /* RFC 1191 3: never raised by a report */
	struct pmtu_entry *entry = find(destination, now_ns);
	if (entry == NULL)
		entry = slot_for_new(now_ns);
	else if (entry->mtu <= mtu)
		return mtu;                   /* already known as low: keep its expiry */
	*entry = (struct pmtu_entry){ destination, mtu, now_ns + (uint64_t)pmtu_expires_s * NSEC_PER_SECOND };
	return mtu;
}

uint16_t ipv4_pmtu_get(be32 destination, uint64_t now_ns)
{
	const struct pmtu_entry *entry = find(destination, now_ns);
	return entry ? entry->mtu : 0;
}

void ipv4_pmtu_reset(void)
{
	for (unsigned i = 0; i < PMTU_ENTRIES; i++)
		entries[i] = (struct pmtu_entry){ 0 };
}
