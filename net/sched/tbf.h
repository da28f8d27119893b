/* tbf.h - the egress shaper: a token bucket filter (Linux's tbf) in front
 * of a child qdisc (fq_codel or pfifo_fast), so that a device sends no
 * faster than `rate` and the bottleneck queue is the child, which keel
 * manages, instead of a buffer upstream (keel.shape=<dev>:<rate>).
 *
 * Tokens are transmission time at `rate`, as Linux's tbf keeps them: they
 * accrue with the monotonic clock up to the bucket's depth, `burst` bytes'
 * worth, and a frame leaves when the bucket holds its cost (its wire bytes
 * at rate; a frame bigger than the bucket needs a full one and leaves the
 * bucket in debt). Otherwise the shaper is throttled: one overlimit is
 * counted, and its timer (kernel/time/timer.h) runs the device's queue when
 * the tokens will be there. Nothing goes around it (no bypass), and a TSO
 * super-segment larger than the bucket is cut into frames before it is
 * queued (Linux's tbf_segment), so one flow's 64 KiB cannot hold the link
 * for a whole super-segment.
 *
 * burst = rate / HZ + MTU bytes with HZ 1000 and MTU 1600: iproute2's
 * default bucket (tc/q_htb.c: `buffer = rate / get_hz() + mtu`, mtu 1600),
 * tc-tbf(8)'s minimum of one timer tick's worth of bytes ("rate / HZ") plus
 * a full frame; 4100 bytes at 20 Mbit/s, 126600 at 1 Gbit/s.
 *
 * tc shows it as Linux shows `tc qdisc add dev eth0 root handle 1: tbf rate
 * R burst B latency 50ms` with the child grafted at parent 1:1: "rate
 * 20Mbit burst 4100b lat 50ms"; the nominal limit behind "lat" only sizes
 * Linux's default bfifo child, so here as there the child's own limits
 * bound the queue. The shaper's counters are the child's (backlog, drops)
 * plus its own Sent and overlimits. */
#ifndef KEEL_NET_SCHED_TBF_H
#define KEEL_NET_SCHED_TBF_H

#include <stdint.h>

#include "net/core/qdisc.h"

#define TBF_HZ 1000                    /* the classic kernel tick tc-tbf(8) speaks of */
#define TBF_MTU 1600                   /* iproute2 q_htb.c's default mtu */
#define TBF_LATENCY_NS 50000000ull     /* the nominal "lat" shown (tc-tbf(8)'s example) */
#define TBF_RATE_MIN 8000ull           /* bit/s: 1000 bytes a second */

/* burst in bytes for rate (bit/s), per the formula above. */
uint32_t tbf_burst_for_rate(uint64_t bits_per_second);
/* A shaper at rate (bit/s, TBF_RATE_MIN .. TC_RATE_MAX) feeding from child,
 * which it then owns (destroyed with it); NULL, child untouched, when
 * the rate is out of range or memory is short. */
struct qdisc *tbf_create(uint64_t bits_per_second, struct qdisc *child);
/* Puts child in place of the current one (destroyed, its frames dropped as
 * qdisc_reset); the frame the shaper already took stays first. */
void tbf_graft(struct qdisc *shaper, struct qdisc *child);
uint64_t tbf_rate(const struct qdisc *shaper);   /* bit/s */
/* A new rate (and the burst that goes with it): 0, or -1 out of range. */
int tbf_set_rate(struct qdisc *shaper, uint64_t bits_per_second);
extern const struct qdisc_ops tbf_ops;

#endif
