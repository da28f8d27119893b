/* conntrack_table.c - the entry pool and the hash table (conntrack_entry.h).
 *
 * One allocation holds the entries and the buckets. A bucket heads a chain
 * of nodes (entry index * 2 + direction) linked through the entries'
 * hash_next[direction]; the bucket of a tuple is SipHash-2-4 of its 16
 * bytes under a boot secret, so nobody outside can aim flows at one chain.
 * Free entries are linked through hash_next[0].
 *
 * Expiry is lazy and bounded: a lookup that meets a timed-out entry kills
 * it, and conntrack_gc_step (a timer, conntrack_hooks.c) sweeps a fixed
 * number of buckets per call. When the table is full, Linux's early drop
 * scans CONNTRACK_EVICTION_BUCKETS buckets from the new tuple's own for an
 * expired or unassured entry to evict. */
#include "net/netfilter/conntrack_entry.h"

#include <string.h>

#include "kernel/core/panic.h"
#include "kernel/time/clock.h"
#include "net/core/secret.h"
#include "net/core/siphash.h"

#define CONNTRACK_EVICTION_BUCKETS 8   /* Linux's NF_CT_EVICTION_RANGE */

extern int64_t nf_conntrack_max;

struct conntrack_stats conntrack_stats;

static struct {
	struct nf_conn *entries;
	uint32_t *buckets;
	unsigned capacity;
	uint32_t bucket_mask;
	uint32_t free_head;
	unsigned count;          /* entries out of the pool (confirmed or not) */
	unsigned gc_bucket;      /* where the sweep goes on */
	struct siphash_key key;
} table;

static inline uint32_t node_of(const struct nf_conn *entry, unsigned direction)
{
	return (uint32_t)(entry - table.entries) * 2u + direction;
}
static inline struct nf_conn *entry_of(uint32_t node) { return &table.entries[node / 2]; }

static uint32_t bucket_of(const struct conntrack_tuple *tuple)
{
	return (uint32_t)siphash_2_4(&table.key, tuple, sizeof(*tuple)) & table.bucket_mask;
}

uint64_t conntrack_table_bytes(unsigned capacity, unsigned bucket_count)
{
	return (uint64_t)capacity * sizeof(struct nf_conn) + (uint64_t)bucket_count * sizeof(uint32_t);
}

void conntrack_table_attach(void *memory, unsigned capacity, unsigned bucket_count)
{
	BUG_ON(bucket_count == 0 || (bucket_count & (bucket_count - 1)) != 0);
	table.entries = memory;
	table.buckets = (uint32_t *)(table.entries + capacity);
	table.capacity = capacity;
	table.bucket_mask = bucket_count - 1;
	table.count = 0;
	table.gc_bucket = 0;
	for (unsigned bucket = 0; bucket < bucket_count; bucket++)
		table.buckets[bucket] = CONNTRACK_NODE_NONE;
	table.free_head = CONNTRACK_NODE_NONE;
	for (unsigned index = capacity; index-- > 0;) {
		memset(&table.entries[index], 0, sizeof(struct nf_conn));
		table.entries[index].hash_next[0] = table.free_head;
		table.free_head = index;
	}
	net_secret_key(&table.key);
}

bool conntrack_table_ready(void) { return table.entries != NULL; }
unsigned conntrack_capacity(void) { return table.capacity; }
unsigned conntrack_count(void) { return table.count; }
unsigned conntrack_bucket_count(void) { return table.entries ? table.bucket_mask + 1 : 0; }

unsigned conntrack_free_entries(void)
{
	unsigned free_entries = 0;
	for (uint32_t index = table.free_head; index != CONNTRACK_NODE_NONE; index = table.entries[index].hash_next[0])
		free_entries++;
	return free_entries;
}

static void unhash(struct nf_conn *entry)
{
	for (unsigned direction = 0; direction < 2; direction++) {
		uint32_t node = node_of(entry, direction);
		uint32_t *link = &table.buckets[bucket_of(&entry->tuple[direction])];
		while (*link != CONNTRACK_NODE_NONE && *link != node)
			link = &entry_of(*link)->hash_next[*link & 1];
		BUG_ON(*link != node);
		*link = entry->hash_next[direction];
	}
}

void conntrack_kill(struct nf_conn *entry)
{
	if (!(entry->status & NF_CT_STATUS_CONFIRMED) || (entry->status & NF_CT_STATUS_DYING))
		return;
	unhash(entry);
	entry->status |= NF_CT_STATUS_DYING;
	conntrack_put(entry);
}

/* Early drop (Linux's early_drop): an expired entry, else one that
 * conntrack_can_early_drop, from the buckets at and after the new tuple's. */
static bool early_drop(const struct conntrack_tuple *tuple)
{
	uint64_t now = clock_monotonic_ns();
	uint32_t bucket = bucket_of(tuple);
	for (unsigned step = 0; step < CONNTRACK_EVICTION_BUCKETS; step++, bucket = (bucket + 1) & table.bucket_mask) {
		for (uint32_t node = table.buckets[bucket]; node != CONNTRACK_NODE_NONE;
		     node = entry_of(node)->hash_next[node & 1]) {
			struct nf_conn *entry = entry_of(node);
			if (conntrack_expired(entry, now)) {
				conntrack_kill(entry);
				return true;
			}
			if (conntrack_can_early_drop(entry)) {
				conntrack_kill(entry);
				conntrack_stats.early_drop++;
				return true;
			}
		}
	}
	return false;
}

static unsigned limit(void)
{
	return nf_conntrack_max > 0 && (uint64_t)nf_conntrack_max < table.capacity ? (unsigned)nf_conntrack_max
										     : table.capacity;
}

struct nf_conn *conntrack_alloc(const struct conntrack_tuple *original, const struct conntrack_tuple *reply)
{
	if (table.count >= limit() && !early_drop(original))
		return NULL;
	/* A killed entry may still be held by a pkt in flight: the count fell, the pool may not have. */
	if (table.free_head == CONNTRACK_NODE_NONE)
		return NULL;
	struct nf_conn *entry = &table.entries[table.free_head];
	table.free_head = entry->hash_next[0];
	table.count++;
	*entry = (struct nf_conn){ .tuple = { *original, *reply }, .use = 1 };
	entry->hash_next[0] = entry->hash_next[1] = CONNTRACK_NODE_NONE;
	return entry;
}

void conntrack_get(struct nf_conn *entry)
{
	BUG_ON(entry->use == UINT32_MAX);
	entry->use++;
}

void conntrack_put(struct nf_conn *entry)
{
	BUG_ON(entry->use == 0);
	if (--entry->use != 0)
		return;
	entry->status = 0;
	entry->hash_next[0] = table.free_head;
	table.free_head = (uint32_t)(entry - table.entries);
	table.count--;
}

static struct nf_conn *lookup(const struct conntrack_tuple *tuple, unsigned *direction)
{
	if (table.entries == NULL)
		return NULL;
	uint64_t now = clock_monotonic_ns();
	unsigned walked = 0;
	uint32_t node = table.buckets[bucket_of(tuple)];
	while (node != CONNTRACK_NODE_NONE) {
		struct nf_conn *entry = entry_of(node);
		uint32_t next = entry->hash_next[node & 1];
		if (conntrack_tuple_equal(&entry->tuple[node & 1], tuple)) {
			if (conntrack_expired(entry, now)) {
				conntrack_kill(entry);
				break;
			}
			*direction = node & 1;
			return entry;
		}
		if (++walked == CONNTRACK_CHAIN_LONG)
			conntrack_stats.chaintoolong++;
		node = next;
	}
	return NULL;
}

struct nf_conn *conntrack_find(const struct conntrack_tuple *tuple, unsigned *direction)
{
	struct nf_conn *entry = lookup(tuple, direction);
	if (entry)
		conntrack_stats.found++;
	return entry;
}

bool conntrack_tuple_taken(const struct conntrack_tuple *tuple, const struct nf_conn *ignored)
{
	uint64_t now = clock_monotonic_ns();
	for (uint32_t node = table.buckets[bucket_of(tuple)]; node != CONNTRACK_NODE_NONE;
	     node = entry_of(node)->hash_next[node & 1]) {
		const struct nf_conn *entry = entry_of(node);
		if (entry != ignored && !conntrack_expired(entry, now) &&
		    conntrack_tuple_equal(&entry->tuple[node & 1], tuple))
			return true;
	}
	return false;
}

int conntrack_confirm(struct nf_conn *entry)
{
	unsigned direction;
	if (lookup(&entry->tuple[0], &direction) || lookup(&entry->tuple[1], &direction)) {
		conntrack_stats.insert_failed++;
		return -1;
	}
	for (direction = 0; direction < 2; direction++) {
		uint32_t *head = &table.buckets[bucket_of(&entry->tuple[direction])];
		entry->hash_next[direction] = *head;
		*head = node_of(entry, direction);
	}
	entry->status |= NF_CT_STATUS_CONFIRMED;
	conntrack_get(entry);   /* the table's reference */
	conntrack_stats.insert++;
	return 0;
}

void conntrack_gc_step(unsigned bucket_budget)
{
	if (table.entries == NULL)
		return;
	uint64_t now = clock_monotonic_ns();
	for (unsigned step = 0; step < bucket_budget && step <= table.bucket_mask; step++) {
		uint32_t node = table.buckets[table.gc_bucket];
		while (node != CONNTRACK_NODE_NONE) {
			struct nf_conn *entry = entry_of(node);
			uint32_t next = entry->hash_next[node & 1];
			/* Killing unlinks both nodes: the other may be next. */
			if (conntrack_expired(entry, now)) {
				conntrack_kill(entry);
				node = table.buckets[table.gc_bucket];
				continue;
			}
			node = next;
		}
		table.gc_bucket = (table.gc_bucket + 1) & table.bucket_mask;
	}
}

void conntrack_for_each(void (*visit)(struct nf_conn *entry, void *context), void *context)
{
	if (table.entries == NULL)
		return;
	/* Each entry once, in pool order, so visit may kill it (unhashing moves nothing). */
	for (unsigned index = 0; index < table.capacity; index++) {
		struct nf_conn *entry = &table.entries[index];
		if (entry->use != 0 && (entry->status & NF_CT_STATUS_CONFIRMED) && !(entry->status & NF_CT_STATUS_DYING))
			visit(entry, context);
	}
}

static void kill_visit(struct nf_conn *entry, void *context)
{
	(*(unsigned *)context)++;
	conntrack_kill(entry);
}

unsigned conntrack_flush(void)
{
	unsigned killed = 0;
	conntrack_for_each(kill_visit, &killed);
	return killed;
}
