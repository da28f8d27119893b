/* sched.h - the qdisc layer's entry points: attaching each device's root
 * qdisc at bring-up, replacing it, and showing it as `tc` does.
 *
 * The root qdisc of a device is `keel.qdisc=<dev>:<kind>[ <options>][,...]`
 * where named (quoted when it has options: keel.qdisc="eth0:fq_codel
 * target 10ms noecn"), else `sysctl.net.core.default_qdisc` (fq_codel, as Debian;
 * or pfifo_fast), each with its defaults (net/sched/fq_codel.h,
 * pfifo_fast.h); then `keel.shape=<dev>:<rate>` puts a shaper in front of
 * it (net/sched/tbf.h, shape.c). Their counters join the netdev stats block (every
 * keel.stats= seconds and on shutdown) as
 *     eth0: qdisc fq_codel sent_bytes=N sent_packets=N dropped=N ...
 * lines (a shaped device: the shaper's, then its child's "eth0: qdisc
 * fq_codel parent 1:1 ..."). */
#ifndef KEEL_NET_SCHED_SCHED_H
#define KEEL_NET_SCHED_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/netdev.h"
#include "net/core/qdisc.h"

/* Attaches every registered device's root qdisc and registers the stats
 * section; call once after the devices registered, before they send. */
void qdisc_init(void);
/* A new qdisc of kind ("fq_codel", "pfifo_fast") with its defaults; NULL
 * for an unknown kind or without memory. */
struct qdisc *qdisc_create(const char *kind);
/* `tc qdisc replace dev <dev> root <kind>`: 0, or -1 (unknown kind, no
 * memory: the old qdisc stays). The old one's frames are dropped as
 * qdisc_reset. */
int qdisc_replace(struct netdev *dev, const char *kind);

/* A qdisc from tc's words: argv[0] the kind, then its options
 * (net/sched/qdisc_options.c: fq_codel's limit flows quantum target
 * interval memory_limit drop_batch ecn noecn, pfifo's limit); NULL with
 * tc's message in error (`What is "x"?`, `Illegal "limit"`, `Specified
 * qdisc kind is unknown.`) when a word is wrong or memory is short. */
struct qdisc *qdisc_create_from_words(int argc, char **argv, char *error, size_t size);
/* `tc qdisc replace dev <dev> parent 1:1 <kind>`: child (which it then
 * owns) replaces the shaper's child (whose frames are dropped as
 * qdisc_reset); -1 when dev is not shaped (child untouched). */
int qdisc_replace_child(struct netdev *dev, struct qdisc *child);
/* keel.shape=: a token-bucket shaper (net/sched/tbf.h) at rate bit/s in
 * front of dev's root qdisc (or a new rate for the one there): 0, or -1
 * (rate out of range, no memory: nothing changes). */
int qdisc_shape(struct netdev *dev, uint64_t bits_per_second);
/* Applies keel.shape= (net/sched/shape.c); qdisc_init calls it. */
void qdisc_shape_from_cmdline(void);
/* Calls apply(dev, spec) for every comma-separated "<dev>:<spec>" of every
 * occurrence of the command-line key (keel.qdisc=, keel.shape=), spec
 * terminated and writable; an entry without a colon (`<key>: "x" is not
 * <dev>:<what>, ignored`) or naming no device is warned about and skipped. */
void sched_for_each_cmdline_spec(const char *key, const char *what, void (*apply)(struct netdev *dev, char *spec));

/* Where tc's output goes (the console's writer): text is one or more
 * whole lines. */
typedef void (*tc_output)(void *context, const char *text);
/* `tc [-s] qdisc show [dev <name>]` in iproute2's layout: device_name NULL
 * shows every device ("dev ethN" in each first line), statistics adds
 * the "Sent"/"backlog" lines and the qdisc's extended statistics. Returns
 * 0, or -1 after writing `Cannot find device "<name>"` as tc does. */
int tc_qdisc_show(const char *device_name, bool statistics, tc_output output, void *context);

#endif
