/* fq_codel_internal.h - fq_codel's state, shared by its queueing
 * (fq_codel.c) and its tc printing (fq_codel_tc.c); private to net/sched. */
#ifndef KEEL_NET_SCHED_FQ_CODEL_INTERNAL_H
#define KEEL_NET_SCHED_FQ_CODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "net/core/siphash.h"
#include "net/sched/fq_codel.h"

enum fq_codel_membership {
	FQ_CODEL_INACTIVE = 0,      /* on no list: empty, or emptied and left */
	FQ_CODEL_NEW,
	FQ_CODEL_OLD,
};

struct fq_codel_flow {
	struct pkt *head, *tail;
	struct fq_codel_flow *next_in_list;
	uint8_t membership;         /* enum fq_codel_membership */
	int32_t deficit;            /* bytes it may still send this round */
	uint32_t backlog_bytes;     /* wire bytes queued (the fattest-flow scan) */
	uint32_t dropped;
	struct codel_vars codel;
};

struct fq_codel_list {
	struct fq_codel_flow *head, *tail;
};

struct fq_codel {
	struct qdisc qdisc;         /* first: fq_codel_of */
	struct fq_codel_parameters parameters;
	struct fq_codel_flow *flows;
	struct fq_codel_list new_flows, old_flows;
	struct siphash_key hash_key;
	uint64_t memory_usage;      /* bytes of pool buffers held */
	struct codel_stats codel_stats;
	uint32_t drop_overlimit, drop_overmemory, new_flow_count;
};

static inline struct fq_codel *fq_codel_of(const struct qdisc *qdisc)
{
	return (struct fq_codel *)qdisc;
}

/* The flow pkt belongs to: its 5-tuple hashed with the qdisc's key. */
uint32_t fq_codel_classify(const struct fq_codel *fq, const struct pkt *pkt);
uint32_t fq_codel_list_length(const struct fq_codel_list *list);
struct pkt *fq_codel_flow_pop(struct fq_codel *fq, struct fq_codel_flow *flow);
void fq_codel_format_options(const struct qdisc *qdisc, char *out, size_t size);
void fq_codel_format_extended_stats(const struct qdisc *qdisc, char *out, size_t size);
unsigned fq_codel_counters(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max);

#endif
