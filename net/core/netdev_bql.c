/* netdev_bql.c - byte queue limits on a device's TX ring (Linux's BQL,
 * include/linux/netdevice.h's netdev_tx_sent_queue and
 * netdev_tx_completed_queue; the limit itself is net/core/dql.c).
 *
 * The driver reports the bytes it puts on its ring and the bytes the
 * device finished; once the bytes in flight reach the limit the queue is
 * stopped (stopped_by_limit) and netdev_queue.c leaves frames in the
 * qdisc, where fq_codel can schedule and drop them, instead of in hundreds
 * of ring descriptors. A completion that brings them back under the limit
 * restarts the queue at once; the net loop then sends what the qdisc holds
 * in the same step (net_poll runs the queue after the poll that
 * reclaimed, and the queue's run reclaims through tx_ready before each
 * frame). While the qdisc holds frames the idle loop sleeps only briefly
 * (netdev_tx_backlog_any), and both drivers raise TX-completion
 * interrupts, so a stopped queue never waits long for its completion. */
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

#include "kernel/time/clock.h"

void netdev_tx_queue_limits_init(struct netdev *dev)
{
	dev->tx_limits = (struct netdev_tx_queue_limits){ 0 };
	dql_init(&dev->tx_limits.dql, clock_monotonic_ns());
}

void netdev_tx_sent_queue(struct netdev *dev, uint32_t bytes)
{
	struct netdev_tx_queue_limits *limits = &dev->tx_limits;
	dql_queued(&limits->dql, bytes);
	if (dql_available(&limits->dql) >= 0 || limits->stopped_by_limit)
		return;
	limits->stopped_by_limit = true;
	limits->limit_stops++;
}

void netdev_tx_completed_queue(struct netdev *dev, unsigned packets, uint32_t bytes)
{
	struct netdev_tx_queue_limits *limits = &dev->tx_limits;
	if (packets == 0 && bytes == 0)
		return;
	dql_completed(&limits->dql, bytes, clock_monotonic_ns());
	if (dql_available(&limits->dql) < 0 || !limits->stopped_by_limit)
		return;
	limits->stopped_by_limit = false;
	if (!limits->stopped_by_ring)
		limits->wakes++;
}

void netdev_tx_ring_empty(struct netdev *dev)
{
	uint32_t left = dql_in_flight(&dev->tx_limits.dql);
	if (left == 0)
		return;
	dev->tx_limits.miscounted_bytes += left;
	netdev_tx_completed_queue(dev, 0, left);
}

/* The driver's tx_ready first: it reclaims, which reports completions and
 * may restart a queue the limit stopped. A stop and the restart after it
 * are counted once each, however often the loop asks meanwhile (a wake:
 * the queue may send again, neither cause left). */
bool netdev_tx_queue_may_send(struct netdev *dev, const struct pkt *pkt)
{
	struct netdev_tx_queue_limits *limits = &dev->tx_limits;
	if (dev->ops->tx_ready && !dev->ops->tx_ready(dev, pkt)) {
		if (!limits->stopped_by_ring) {
			limits->stopped_by_ring = true;
			limits->ring_stops++;
		}
		return false;
	}
	if (limits->stopped_by_ring) {
		limits->stopped_by_ring = false;
		if (!limits->stopped_by_limit)
			limits->wakes++;
	}
	return !limits->stopped_by_limit;
}
