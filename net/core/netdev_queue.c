/* netdev_queue.c - a device's transmit queue: the root qdisc between
 * netdev_transmit and the driver's ring, its bypass and its run (contract
 * in net/core/qdisc.h). */
#include "net/core/qdisc.h"

#include "net/core/capture.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

uint32_t qdisc_pkt_wire_bytes(const struct pkt *pkt)
{
	uint32_t frames;
	uint64_t bytes;
	gso_wire_size(pkt, &frames, &bytes);
	return (uint32_t)bytes;
}

/* /proc/net/dev counts frames on the wire; tc's Sent counts what the
 * qdisc handed down (a super-segment once, its wire bytes), as Linux.
 * Every frame reaches the driver here, after the qdisc and after software
 * GSO: the transmit tap (Linux's dev_queue_xmit_nit in xmit_one) sees what
 * the driver is given, a TSO super-segment as one frame. */
static int hand_to_driver(struct netdev *dev, struct pkt *pkt)
{
	uint32_t frames;
	uint64_t bytes;
	gso_wire_size(pkt, &frames, &bytes);
	capture_tap_if_active(dev, pkt, CAPTURE_TRANSMITTED);
	if (dev->ops->xmit(dev, pkt) != 0)
		return -1;
	dev->stats.tx_packets += frames;
	dev->stats.tx_bytes += bytes;
	if (dev->qdisc) {
		dev->qdisc->stats.packets++;
		dev->qdisc->stats.bytes += bytes;
	}
	return 0;
}

/* Room in the ring and under the byte queue limit (netdev_bql.c). */
static bool ring_has_room(struct netdev *dev, const struct pkt *pkt)
{
	return netdev_tx_queue_may_send(dev, pkt);
}

struct pkt *qdisc_peek_dequeued(struct qdisc *qdisc)
{
	if (qdisc->requeued == NULL) {
		qdisc->requeued = qdisc->ops->dequeue(qdisc);
		if (qdisc->requeued) {
			qdisc->stats.backlog_packets++;
			qdisc->stats.backlog_bytes += qdisc_pkt_wire_bytes(qdisc->requeued);
		}
	}
	return qdisc->requeued;
}

/* The frame peek showed: the one set aside if any, else the qdisc's next. */
struct pkt *qdisc_dequeue(struct qdisc *qdisc)
{
	struct pkt *pkt = qdisc->requeued;
	if (pkt == NULL)
		return qdisc->ops->dequeue(qdisc);
	qdisc->requeued = NULL;
	qdisc->stats.backlog_packets--;
	qdisc->stats.backlog_bytes -= qdisc_pkt_wire_bytes(pkt);
	return pkt;
}

/* Linux's qdisc_run: as many frames as the ring takes, checked before each
 * is taken so that a full ring leaves the frame queued (no requeue). */
unsigned netdev_queue_run(struct netdev *dev)
{
	struct qdisc *qdisc = dev->qdisc;
	unsigned sent = 0;
	if (qdisc == NULL)
		return 0;
	while (qdisc_length(qdisc)) {
		struct pkt *next = qdisc->ops->peek(qdisc);
		if (next == NULL || !ring_has_room(dev, next))
			break;
		if (hand_to_driver(dev, qdisc_dequeue(qdisc)) != 0)
			net_drop(NULL, NET_DROP_TX_FAILED);
		sent++;
	}
	return sent;
}

int netdev_queue_transmit(struct netdev *dev, struct pkt *pkt)
{
	struct qdisc *qdisc = dev->qdisc;
	/* Bypass (TCQ_F_CAN_BYPASS): nothing is waiting, so nothing is overtaken. */
	if (qdisc == NULL || (!qdisc->ops->no_bypass && qdisc_length(qdisc) == 0 && ring_has_room(dev, pkt)))
		return hand_to_driver(dev, pkt);
	qdisc->ops->enqueue(qdisc, pkt);  /* a drop is counted there, not again as tx_failed */
	netdev_queue_run(dev);
	return 0;
}

void netdev_queue_wake(struct netdev *dev)
{
	netdev_queue_run(dev);
}

void qdisc_reset(struct qdisc *qdisc)
{
	struct pkt *requeued = qdisc->requeued;
	if (requeued) {
		qdisc_dequeue(qdisc);
		net_drop(requeued, NET_DROP_QDISC_RESET);
	}
	qdisc->ops->reset(qdisc);
}

void netdev_qdisc_attach(struct netdev *dev, struct qdisc *qdisc)
{
	struct qdisc *old = dev->qdisc;
	if (qdisc)
		qdisc->device = dev;
	dev->qdisc = qdisc;
	if (old == NULL)
		return;
	qdisc_reset(old);
	old->ops->destroy(old);
}

bool netdev_tx_backlog_any(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		if (dev->qdisc && qdisc_length(dev->qdisc) && !dev->qdisc->throttled)
			return true;
	return false;
}
