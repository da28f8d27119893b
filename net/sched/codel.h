/* codel.h - CoDel, "Controlled Delay" active queue management (RFC 8289),
 * for one queue: fq_codel runs one per flow (RFC 8290 4.2).
 *
 * Each packet carries its enqueue time (pkt->timestamp_ns, written by the
 * qdisc). At dequeue the sojourn time is compared with `target`: once it
 * has stayed above target for a whole `interval`, CoDel enters the
 * dropping state and drops (or, with ECN, marks CE) one packet, then the
 * next after interval/sqrt(count) (the control law, RFC 8289 4.3) for as
 * long as the sojourn stays above target; it leaves the state when a
 * packet's sojourn falls below target or less than a packet is queued.
 * Re-entering soon after leaving (within 16 intervals) starts count from
 * where the last episode ended (count - lastcount) rather than 1. The
 * 1/sqrt(count) is kept in Q0.32 fixed point and refreshed with one
 * Newton step per count change (RFC 8289 5.4). Times are nanoseconds of
 * the monotonic clock. */
#ifndef KEEL_NET_SCHED_CODEL_H
#define KEEL_NET_SCHED_CODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/pkt.h"

#define CODEL_TARGET_DEFAULT_NS 5000000ull       /* 5 ms (RFC 8289 4.4) */
#define CODEL_INTERVAL_DEFAULT_NS 100000000ull   /* 100 ms (RFC 8289 4.5) */

struct codel_parameters {
	uint64_t target_ns;
	uint64_t interval_ns;
	bool ecn;                       /* mark ECT packets CE instead of dropping them */
};

/* One queue's state (RFC 8289 5's variables). */
struct codel_vars {
	uint32_t count;                 /* drops (and marks) in this dropping episode */
	uint32_t lastcount;             /* count when the last episode was entered */
	bool dropping;
	uint32_t inverse_sqrt_count;    /* 1/sqrt(count), Q0.32 (0xFFFFFFFF for 1) */
	uint64_t first_above_time_ns;   /* when sojourn will have been above target for an interval; 0: below */
	uint64_t drop_next_ns;          /* the next drop in the dropping state */
	uint64_t last_sojourn_ns;       /* the last packet's sojourn time (tc's ldelay) */
};

/* Counters shared by every queue of a qdisc. */
struct codel_stats {
	uint32_t maxpacket;             /* largest packet seen at dequeue, wire bytes (RFC 8289's MTU check) */
	uint64_t ecn_mark;
	uint64_t drops;
};

/* What CoDel needs of the queue it controls. */
struct codel_queue {
	struct pkt *(*dequeue)(void *context);          /* the head, its accounting updated; NULL: empty */
	void (*drop)(void *context, struct pkt *pkt);   /* counts and frees a dropped packet */
	const uint64_t *backlog_bytes;                  /* bytes the whole qdisc holds now */
	void *context;
};

void codel_vars_init(struct codel_vars *vars);
/* The packet to send from the queue, or NULL when it is (or became) empty. */
struct pkt *codel_dequeue(struct codel_vars *vars, const struct codel_parameters *parameters,
			  struct codel_stats *stats, const struct codel_queue *queue, uint64_t now_ns);
/* One Newton step of 1/sqrt(count) for the current count (RFC 8289 5.4);
 * exposed for the tests of its precision. */
void codel_newton_step(struct codel_vars *vars);
/* t + interval / sqrt(count): when the next drop is due. */
uint64_t codel_control_law(uint64_t t_ns, uint64_t interval_ns, uint32_t inverse_sqrt_count);
/* Sets CE in an ECT IPv4 frame's header (checksum updated, RFC 1624);
 * true when the frame now carries CE (already CE counts), false when it
 * is not ECN-capable (not ECT, not IPv4, too short). */
bool codel_ecn_set_ce(struct pkt *pkt);

#endif
