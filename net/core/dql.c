/* dql.c - dynamic queue limits (contract and algorithm in net/core/dql.h). */
#include "net/core/dql.h"

#define DQL_NS_PER_MS 1000000ull  /* pure: no kernel clock header */

/* a - b when a is after b (modulo 2^32), else 0. */
static uint32_t bytes_beyond(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0 ? a - b : 0;
}

static bool at_or_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

static void slack_watch_restart(struct dql *dql, uint64_t now_ns)
{
	dql->lowest_slack = UINT32_MAX;
	dql->slack_since_ns = now_ns;
}

void dql_reset(struct dql *dql, uint64_t now_ns)
{
	dql->queued = dql->completed = 0;
	dql->previous_queued = 0;
	dql->last_queued = dql->previous_last_queued = 0;
	dql->previous_over_limit = 0;
	dql->queue_while_below = dql->limit;
	slack_watch_restart(dql, now_ns);
}

void dql_init(struct dql *dql, uint64_t now_ns)
{
	dql->limit_min = 0;
	dql->limit_max = DQL_MAX_LIMIT;
	dql->hold_time_ms = DQL_HOLD_TIME_DEFAULT_MS;
	dql->limit = dql->limit_min;
	dql_reset(dql, now_ns);
}

/* Busy all interval: remember the least slack; once per hold time give
 * that much of the limit back. Slack is the limit (plus what it held back)
 * beyond twice what completed in the interval, or, when the queue was over
 * the limit, what of the last queueing was under it - whichever is more. */
static uint32_t shrink_by_slack(struct dql *dql, uint32_t limit, uint32_t completed_now, uint64_t now_ns)
{
	uint32_t completed_in_interval = completed_now - dql->completed;
	uint32_t slack = bytes_beyond(limit + dql->previous_over_limit, 2 * completed_in_interval);
	uint32_t slack_of_last = dql->previous_over_limit
					 ? bytes_beyond(dql->previous_last_queued, dql->previous_over_limit) : 0;
	if (slack_of_last > slack)
		slack = slack_of_last;
	if (slack < dql->lowest_slack)
		dql->lowest_slack = slack;
	if (now_ns - dql->slack_since_ns > (uint64_t)dql->hold_time_ms * DQL_NS_PER_MS) {
		limit = bytes_beyond(limit, dql->lowest_slack);
		slack_watch_restart(dql, now_ns);
	}
	return limit;
}

/* As Linux's clamp(): limit_max wins when the two cross. */
static uint32_t clamp_limit(const struct dql *dql, uint32_t limit)
{
	if (limit < dql->limit_min)
		limit = dql->limit_min;
	if (limit > dql->limit_max)
		limit = dql->limit_max;
	return limit;
}

void dql_completed(struct dql *dql, uint32_t bytes, uint64_t now_ns)
{
	uint32_t queued = dql->queued;
	if (bytes > queued - dql->completed)
		bytes = queued - dql->completed;
	uint32_t completed_now = dql->completed + bytes;
	uint32_t limit = dql->limit;
	uint32_t over_limit = bytes_beyond(queued - dql->completed, limit);
	uint32_t in_flight = queued - completed_now;
	uint32_t previous_in_flight = dql->previous_queued - dql->completed;
	bool previous_all_completed = at_or_after(completed_now, dql->previous_queued);

	if ((over_limit && !in_flight) || (dql->previous_over_limit && previous_all_completed)) {
		/* Starved: the device caught up with everything the limit let through. */
		limit += bytes_beyond(completed_now, dql->previous_queued) + dql->previous_over_limit;
		slack_watch_restart(dql, now_ns);
	} else if (in_flight && previous_in_flight && !previous_all_completed) {
		limit = shrink_by_slack(dql, limit, completed_now, now_ns);
	}
	limit = clamp_limit(dql, limit);
	if (limit != dql->limit) {
		dql->limit = limit;
		over_limit = 0;  /* a new limit: the next check starts afresh */
	}
	dql->queue_while_below = limit + completed_now;
	dql->previous_over_limit = over_limit;
	dql->previous_last_queued = dql->last_queued;
	dql->completed = completed_now;
	dql->previous_queued = queued;
}

bool dql_set_limit(struct dql *dql, uint64_t bytes)
{
	if (bytes > DQL_MAX_LIMIT)
		return false;
	dql->limit = (uint32_t)bytes;
	dql->queue_while_below = dql->limit + dql->completed;
	return true;
}

bool dql_set_limit_min(struct dql *dql, uint64_t bytes)
{
	if (bytes > DQL_MAX_LIMIT)
		return false;
	dql->limit_min = (uint32_t)bytes;
	return true;
}

bool dql_set_limit_max(struct dql *dql, uint64_t bytes)
{
	if (bytes > DQL_MAX_LIMIT)
		return false;
	dql->limit_max = (uint32_t)bytes;
	return true;
}

/* Linux keeps jiffies; milliseconds here, so any value up to a day is exact. */
#define DQL_HOLD_TIME_MAX_MS (24u * 3600u * 1000u)

bool dql_set_hold_time(struct dql *dql, uint64_t milliseconds)
{
	if (milliseconds > DQL_HOLD_TIME_MAX_MS)
		return false;
	dql->hold_time_ms = (uint32_t)milliseconds;
	return true;
}
