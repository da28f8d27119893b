/* dql.h - dynamic queue limits: how many bytes a device's TX ring may hold
 * (the algorithm of Linux's lib/dynamic_queue_limits.c, written for keel;
 * the netdev side, BQL, is net/core/netdev_bql.c).
 *
 * The producer counts the bytes it hands the ring (dql_queued); the
 * consumer counts the bytes the device finished (dql_completed, from the
 * driver's reclaim). The producer stops while dql_available() < 0, i.e.
 * once the bytes in flight reached `limit`: the frame that crosses the
 * limit still goes, so in flight never exceeds limit plus one frame. At
 * each completion the limit adapts:
 *   - starved (it was over the limit and everything it had queued has
 *     completed: the device ran dry while the limit held data back): the
 *     limit grows by what completed beyond the previous check plus how far
 *     over the limit that check found the queue;
 *   - busy the whole interval (bytes in flight at both checks and not all
 *     of the previous ones completed): the slack (how far the limit exceeds
 *     twice what completed in the interval, or what the last frame did not
 *     need) is watched, and once per hold time the smallest slack seen is
 *     taken off: the limit shrinks slowly while it is bigger than needed.
 * Then it is clamped to [limit_min, limit_max] (Linux's sysfs knobs).
 * Byte counters run modulo 2^32 (differences are what matter). The clock
 * is passed in, so the algorithm runs on the host as it does in keel. */
#ifndef KEEL_NET_DQL_H
#define KEEL_NET_DQL_H

#include <stdbool.h>
#include <stdint.h>

/* Linux's bounds: the largest object (a 64 KB TSO frame is far below) and
 * the largest limit, chosen so that limit + object never wraps 2^31. */
#define DQL_MAX_OBJECT (UINT32_MAX / 16)
#define DQL_MAX_LIMIT ((UINT32_MAX / 2) - DQL_MAX_OBJECT)
#define DQL_HOLD_TIME_DEFAULT_MS 1000u  /* Linux: HZ jiffies, shown as 1000 ms */

struct dql {
	/* Producer side. */
	uint32_t queued;                /* bytes ever queued */
	uint32_t queue_while_below;     /* limit + completed: queue while queued is below it (Linux's adj_limit) */
	uint32_t last_queued;           /* bytes of the most recent queueing */
	/* Consumer side. */
	uint32_t limit;                 /* bytes allowed in flight now */
	uint32_t completed;             /* bytes ever completed */
	uint32_t previous_over_limit;   /* how far over the limit the previous completion found the queue */
	uint32_t previous_queued;       /* queued at the previous completion */
	uint32_t previous_last_queued;  /* last_queued at the previous completion */
	uint32_t lowest_slack;          /* the least slack seen since slack_since_ns */
	uint64_t slack_since_ns;
	/* Knobs (sysfs byte_queue_limits/limit_min, limit_max, hold_time). */
	uint32_t limit_min, limit_max;
	uint32_t hold_time_ms;
};

/* limit_min 0, limit_max DQL_MAX_LIMIT, hold time 1 s, limit 0, nothing in flight. */
void dql_init(struct dql *dql, uint64_t now_ns);
/* Forgets what is in flight (a ring that was reset), keeping limit and knobs. */
void dql_reset(struct dql *dql, uint64_t now_ns);

static inline void dql_queued(struct dql *dql, uint32_t bytes)
{
	dql->last_queued = bytes;
	dql->queued += bytes;
}

/* Bytes that may still be queued before the limit; negative: stop. */
static inline int32_t dql_available(const struct dql *dql)
{
	return (int32_t)(dql->queue_while_below - dql->queued);
}

static inline uint32_t dql_in_flight(const struct dql *dql) { return dql->queued - dql->completed; }

/* The device finished bytes (more than is in flight is taken as all of
 * it: a driver's miscount must not wrap the counters); adapts the limit. */
void dql_completed(struct dql *dql, uint32_t bytes, uint64_t now_ns);

/* Sets the knobs as Linux's sysfs stores do: false (nothing changed) when
 * the value is out of range (a byte count above DQL_MAX_LIMIT). A new
 * limit applies at once; new bounds clamp the limit at the next
 * completion, as in Linux. */
bool dql_set_limit(struct dql *dql, uint64_t bytes);
bool dql_set_limit_min(struct dql *dql, uint64_t bytes);
bool dql_set_limit_max(struct dql *dql, uint64_t bytes);
bool dql_set_hold_time(struct dql *dql, uint64_t milliseconds);

#endif
