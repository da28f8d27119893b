/* pfifo_fast.h - Linux's pfifo_fast: three FIFO bands served in strict
 * priority order (band 0 first), a frame's band chosen by its priority
 * through the priomap "1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1". keel has no
 * SO_PRIORITY, so a frame's priority is what Linux derives from an IPv4
 * header's TOS (rt_tos2priority: minimize-delay interactive traffic goes
 * first, bulk last); every other frame has priority 0 (band 1). At most
 * `limit` frames in all (Linux's txqueuelen, default 1000): a frame beyond
 * it is dropped (qdisc_overlimit). */
#ifndef KEEL_NET_SCHED_PFIFO_FAST_H
#define KEEL_NET_SCHED_PFIFO_FAST_H

#include <stdint.h>

#include "net/core/qdisc.h"

#define PFIFO_FAST_LIMIT_DEFAULT 1000   /* Linux's txqueuelen */
#define PFIFO_FAST_BANDS 3

/* A new, empty pfifo_fast holding at most limit frames (NULL: no memory or limit 0). */
struct qdisc *pfifo_fast_create(uint32_t limit);
/* Linux's pfifo: one FIFO of at most limit frames (tc shows "limit Np"). */
struct qdisc *pfifo_create(uint32_t limit);
/* The band pkt goes to: 0 (first) .. 2. */
unsigned pfifo_fast_band(const struct pkt *pkt);
extern const struct qdisc_ops pfifo_fast_ops, pfifo_ops;

#endif
