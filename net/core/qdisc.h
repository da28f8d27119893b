/* qdisc.h - the seam between a device's transmit path (net/core) and the
 * queueing disciplines that implement it (net/sched): Linux's Qdisc_ops.
 *
 * Every frame netdev_transmit sends goes through the device's root qdisc
 * (struct netdev.qdisc), attached by net/sched at bring-up; net/core only
 * calls the ops below, so it never includes net/sched. The transmit rules
 * (net/core/netdev_queue.c):
 *   - bypass (Linux's TCQ_F_CAN_BYPASS): when the qdisc holds nothing and
 *     the ring has room, the frame goes straight to the driver;
 *   - otherwise it is enqueued (the qdisc may drop it or others, counting
 *     each under a qdisc drop reason) and the queue is run: frames are
 *     dequeued for as long as the driver's ring takes them;
 *   - net_poll runs the queue again as the driver reclaims descriptors.
 * "Room" is the driver's tx_ready (which reclaims first) and the device's
 * byte queue limit (net/core/netdev_bql.c, Linux's BQL): once the ring
 * holds limit bytes the queue is stopped, so the backlog stays here, and a
 * completion under the limit restarts it.
 * A qdisc whose next frame is only known by dequeueing it (fq_codel) has
 * the core keep it aside (qdisc_peek_dequeued), sent first next time.
 * Without a qdisc (a host test's device, or before net/sched attached one)
 * frames go to the driver as Linux's noqueue does.
 *
 * A shaper (net/sched/tbf.c) is a root qdisc that holds frames on purpose:
 * its ops say no_bypass, it cuts super-segments above segment_above bytes
 * into frames before they reach it (netdev_transmit, as Linux's
 * tbf_segment), and while `throttled` (waiting for tokens) the idle loop
 * does not poll it: its own timer calls netdev_queue_wake when the next
 * frame may go. A qdisc with a child pulls from it with qdisc_dequeue.
 *
 * A qdisc counts what tc shows (struct qdisc_stats): the core adds sent
 * bytes/packets (wire bytes: a TSO super-segment counts as its frames'
 * bytes, once as a packet); the qdisc keeps backlog, drops and overlimits
 * current. requeues stays 0: the run asks the ring for room before it
 * takes a frame, so none is ever handed back (Linux counts a driver's
 * NETDEV_TX_BUSY there). */
#ifndef KEEL_NET_QDISC_H
#define KEEL_NET_QDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/pkt.h"

struct netdev;
struct qdisc;

/* tc -s qdisc's counters (Linux's gnet_stats_basic + gnet_stats_queue). */
struct qdisc_stats {
	uint64_t bytes, packets;      /* "Sent": handed to the driver, bypass included */
	uint64_t drops, overlimits, requeues;
	uint64_t backlog_bytes;       /* held now (wire bytes), the requeued frame included */
	uint32_t backlog_packets;
};

/* One named counter of a qdisc's own (fq_codel's maxpacket ...) for the
 * stats block. */
struct qdisc_counter {
	const char *name;
	uint64_t value;
};
#define QDISC_COUNTERS_MAX 12

struct qdisc_ops {
	const char *id;               /* "fq_codel": tc's kind */
	bool no_bypass;               /* a shaper: every frame waits its turn in it */
	/* Consumes pkt: queues it, or drops it (or others to make room),
	 * counting each drop. Returns 0 when pkt was queued. */
	int (*enqueue)(struct qdisc *qdisc, struct pkt *pkt);
	/* The next frame to send, or NULL; may drop frames on the way (CoDel). */
	struct pkt *(*dequeue)(struct qdisc *qdisc);
	/* The frame dequeue would return, left in place (or NULL). */
	struct pkt *(*peek)(struct qdisc *qdisc);
	/* Frees every queued frame (NET_DROP_QDISC_RESET), state back to new. */
	void (*reset)(struct qdisc *qdisc);
	/* reset, then frees the qdisc itself. */
	void (*destroy)(struct qdisc *qdisc);
	/* tc's parameters after "root refcnt 2 " ("limit 10240p flows 1024 ...")
	 * and its extended statistics lines (each "  ..." with its newline;
	 * none: empty). Write at most size bytes, always terminated. */
	void (*format_options)(const struct qdisc *qdisc, char *out, size_t size);
	void (*format_extended_stats)(const struct qdisc *qdisc, char *out, size_t size);
	/* Its own counters for the console stats block; returns how many. */
	unsigned (*counters)(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max);
	/* The qdisc it feeds from (tc's "parent 1:1"), or NULL; optional. */
	struct qdisc *(*child)(const struct qdisc *qdisc);
};

/* A qdisc's common part; an implementation embeds it first. */
struct qdisc {
	const struct qdisc_ops *ops;
	struct netdev *device;
	struct qdisc_stats stats;
	struct pkt *requeued;         /* dequeued by peek, not yet sent: sent first (the core's) */
	uint32_t segment_above;       /* wire bytes: a larger super-segment is cut first (0: never) */
	bool throttled;               /* waiting on its own timer: not polled meanwhile */
};

/* Frees everything qdisc holds, the requeued frame included
 * (NET_DROP_QDISC_RESET each); its counters other than the backlog stay. */
void qdisc_reset(struct qdisc *qdisc);
/* Makes qdisc dev's root, destroying the one it replaces (its frames
 * counted as NET_DROP_QDISC_RESET, and the requeued one). NULL: none. */
void netdev_qdisc_attach(struct netdev *dev, struct qdisc *qdisc);
/* peek for a qdisc whose next frame is only known by dequeueing it
 * (fq_codel: CoDel may drop on the way): dequeues into qdisc->requeued,
 * still counted in the backlog, where the next dequeue finds it first. */
struct pkt *qdisc_peek_dequeued(struct qdisc *qdisc);
/* The next frame of qdisc (the requeued one first, else its dequeue), its
 * backlog adjusted: what a parent qdisc pulls from its child. */
struct pkt *qdisc_dequeue(struct qdisc *qdisc);
/* Runs dev's transmit queue now (a shaper's timer: tokens are there). */
void netdev_queue_wake(struct netdev *dev);
/* Whether netdev_transmit cuts pkt into frames before the qdisc takes it. */
static inline bool qdisc_wants_segments(const struct qdisc *qdisc, const struct pkt *pkt)
{
	return qdisc && qdisc->segment_above && pkt->gso_size && pkt_total_length(pkt) > qdisc->segment_above;
}
/* Frames held by the qdisc, the requeued one included. */
static inline uint32_t qdisc_length(const struct qdisc *qdisc) { return qdisc->stats.backlog_packets; }
/* What a frame costs a qdisc: its wire bytes (a TSO super-segment: every
 * segment's headers included, as Linux's qdisc_pkt_len) and the pool
 * memory it holds (every buffer of the chain: PKT_BUFFER_SIZE each). */
uint32_t qdisc_pkt_wire_bytes(const struct pkt *pkt);
static inline uint32_t qdisc_pkt_memory(const struct pkt *pkt) { return pkt_buffer_count(pkt) * PKT_BUFFER_SIZE; }

#endif
