/* fq_codel.h - the FlowQueue-CoDel qdisc (RFC 8290), Linux's and Debian's
 * default.
 *
 * Frames are hashed on their 5-tuple (IPv4 addresses, protocol, TCP/UDP
 * ports; SipHash with a key drawn at creation) into `flows` queues. A queue
 * that becomes active joins the new-flows list with a `quantum` of
 * deficit; dequeue serves new flows before old ones by deficit round robin
 * (RFC 8290 4.2): a flow whose deficit is spent gets another quantum and
 * goes to the end of the old list; a new flow found empty goes to the old
 * list once (so it cannot starve the old ones), an old flow found empty
 * leaves. Each flow runs CoDel (net/sched/codel.h) on its own packets, and
 * marks ECT packets CE instead of dropping them when `ecn` is on.
 *
 * Bounds: more than `limit` frames, or more than `memory_limit` bytes of
 * pool buffers held, drops from the head of the flow with the most bytes
 * queued until half of them are gone or `drop_batch` frames were dropped
 * (RFC 8290 4.1), each counted as qdisc_overlimit. keel's memory is its
 * pkt pool: a frame costs every buffer of its chain (PKT_BUFFER_SIZE, as
 * Linux counts truesize), and the default memory_limit is Linux's 32 MiB
 * or half of the pool, whichever is less, so a device's queue can never
 * take the buffers receive and the other devices need. */
#ifndef KEEL_NET_SCHED_FQ_CODEL_H
#define KEEL_NET_SCHED_FQ_CODEL_H

#include <stdint.h>

#include "net/core/qdisc.h"
#include "net/sched/codel.h"

#define FQ_CODEL_LIMIT_DEFAULT 10240
#define FQ_CODEL_FLOWS_DEFAULT 1024
#define FQ_CODEL_QUANTUM_DEFAULT 1514           /* an Ethernet frame without FCS */
#define FQ_CODEL_MEMORY_LIMIT_MAX (32u << 20)   /* Linux's default: 32 MiB */
#define FQ_CODEL_DROP_BATCH_DEFAULT 64

struct fq_codel_parameters {
	uint32_t limit;             /* frames */
	uint32_t flows;             /* queues, 1 .. 65536 */
	uint32_t quantum;           /* bytes of deficit per round */
	uint32_t memory_limit;      /* bytes of pool buffers */
	uint32_t drop_batch;        /* most frames dropped per overlimit */
	struct codel_parameters codel;
};

/* tc's fq_codel xstats. */
struct fq_codel_stats {
	uint32_t maxpacket;
	uint32_t drop_overlimit, drop_overmemory;
	uint32_t new_flow_count;
	uint32_t ecn_mark;
	uint32_t memory_used;
	uint32_t new_flows_len, old_flows_len;
	uint64_t codel_drops;
};

/* Linux's defaults (ecn on), memory_limit scaled to a pool of
 * pool_buffers (0: unscaled, Linux's 32 MiB). */
void fq_codel_default_parameters(struct fq_codel_parameters *parameters, uint32_t pool_buffers);
/* A new, empty fq_codel qdisc; NULL when memory is short or a parameter
 * is out of range (limit, flows, quantum, drop_batch 0). */
struct qdisc *fq_codel_create(const struct fq_codel_parameters *parameters);
void fq_codel_read_stats(const struct qdisc *qdisc, struct fq_codel_stats *stats);
extern const struct qdisc_ops fq_codel_ops;

#endif
