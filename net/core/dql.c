/* dql.c - dynamic queue limits (contract and algorithm in net/core/dql.h). */
#include "net/core/dql.h"

/* a - b when a is after b, else 0 (counters wrap at 2^32). */
static uint32_t positive_difference(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0 ? a - b : 0;
}

static bool after_or_equal(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

void dql_reset(struct dql *dql, uint64_t now_ns)
{
	dql->num_queued = dql->num_completed = dql->prev_num_queued = 0;
	dql->last_obj_count = dql->prev_last_obj_count = 0;
	dql->prev_over_limit = 0;
	dql->lowest_slack = UINT32_MAX;
	dql->slack_start_ns = now_ns;
	dql->adj_limit = dql->limit;
}

void dql_init(struct dql *dql)
{
	dql->min_limit = 0;
	dql->max_limit = DQL_MAX_LIMIT;
	dql->slack_hold_time_ns = DQL_HOLD_TIME_NS;
	dql->limit = dql->min_limit;
	dql_reset(dql, 0);
}

/* The limit could hold less: take the smallest slack of the hold time off. */
static uint32_t shrink_by_slack(struct dql *dql, uint32_t limit, uint32_t completed, uint64_t now_ns)
{
	/* Slack: the limit (plus what it held back) beyond twice what completed
	 * in this interval, or the part of the last queueing that was not over
	 * the limit, whichever is more. */
	uint32_t slack = positive_difference(limit + dql->prev_over_limit, 2 * (completed - dql->num_completed));
	uint32_t slack_last = dql->prev_over_limit ? positive_difference(dql->prev_last_obj_count, dql->prev_over_limit) : 0;
	if (slack_last > slack)
		slack = slack_last;
	if (slack < dql->lowest_slack)
		dql->lowest_slack = slack;
	if (now_ns - dql->slack_start_ns > dql->slack_hold_time_ns) {
		limit = positive_difference(limit, dql->lowest_slack);
		dql->slack_start_ns = now_ns;
		dql->lowest_slack = UINT32_MAX;
	}
	return limit;
}

void dql_completed(struct dql *dql, uint32_t bytes, uint64_t now_ns)
{
	uint32_t num_queued = dql->num_queued;
	if (bytes > num_queued - dql->num_completed)
		bytes = num_queued - dql->num_completed;   /* a driver's miscount must not wrap the counters */
	uint32_t completed = dql->num_completed + bytes;
	uint32_t limit = dql->limit;
	uint32_t over_limit = positive_difference(num_queued - dql->num_completed, limit);
	uint32_t in_flight = num_queued - completed;
	uint32_t prev_in_flight = dql->prev_num_queued - dql->num_completed;
	bool all_prev_completed = after_or_equal(completed, dql->prev_num_queued);

	if ((over_limit && !in_flight) || (dql->prev_over_limit && all_prev_completed)) {
		/* Starved: the limit held data back and the ring ran dry. */
		limit += positive_difference(completed, dql->prev_num_queued) + dql->prev_over_limit;
		dql->slack_start_ns = now_ns;
		dql->lowest_slack = UINT32_MAX;
	} else if (in_flight && prev_in_flight && !all_prev_completed) {
		/* Busy the whole interval: there may be slack to give back. */
		limit = shrink_by_slack(dql, limit, completed, now_ns);
	}
	if (limit < dql->min_limit)
		limit = dql->min_limit;
	if (limit > dql->max_limit)
		limit = dql->max_limit;
	if (limit != dql->limit) {
		dql->limit = limit;
		over_limit = 0;
	}
	dql->adj_limit = limit + completed;
	dql->prev_over_limit = over_limit;
	dql->prev_last_obj_count = dql->last_obj_count;
	dql->num_completed = completed;
	dql->prev_num_queued = num_queued;
}
