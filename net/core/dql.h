/* dql.h - dynamic queue limits: Linux's byte queue limits (BQL,
 * lib/dynamic_queue_limits.c's algorithm) for a device's TX ring.
 *
 * The stack counts the bytes it hands the ring (dql_queued) and the driver
 * the bytes the device finished (dql_completed, from its reclaim). The
 * ring is fed only while the bytes in flight stay under `limit`, so the
 * queue waits in the qdisc, where fq_codel can manage it, rather than in
 * hundreds of descriptors. The limit adapts at each completion:
 *   - starvation (the ring ran dry while there was more to send, i.e. the
 *     limit held data back and the device caught up): the limit grows by
 *     what completed since the last check plus what the limit held back;
 *   - slack (the ring never ran dry over the interval): the smallest slack
 *     seen over hold_time (1 s) is taken off the limit, slack being how far
 *     the limit exceeds twice what completes per interval.
 * Bounded by [min_limit, max_limit]. All counts are bytes, modulo 2^32. */
#ifndef KEEL_NET_DQL_H
#define KEEL_NET_DQL_H

#include <stdbool.h>
#include <stdint.h>

#define DQL_MAX_LIMIT ((UINT32_MAX / 16) - 1)   /* Linux's DQL_MAX_LIMIT */
#define DQL_HOLD_TIME_NS 1000000000ull         /* Linux: HZ jiffies */

struct dql {
	/* Enqueue side. */
	uint32_t num_queued;            /* bytes ever queued */
	uint32_t adj_limit;             /* limit + num_completed: queue while num_queued is below */
	uint32_t last_obj_count;        /* bytes of the last queueing */
	/* Completion side. */
	uint32_t limit;                 /* bytes allowed in flight */
	uint32_t num_completed;         /* bytes ever completed */
	uint32_t prev_over_limit;       /* how far over the limit the queue was at the last completion */
	uint32_t prev_num_queued;       /* num_queued at the last completion */
	uint32_t prev_last_obj_count;
	uint32_t lowest_slack;          /* the least slack seen since slack_start_ns */
	uint64_t slack_start_ns;
	uint32_t min_limit, max_limit;
	uint64_t slack_hold_time_ns;
};

void dql_init(struct dql *dql);
static inline void dql_queued(struct dql *dql, uint32_t bytes)
{
	dql->last_obj_count = bytes;
	dql->num_queued += bytes;
}
/* Bytes that may still be queued (negative: over the limit, stop). */
static inline int64_t dql_available(const struct dql *dql)
{
	return (int64_t)(int32_t)(dql->adj_limit - dql->num_queued);
}
static inline uint32_t dql_in_flight(const struct dql *dql) { return dql->num_queued - dql->num_completed; }
/* The device finished bytes (clamped to what is in flight); adapts the limit. */
void dql_completed(struct dql *dql, uint32_t bytes, uint64_t now_ns);
/* Forgets what is in flight (a ring reset), keeping the limit. */
void dql_reset(struct dql *dql, uint64_t now_ns);

#endif
