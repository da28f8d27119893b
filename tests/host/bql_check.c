/* bql_check.c - host driver for tests/host/test_bql.py: dynamic queue
 * limits (net/core/dql.c) alone, and byte queue limits on a device's
 * transmit queue (net/core/netdev_bql.c with netdev_queue.c), compiled for
 * the host with ASan and UBSan over a malloc'd packet pool and the fake
 * clock.
 *
 *   bql_check <scenario>      runs one scenario, prints "<scenario>: N failures"
 *
 * The device is a ring of RING_SLOTS frames that remembers each frame's
 * bytes, reports them with netdev_tx_sent_queue, and finishes them only
 * when the test says (netdev_tx_completed_queue); the qdisc is a FIFO of
 * this file's own, so only net/core is under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/dql.h"
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"
#include "net/core/pkt_pool.h"
#include "net/core/qdisc.h"
#include "net/wire/ethernet.h"
#include "tests/host/host_time_shim.h"

#include "host_check.h"

#define POOL_SIZE 1024
#define FRAME_BYTES 1514u
#define MS 1000000ull

/* ---- the kernel around the sources ---------------------------------------- */

void printk(int level, const char *format, ...) {}
const char *cmdline_get(const char *key) { return NULL; }
uint64_t cmdline_get_u64(const char *key, uint64_t fallback) { return fallback; }
void ethernet_input(struct netdev *dev, struct pkt *pkt) { pkt_free(pkt); }

/* ---- dql alone: a device that finishes `rate` bytes a millisecond ---------- */

struct run_result {
	unsigned starved;              /* milliseconds the device had less than rate to do */
	uint32_t most_over_limit;      /* in flight beyond the limit, at worst */
	unsigned limit_shrinks;
};

/* A sender with endless data queues FRAME_BYTES frames while the limit
 * allows, then the device works for a millisecond. */
static struct run_result run_device(struct dql *dql, uint32_t rate, unsigned milliseconds)
{
	struct run_result result = { 0 };
	for (unsigned ms = 0; ms < milliseconds; ms++) {
		while (dql_available(dql) >= 0)
			dql_queued(dql, FRAME_BYTES);
		uint32_t in_flight = dql_in_flight(dql);
		if (in_flight > dql->limit && in_flight - dql->limit > result.most_over_limit)
			result.most_over_limit = in_flight - dql->limit;
		if (in_flight < rate)
			result.starved++;
		host_time_advance(MS);
		uint32_t before = dql->limit;
		dql_completed(dql, in_flight < rate ? in_flight : rate, host_time_now_ns);
		result.limit_shrinks += dql->limit < before;
	}
	return result;
}

/* From 0 the limit grows while the device starves, until it no longer does;
 * it settles within a couple of milliseconds' bytes. */
static void check_growth(void)
{
	struct dql dql;
	dql_init(&dql, host_time_now_ns);
	CHECK(dql.limit == 0 && dql_available(&dql) == 0 && dql_in_flight(&dql) == 0);
	struct run_result first = run_device(&dql, 6000, 1000);
	uint32_t grown = dql.limit;
	struct run_result steady = run_device(&dql, 6000, 2000);
	printf("growth: limit %u after 1 s at 6000 bytes/ms (starved %u ms), %u after 2 s more (starved %u ms)\n",
	       grown, first.starved, dql.limit, steady.starved);
	CHECK(first.starved > 0);                                  /* it did start starved */
	CHECK(grown >= 6000 && grown <= 3 * 6000 + 2 * FRAME_BYTES);
	CHECK(steady.starved <= 20);
	CHECK(first.most_over_limit <= FRAME_BYTES && steady.most_over_limit <= FRAME_BYTES);   /* the crossing frame goes */
}

/* A slower device: the slack goes, by at most one step a hold time (the
 * first may come early: the hold time runs from the last starvation or
 * shrink, before the device slowed). */
static void check_slack(void)
{
	static const uint32_t hold_times_ms[] = { 1000, 3000 };
	for (unsigned i = 0; i < 2; i++) {
		struct dql dql;
		dql_init(&dql, host_time_now_ns);
		run_device(&dql, 6000, 2000);
		uint32_t fast_limit = dql.limit;
		CHECK(dql_set_hold_time(&dql, hold_times_ms[i]));
		struct run_result slow = run_device(&dql, 1500, 6000);
		printf("slack: hold time %u ms: limit %u at 6000 bytes/ms, %u after 6 s at 1500 bytes/ms "
		       "(%u shrinks, starved %u ms)\n", hold_times_ms[i], fast_limit, dql.limit, slow.limit_shrinks,
		       slow.starved);
		CHECK(dql.limit < fast_limit);
		CHECK(dql.limit >= 1500 && dql.limit <= 3 * 1500 + 2 * FRAME_BYTES);
		CHECK(slow.starved == 0);
		CHECK(slow.limit_shrinks >= 1 && slow.limit_shrinks <= 6000 / hold_times_ms[i] + 1);
	}
}

/* limit_max caps growth; limit_min floors it; crossed, max wins (Linux's clamp). */
static void check_clamp(void)
{
	struct dql dql;
	dql_init(&dql, host_time_now_ns);
	CHECK(dql_set_limit_max(&dql, 4000));
	struct run_result capped = run_device(&dql, 6000, 1000);
	CHECK(dql.limit == 4000 && capped.starved > 900);
	CHECK(dql_set_limit_max(&dql, DQL_MAX_LIMIT) && dql_set_limit_min(&dql, 20000));
	run_device(&dql, 1500, 3000);
	CHECK(dql.limit == 20000);
	CHECK(dql_set_limit_max(&dql, 10000));
	run_device(&dql, 1500, 10);
	CHECK(dql.limit == 10000);
	/* Out of range: refused, nothing changed. */
	CHECK(!dql_set_limit_min(&dql, (uint64_t)DQL_MAX_LIMIT + 1) && dql.limit_min == 20000);
	CHECK(!dql_set_limit_max(&dql, UINT64_MAX) && dql.limit_max == 10000);
	CHECK(!dql_set_limit(&dql, (uint64_t)DQL_MAX_LIMIT + 1) && dql.limit == 10000);
	CHECK(!dql_set_hold_time(&dql, UINT64_MAX) && dql.hold_time_ms == DQL_HOLD_TIME_DEFAULT_MS);
	/* A written limit applies at once. */
	CHECK(dql_set_limit(&dql, 3000) && dql_available(&dql) == (int32_t)(3000 - dql_in_flight(&dql)));
	printf("clamp: limits capped at 4000, floored at 20000, 10000 when crossed\n");
}

/* The bytes in flight are queued minus completed, modulo 2^32; a driver
 * that reports more than is in flight cannot wrap them. */
static void check_in_flight(void)
{
	struct dql dql;
	dql_init(&dql, host_time_now_ns);
	dql_set_limit(&dql, 5000);
	dql_queued(&dql, 1000);
	dql_queued(&dql, 3000);
	CHECK(dql_in_flight(&dql) == 4000 && dql_available(&dql) == 1000);
	dql_queued(&dql, 1514);
	CHECK(dql_in_flight(&dql) == 5514 && dql_available(&dql) < 0);
	dql_completed(&dql, 1000, host_time_now_ns);
	CHECK(dql_in_flight(&dql) == 4514);
	dql_completed(&dql, UINT32_MAX, host_time_now_ns);
	CHECK(dql_in_flight(&dql) == 0 && dql_available(&dql) >= 0);
	/* Across the wrap of the byte counters. */
	dql_init(&dql, host_time_now_ns);
	dql.queued = dql.completed = dql.previous_queued = UINT32_MAX - 2000;
	dql_set_limit(&dql, 8000);
	for (int i = 0; i < 4; i++)
		dql_queued(&dql, FRAME_BYTES);
	CHECK(dql.queued < dql.completed && dql_in_flight(&dql) == 4 * FRAME_BYTES && dql_available(&dql) > 0);
	dql_completed(&dql, 3 * FRAME_BYTES, host_time_now_ns);
	CHECK(dql_in_flight(&dql) == FRAME_BYTES);
	dql_reset(&dql, host_time_now_ns);
	CHECK(dql_in_flight(&dql) == 0 && dql.limit == 8000);
	printf("in-flight: queued - completed, clamped and across the wrap\n");
}

/* ---- the device ------------------------------------------------------------- */

#define RING_SLOTS 256

static struct {
	uint32_t bytes[RING_SLOTS];
	unsigned head, count;        /* oldest frame, frames on the ring */
	unsigned refused;            /* xmit with the ring full (a driver drops it) */
	unsigned sent;
	bool reports;                /* calls netdev_tx_sent_queue / completed */
	uint32_t undercount;         /* bytes a completion reports short of a frame (a driver's miscount) */
} ring;

static int test_open(struct netdev *dev) { return 0; }
static int test_poll(struct netdev *dev, int budget) { return 0; }
static void test_irq(struct netdev *dev) {}
static bool test_tx_ready(struct netdev *dev, const struct pkt *pkt) { return ring.count < RING_SLOTS; }

static int test_xmit(struct netdev *dev, struct pkt *pkt)
{
	uint32_t bytes = pkt_total_length(pkt);
	pkt_free(pkt);
	if (ring.count == RING_SLOTS) {
		ring.refused++;
		return -1;
	}
	ring.bytes[(ring.head + ring.count++) % RING_SLOTS] = bytes;
	ring.sent++;
	if (ring.reports)
		netdev_tx_sent_queue(dev, bytes);
	return 0;
}

static const struct netdev_ops test_ops = {
	.open = test_open, .xmit = test_xmit, .poll = test_poll, .tx_ready = test_tx_ready,
	.irq_enable = test_irq, .irq_disable = test_irq,
};
static struct netdev device = { .driver_name = "test", .ops = &test_ops, .mtu = 1500, .link_up = true };

/* The device finishes the oldest frames worth at most budget bytes (at
 * least one when any), then the net loop's step runs. */
static uint32_t ring_bytes(void)
{
	uint32_t total = 0;
	for (unsigned i = 0; i < ring.count; i++)
		total += ring.bytes[(ring.head + i) % RING_SLOTS];
	return total;
}

static void device_finishes(uint32_t budget)
{
	unsigned packets = 0;
	uint32_t bytes = 0;
	while (ring.count && (packets == 0 || bytes + ring.bytes[ring.head] <= budget)) {
		bytes += ring.bytes[ring.head] - ring.undercount;
		ring.head = (ring.head + 1) % RING_SLOTS;
		ring.count--;
		packets++;
	}
	if (ring.reports) {
		netdev_tx_completed_queue(&device, packets, bytes);
		if (ring.count == 0)
			netdev_tx_ring_empty(&device);   /* as both drivers' reclaims */
	}
	host_time_advance(MS);
	net_poll();
}

/* ---- a FIFO qdisc of the test's own ---------------------------------------- */

struct fifo {
	struct qdisc qdisc;
	struct pkt_queue queue;
};

static int fifo_enqueue(struct qdisc *qdisc, struct pkt *pkt)
{
	qdisc->stats.backlog_packets++;
	qdisc->stats.backlog_bytes += qdisc_pkt_wire_bytes(pkt);
	return pkt_queue_push(&((struct fifo *)qdisc)->queue, pkt);
}

static struct pkt *fifo_dequeue(struct qdisc *qdisc)
{
	struct pkt *pkt = pkt_queue_pop(&((struct fifo *)qdisc)->queue);
	if (pkt) {
		qdisc->stats.backlog_packets--;
		qdisc->stats.backlog_bytes -= qdisc_pkt_wire_bytes(pkt);
	}
	return pkt;
}

static struct pkt *fifo_peek(struct qdisc *qdisc) { return ((struct fifo *)qdisc)->queue.head; }

static void fifo_reset(struct qdisc *qdisc)
{
	struct pkt *pkt;
	while ((pkt = fifo_dequeue(qdisc)) != NULL)
		pkt_free(pkt);
}

static void fifo_destroy(struct qdisc *qdisc)
{
	fifo_reset(qdisc);
	free(qdisc);
}

static const struct qdisc_ops fifo_ops = {
	.id = "fifo", .enqueue = fifo_enqueue, .dequeue = fifo_dequeue, .peek = fifo_peek,
	.reset = fifo_reset, .destroy = fifo_destroy,
};

static void attach_fifo(void)
{
	struct fifo *fifo = calloc(1, sizeof(*fifo));
	fifo->qdisc.ops = &fifo_ops;
	pkt_queue_init(&fifo->queue, POOL_SIZE);
	netdev_qdisc_attach(&device, &fifo->qdisc);
}

static void transmit_frames(unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct pkt *pkt = pkt_alloc();
		uint8_t *bytes = pkt_put(pkt, FRAME_BYTES);
		memset(bytes, 0, FRAME_BYTES);
		netdev_transmit(&device, pkt);
	}
}

/* ---- the transmit queue with byte queue limits ------------------------------ */

/* A burst of 300 frames against a device finishing 6000 bytes a
 * millisecond: the ring never holds more than the limit plus one frame,
 * the rest waits in the qdisc; everything goes, in order, none refused. */
static void check_layer(void)
{
	ring.reports = true;
	attach_fifo();
	transmit_frames(300);
	const struct netdev_tx_queue_limits *limits = &device.tx_limits;
	CHECK(ring.count == 1 && qdisc_length(device.qdisc) == 299);   /* limit 0: one frame in flight */
	CHECK(limits->limit_stops == 1 && limits->stopped_by_limit && limits->ring_stops == 0);
	uint32_t worst_over = 0, most_in_ring = 0;
	unsigned steps = 0, held_steps = 0;
	while ((ring.count || qdisc_length(device.qdisc)) && steps++ < 1000) {
		device_finishes(6000);
		uint32_t in_ring = ring_bytes();
		CHECK(in_ring == dql_in_flight(&limits->dql));
		if (in_ring > limits->dql.limit && in_ring - limits->dql.limit > worst_over)
			worst_over = in_ring - limits->dql.limit;
		if (in_ring > most_in_ring)
			most_in_ring = in_ring;
		held_steps += qdisc_length(device.qdisc) > 0;
	}
	printf("layer: 300 frames in %u ms, limit %u, most in the ring %u bytes, over the limit by %u at most, "
	       "qdisc held frames for %u ms; stops %llu wakes %llu\n",
	       steps, limits->dql.limit, most_in_ring, worst_over, held_steps,
	       (unsigned long long)limits->limit_stops, (unsigned long long)limits->wakes);
	CHECK(ring.sent == 300 && ring.refused == 0 && qdisc_length(device.qdisc) == 0);
	CHECK(worst_over <= FRAME_BYTES);
	CHECK(most_in_ring <= 3 * 6000 + 2 * FRAME_BYTES);       /* not the 300 frames the ring could take */
	CHECK(held_steps >= 50);                                   /* the backlog waited in the qdisc */
	CHECK(limits->limit_stops >= 2 && limits->wakes >= limits->limit_stops - 1 && limits->ring_stops == 0);
	CHECK(!limits->stopped_by_limit && dql_in_flight(&limits->dql) == 0 && limits->miscounted_bytes == 0);
	netdev_qdisc_attach(&device, NULL);
}

/* limit_min at its maximum (how Linux turns BQL off): the ring fills, the
 * driver's ring-full stop counted once; nothing stops for bytes. */
static void check_limit_min_max(void)
{
	ring.reports = true;
	attach_fifo();
	CHECK(dql_set_limit_min(&device.tx_limits.dql, DQL_MAX_LIMIT) && dql_set_limit(&device.tx_limits.dql, DQL_MAX_LIMIT));
	transmit_frames(300);
	const struct netdev_tx_queue_limits *limits = &device.tx_limits;
	printf("limit-min-max: ring %u frames, qdisc %u, limit %u\n", ring.count, qdisc_length(device.qdisc),
	       limits->dql.limit);
	CHECK(ring.count == RING_SLOTS && qdisc_length(device.qdisc) == 300 - RING_SLOTS);
	CHECK(limits->ring_stops == 1 && limits->limit_stops == 0 && ring.refused == 0);
	while (ring.count)
		device_finishes(UINT32_MAX);
	CHECK(ring.sent == 300 && qdisc_length(device.qdisc) == 0 && limits->wakes == 1);
	CHECK(limits->dql.limit == DQL_MAX_LIMIT);
	netdev_qdisc_attach(&device, NULL);
}

/* A driver that reports nothing is never stopped for bytes. */
static void check_silent_driver(void)
{
	ring.reports = false;
	attach_fifo();
	transmit_frames(200);
	CHECK(ring.count == 200 && qdisc_length(device.qdisc) == 0 && device.tx_limits.limit_stops == 0);
	while (ring.count)
		device_finishes(UINT32_MAX);
	netdev_qdisc_attach(&device, NULL);
}

/* A driver whose completions come up short (10 bytes a frame): without
 * netdev_tx_ring_empty the leftover would pile up until the queue stayed
 * stopped with nothing on the ring; with it every frame goes, the leftover
 * counted as miscounted. */
static void check_miscount(void)
{
	ring.reports = true;
	ring.undercount = 10;
	attach_fifo();
	transmit_frames(300);
	unsigned steps = 0;
	while ((ring.count || qdisc_length(device.qdisc)) && steps++ < 1000)
		device_finishes(6000);
	const struct netdev_tx_queue_limits *limits = &device.tx_limits;
	printf("miscount: %u frames sent in %u ms, %llu bytes miscounted, in flight %u\n", ring.sent, steps,
	       (unsigned long long)limits->miscounted_bytes, dql_in_flight(&limits->dql));
	CHECK(ring.sent == 300 && qdisc_length(device.qdisc) == 0 && !limits->stopped_by_limit);
	CHECK(limits->miscounted_bytes > 0 && limits->miscounted_bytes <= 300 * 10);
	CHECK(dql_in_flight(&limits->dql) == 0);
	netdev_qdisc_attach(&device, NULL);
}

/* ---- main -------------------------------------------------------------------- */

struct scenario {
	const char *name;
	void (*run)(void);
};

static const struct scenario scenarios[] = {
	{ "growth", check_growth },  { "slack", check_slack },         { "clamp", check_clamp },
	{ "in-flight", check_in_flight }, { "layer", check_layer }, { "limit-min-max", check_limit_min_max },
	{ "silent-driver", check_silent_driver }, { "miscount", check_miscount },
};

static bool pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	return stats.free == stats.total;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bql_check <scenario>\n");
		return 2;
	}
	uint8_t *buffers = malloc((size_t)POOL_SIZE * PKT_BUFFER_SIZE);
	struct pkt *descriptors = malloc(POOL_SIZE * sizeof(struct pkt));
	uint8_t *in_use = malloc(POOL_SIZE);
	pkt_pool_attach(buffers, descriptors, in_use, POOL_SIZE);
	netdev_register(&device);
	bool found = false;
	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(argv[1], scenarios[i].name) == 0) {
			scenarios[i].run();
			CHECK(pool_full());
			printf("%s: %d failures\n", argv[1], failures);
			found = true;
		}
	free(buffers);
	free(descriptors);
	free(in_use);
	if (!found)
		fprintf(stderr, "unknown scenario %s\n", argv[1]);
	return found && failures == 0 ? 0 : 1;
}
