/* tbf.c - the token-bucket shaper in front of a child qdisc (contract in
 * net/sched/tbf.h). */
#include "net/sched/tbf.h"

#include <stdbool.h>
#include <stdlib.h>

#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/sched/tc_format.h"
#include "net/sched/tc_parse.h"

#define NS_PER_SECOND 1000000000ull

struct tbf {
	struct qdisc qdisc;
	struct qdisc *child;
	uint64_t rate_bytes;          /* bytes per second (tc keeps bytes: bit/s / 8) */
	uint32_t ns_per_byte_mult;    /* ns per byte = mult / 2^shift (Linux's psched_ratecfg) */
	uint32_t ns_per_byte_shift;
	uint32_t burst;               /* the bucket's depth in bytes */
	int64_t burst_ns;             /* ... in transmission time at rate */
	int64_t tokens_ns;            /* saved-up transmission time, <= burst_ns; < 0: in debt */
	uint64_t checkpoint_ns;       /* when tokens_ns was last brought up to date */
	uint64_t child_drops_seen;    /* the child's drops already added to ours */
	struct timer watchdog;        /* Linux's qdisc_watchdog: tokens will be there */
};

static struct tbf *tbf_of(const struct qdisc *qdisc) { return (struct tbf *)qdisc; }

uint32_t tbf_burst_for_rate(uint64_t bits_per_second)
{
	return (uint32_t)(bits_per_second / 8 / TBF_HZ) + TBF_MTU;
}

/* Linux's psched_ratecfg_precompute: the ns a byte takes at rate as
 * mult / 2^shift, mult scaled up until it has 32 significant bits (or the
 * factor would overflow), so that a frame's cost is one multiply and shift
 * rather than a division per frame. mult is rounded up, as the cost is,
 * so the rate is never exceeded: a cost is the exact one (a rate that
 * divides 10^9 * 2^shift, as 8 or 20 Mbit/s) or a few ns above it. */
static void precompute_cost(struct tbf *tbf)
{
	uint64_t factor = NS_PER_SECOND, mult;
	uint32_t shift = 0;
	for (;;) {
		mult = (factor + tbf->rate_bytes - 1) / tbf->rate_bytes;
		if ((mult & (1ull << 31)) || (factor & (1ull << 63)))
			break;
		factor <<= 1;
		shift++;
	}
	tbf->ns_per_byte_mult = (uint32_t)mult;
	tbf->ns_per_byte_shift = shift;
}

/* Time bytes take at rate, rounded up so the rate is never exceeded. */
static int64_t transmit_time_ns(const struct tbf *tbf, uint32_t bytes)
{
	uint64_t scaled = (uint64_t)bytes * tbf->ns_per_byte_mult;
	uint64_t round_up = (1ull << tbf->ns_per_byte_shift) - 1;
	return (int64_t)((scaled >> tbf->ns_per_byte_shift) + ((scaled & round_up) != 0));
}

static void refill(struct tbf *tbf, uint64_t now)
{
	uint64_t elapsed = now - tbf->checkpoint_ns;
	uint64_t room = (uint64_t)(tbf->burst_ns - tbf->tokens_ns);
	tbf->tokens_ns = elapsed >= room ? tbf->burst_ns : tbf->tokens_ns + (int64_t)elapsed;
	tbf->checkpoint_ns = now;
}

/* Our backlog is the child's plus the frame the core set aside from us;
 * the drops the child counted since last time are ours too (Linux's
 * qdisc_tree_reduce_backlog). */
static void sync_from_child(struct tbf *tbf)
{
	struct qdisc *child = tbf->child;
	struct qdisc_stats *stats = &tbf->qdisc.stats;
	stats->backlog_packets = child->stats.backlog_packets;
	stats->backlog_bytes = child->stats.backlog_bytes;
	if (tbf->qdisc.requeued) {
		stats->backlog_packets++;
		stats->backlog_bytes += qdisc_pkt_wire_bytes(tbf->qdisc.requeued);
	}
	stats->drops += child->stats.drops - tbf->child_drops_seen;
	tbf->child_drops_seen = child->stats.drops;
}

static void watchdog_fired(struct timer *timer, void *context)
{
	struct tbf *tbf = context;
	tbf->qdisc.throttled = false;
	if (tbf->qdisc.device)
		netdev_queue_wake(tbf->qdisc.device);
}

static int tbf_enqueue(struct qdisc *qdisc, struct pkt *pkt)
{
	struct tbf *tbf = tbf_of(qdisc);
	int result = tbf->child->ops->enqueue(tbf->child, pkt);
	sync_from_child(tbf);
	return result;
}

/* The child's next frame once the bucket holds its cost (all of it, or a
 * full bucket for a frame bigger than the bucket); else NULL, throttled
 * until the watchdog says the tokens are there. */
static struct pkt *tbf_dequeue(struct qdisc *qdisc)
{
	struct tbf *tbf = tbf_of(qdisc);
	if (qdisc->throttled)
		return NULL;
	struct pkt *next = tbf->child->ops->peek(tbf->child);
	if (next == NULL) {
		sync_from_child(tbf);   /* CoDel may have dropped the rest */
		return NULL;
	}
	uint64_t now = clock_monotonic_ns();
	refill(tbf, now);
	uint32_t bytes = qdisc_pkt_wire_bytes(next);
	int64_t cost = transmit_time_ns(tbf, bytes);
	int64_t needed = cost < tbf->burst_ns ? cost : tbf->burst_ns;
	if (tbf->tokens_ns < needed) {
		qdisc->throttled = true;
		qdisc->stats.overlimits++;
		timer_arm(&tbf->watchdog, now + (uint64_t)(needed - tbf->tokens_ns));
		sync_from_child(tbf);
		return NULL;
	}
	tbf->tokens_ns -= cost;
	struct pkt *pkt = qdisc_dequeue(tbf->child);
	tbf->child->stats.packets++;
	tbf->child->stats.bytes += bytes;
	sync_from_child(tbf);
	return pkt;
}

static void tbf_reset(struct qdisc *qdisc)
{
	struct tbf *tbf = tbf_of(qdisc);
	timer_cancel(&tbf->watchdog);
	qdisc->throttled = false;
	qdisc_reset(tbf->child);
	tbf->tokens_ns = tbf->burst_ns;
	tbf->checkpoint_ns = clock_monotonic_ns();
	sync_from_child(tbf);
}

static void tbf_destroy(struct qdisc *qdisc)
{
	struct tbf *tbf = tbf_of(qdisc);
	tbf_reset(qdisc);
	tbf->child->ops->destroy(tbf->child);
	free(tbf);
}

void tbf_graft(struct qdisc *shaper, struct qdisc *child)
{
	struct tbf *tbf = tbf_of(shaper);
	struct qdisc *old = tbf->child;
	qdisc_reset(old);
	sync_from_child(tbf);   /* the old child's drops, and its backlog gone */
	old->ops->destroy(old);
	tbf->child = child;
	tbf->child_drops_seen = child->stats.drops;
	sync_from_child(tbf);
}

uint64_t tbf_rate(const struct qdisc *shaper) { return tbf_of(shaper)->rate_bytes * 8; }

static bool rate_in_range(uint64_t bits_per_second)
{
	return bits_per_second >= TBF_RATE_MIN && bits_per_second <= TC_RATE_MAX;
}

int tbf_set_rate(struct qdisc *shaper, uint64_t bits_per_second)
{
	struct tbf *tbf = tbf_of(shaper);
	if (!rate_in_range(bits_per_second))
		return -1;
	tbf->rate_bytes = bits_per_second / 8;
	precompute_cost(tbf);
	tbf->burst = tbf_burst_for_rate(bits_per_second);
	tbf->burst_ns = transmit_time_ns(tbf, tbf->burst);
	tbf->tokens_ns = tbf->burst_ns;
	tbf->checkpoint_ns = clock_monotonic_ns();
	shaper->segment_above = tbf->burst;
	return 0;
}

/* "rate 20Mbit burst 4100b lat 50ms " (q_tbf.c tbf_print_opt). */
static void tbf_format_options(const struct qdisc *qdisc, char *out, size_t size)
{
	const struct tbf *tbf = tbf_of(qdisc);
	char rate[TC_NUMBER_LENGTH], burst[TC_NUMBER_LENGTH], latency[TC_NUMBER_LENGTH];
	tc_format_rate(tbf->rate_bytes * 8, rate);
	tc_format_size(tbf->burst, burst);
	tc_format_time(TBF_LATENCY_NS, latency);
	struct tc_text text;
	tc_text_start(&text, out, size);
	tc_text_add(&text, "rate %s burst %s lat %s ", rate, burst, latency);
}

static void no_extended_stats(const struct qdisc *qdisc, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
}

static unsigned tbf_counters(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max)
{
	const struct tbf *tbf = tbf_of(qdisc);
	const struct qdisc_counter counters[] = { { "rate_bits", tbf->rate_bytes * 8 }, { "burst", tbf->burst } };
	unsigned count = 0;
	for (; count < max && count < sizeof(counters) / sizeof(counters[0]); count++)
		out[count] = counters[count];
	return count;
}

static struct qdisc *tbf_child(const struct qdisc *qdisc) { return tbf_of(qdisc)->child; }

struct qdisc *tbf_create(uint64_t bits_per_second, struct qdisc *child)
{
	if (child == NULL || !rate_in_range(bits_per_second))
		return NULL;
	struct tbf *tbf = calloc(1, sizeof(*tbf));
	if (tbf == NULL)
		return NULL;
	tbf->qdisc.ops = &tbf_ops;
	tbf->child = child;
	tbf->child_drops_seen = child->stats.drops;
	tbf_set_rate(&tbf->qdisc, bits_per_second);
	timer_setup(&tbf->watchdog, watchdog_fired, tbf);
	sync_from_child(tbf);
	return &tbf->qdisc;
}

const struct qdisc_ops tbf_ops = {
	.id = "tbf",
	.no_bypass = true,
	.enqueue = tbf_enqueue,
	.dequeue = tbf_dequeue,
	.peek = qdisc_peek_dequeued,
	.reset = tbf_reset,
	.destroy = tbf_destroy,
	.format_options = tbf_format_options,
	.format_extended_stats = no_extended_stats,
	.counters = tbf_counters,
	.child = tbf_child,
};
