/* drop_reasons.h - why a queueing discipline drops a packet: an X-macro
 * list of X(constant, name), composed into enum net_drop_reason by
 * net/core/drop.h (include that, not this). Names never change once printed. */
#ifndef KEEL_NET_SCHED_DROP_REASONS_H
#define KEEL_NET_SCHED_DROP_REASONS_H

/* net/sched: the qdiscs */
#define QDISC_DROP_REASONS(X) \
	X(NET_DROP_QDISC_OVERLIMIT, qdisc_overlimit)    /* the qdisc's limit (packets or memory) reached */ \
	/* fq_codel: CoDel's control law dropped it (RFC 8289 4.3; ECN off or a not-ECT packet) */ \
	X(NET_DROP_QDISC_FQ_CODEL_DROP, qdisc_fq_codel_drop) \
	/* queued when the qdisc was reset or replaced (keel.qdisc=, tc qdisc replace) */ \
	X(NET_DROP_QDISC_RESET, qdisc_reset)

#endif
