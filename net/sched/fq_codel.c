/* fq_codel.c - FlowQueue-CoDel (contract in net/sched/fq_codel.h; RFC 8290
 * section 4: enqueue 4.1, dequeue 4.2). The tc printing is fq_codel_tc.c. */
#include "net/sched/fq_codel.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/drop.h"
#include "net/core/secret.h"
#include "net/core/siphash.h"
#include "net/sched/fq_codel_internal.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define FLOWS_MAX 65536

void fq_codel_default_parameters(struct fq_codel_parameters *parameters, uint32_t pool_buffers)
{
	uint64_t half_pool = (uint64_t)pool_buffers / 2 * PKT_BUFFER_SIZE;
	*parameters = (struct fq_codel_parameters){
		.limit = FQ_CODEL_LIMIT_DEFAULT,
		.flows = FQ_CODEL_FLOWS_DEFAULT,
		.quantum = FQ_CODEL_QUANTUM_DEFAULT,
		.memory_limit = pool_buffers && half_pool < FQ_CODEL_MEMORY_LIMIT_MAX ? (uint32_t)half_pool
										     : FQ_CODEL_MEMORY_LIMIT_MAX,
		.drop_batch = FQ_CODEL_DROP_BATCH_DEFAULT,
		.codel = { CODEL_TARGET_DEFAULT_NS, CODEL_INTERVAL_DEFAULT_NS, true },
	};
}

/* ---- the two lists of active flows ------------------------------------ */

static void list_append(struct fq_codel_list *list, struct fq_codel_flow *flow, enum fq_codel_membership which)
{
	flow->next_in_list = NULL;
	flow->membership = which;
	if (list->tail)
		list->tail->next_in_list = flow;
	else
		list->head = flow;
	list->tail = flow;
}

static struct fq_codel_flow *list_pop(struct fq_codel_list *list)
{
	struct fq_codel_flow *flow = list->head;
	list->head = flow->next_in_list;
	if (list->head == NULL)
		list->tail = NULL;
	flow->next_in_list = NULL;
	flow->membership = FQ_CODEL_INACTIVE;
	return flow;
}

uint32_t fq_codel_list_length(const struct fq_codel_list *list)
{
	uint32_t length = 0;
	for (const struct fq_codel_flow *flow = list->head; flow; flow = flow->next_in_list)
		length++;
	return length;
}

/* ---- classification: the 5-tuple, keyed (RFC 8290 4.1.1) --------------- */

struct flow_tuple {
	be32 source, destination;
	be16 source_port, destination_port;
	be16 ethertype;
	uint8_t protocol;
	uint8_t zero;
};

/* Ports only where a TCP or UDP header is (not in a later fragment). */
static void read_tuple(const struct pkt *pkt, struct flow_tuple *tuple)
{
	memset(tuple, 0, sizeof(*tuple));
	if (pkt->length < ETHERNET_HEADER_LENGTH)
		return;
	const struct ethernet_header *ethernet = (const void *)pkt->data;
	tuple->ethertype = ethernet->ethertype;
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4) || pkt->length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return;
	const struct ipv4_header *ip = (const void *)(pkt->data + ETHERNET_HEADER_LENGTH);
	memcpy(&tuple->source, &ip->source, sizeof(tuple->source));
	memcpy(&tuple->destination, &ip->destination, sizeof(tuple->destination));
	tuple->protocol = ip->protocol;
	uint32_t transport = ETHERNET_HEADER_LENGTH + ipv4_header_length(ip);
	bool has_ports = ip->protocol == IP_PROTOCOL_TCP || ip->protocol == IP_PROTOCOL_UDP;
	if (has_ports && ipv4_fragment_offset(ip) == 0 && pkt->length >= transport + 4) {
		memcpy(&tuple->source_port, pkt->data + transport, 2);
		memcpy(&tuple->destination_port, pkt->data + transport + 2, 2);
	}
}

uint32_t fq_codel_classify(const struct fq_codel *fq, const struct pkt *pkt)
{
	struct flow_tuple tuple;
	read_tuple(pkt, &tuple);
	uint32_t hash = (uint32_t)siphash_2_4(&fq->hash_key, &tuple, sizeof(tuple));
	return (uint32_t)(((uint64_t)hash * fq->parameters.flows) >> 32);  /* uniform over [0, flows) */
}

/* ---- a flow's packets, with the qdisc's accounting -------------------- */

static void flow_push(struct fq_codel *fq, struct fq_codel_flow *flow, struct pkt *pkt)
{
	uint32_t bytes = qdisc_pkt_wire_bytes(pkt);
	pkt->next = NULL;
	if (flow->tail)
		flow->tail->next = pkt;
	else
		flow->head = pkt;
	flow->tail = pkt;
	flow->backlog_bytes += bytes;
	fq->qdisc.stats.backlog_bytes += bytes;
	fq->qdisc.stats.backlog_packets++;
	fq->memory_usage += qdisc_pkt_memory(pkt);
}

struct pkt *fq_codel_flow_pop(struct fq_codel *fq, struct fq_codel_flow *flow)
{
	struct pkt *pkt = flow->head;
	if (pkt == NULL)
		return NULL;
	flow->head = pkt->next;
	if (flow->head == NULL)
		flow->tail = NULL;
	pkt->next = NULL;
	uint32_t bytes = qdisc_pkt_wire_bytes(pkt);
	flow->backlog_bytes -= bytes;
	fq->qdisc.stats.backlog_bytes -= bytes;
	fq->qdisc.stats.backlog_packets--;
	fq->memory_usage -= qdisc_pkt_memory(pkt);
	return pkt;
}

/* ---- enqueue (RFC 8290 4.1) -------------------------------------------- */

/* The fattest flow loses packets from its head until half its bytes or
 * drop_batch packets are gone: one linear scan amortized over a batch.
 * Returns the flow's index. */
static uint32_t drop_from_fattest(struct fq_codel *fq)
{
	uint32_t fattest = 0, most = 0;
	for (uint32_t i = 0; i < fq->parameters.flows; i++)
		if (fq->flows[i].backlog_bytes > most) {
			most = fq->flows[i].backlog_bytes;
			fattest = i;
		}
	struct fq_codel_flow *flow = &fq->flows[fattest];
	uint32_t dropped = 0, dropped_bytes = 0;
	while (dropped < fq->parameters.drop_batch && dropped_bytes < most / 2) {
		struct pkt *pkt = fq_codel_flow_pop(fq, flow);
		if (pkt == NULL)
			break;
		dropped_bytes += qdisc_pkt_wire_bytes(pkt);
		net_drop(pkt, NET_DROP_QDISC_OVERLIMIT);
		dropped++;
	}
	flow->dropped += dropped;
	fq->qdisc.stats.drops += dropped;
	fq->drop_overlimit += dropped;
	return fattest;
}

static int fq_codel_enqueue(struct qdisc *qdisc, struct pkt *pkt)
{
	struct fq_codel *fq = fq_codel_of(qdisc);
	uint32_t index = fq_codel_classify(fq, pkt);
	struct fq_codel_flow *flow = &fq->flows[index];
	pkt->timestamp_ns = clock_monotonic_ns();   /* TX reuse of the RX field: CoDel's sojourn clock */
	flow_push(fq, flow, pkt);
	if (flow->membership == FQ_CODEL_INACTIVE) {
		list_append(&fq->new_flows, flow, FQ_CODEL_NEW);
		fq->new_flow_count++;
		flow->deficit = (int32_t)fq->parameters.quantum;
	}
	bool over_memory = fq->memory_usage > fq->parameters.memory_limit;
	if (qdisc->stats.backlog_packets <= fq->parameters.limit && !over_memory)
		return 0;
	uint32_t before = fq->drop_overlimit;
	uint32_t fattest = drop_from_fattest(fq);
	if (over_memory)
		fq->drop_overmemory += fq->drop_overlimit - before;
	return fattest == index ? -1 : 0;  /* Linux's NET_XMIT_CN: this flow paid */
}

/* ---- dequeue (RFC 8290 4.2) -------------------------------------------- */

struct codel_context {
	struct fq_codel *fq;
	struct fq_codel_flow *flow;
};

static struct pkt *codel_take(void *context)
{
	struct codel_context *c = context;
	return fq_codel_flow_pop(c->fq, c->flow);
}

static void codel_drop(void *context, struct pkt *pkt)
{
	struct codel_context *c = context;
	c->flow->dropped++;
	c->fq->qdisc.stats.drops++;
	net_drop(pkt, NET_DROP_QDISC_FQ_CODEL_DROP);
}

static struct pkt *fq_codel_dequeue(struct qdisc *qdisc)
{
	struct fq_codel *fq = fq_codel_of(qdisc);
	uint64_t now = clock_monotonic_ns();
	for (;;) {
		struct fq_codel_list *list = fq->new_flows.head ? &fq->new_flows : &fq->old_flows;
		struct fq_codel_flow *flow = list->head;
		if (flow == NULL)
			return NULL;
		if (flow->deficit <= 0) {
			flow->deficit += (int32_t)fq->parameters.quantum;
			list_append(&fq->old_flows, list_pop(list), FQ_CODEL_OLD);
			continue;
		}
		struct codel_context context = { fq, flow };
		struct codel_queue queue = { codel_take, codel_drop, &qdisc->stats.backlog_bytes, &context };
		struct pkt *pkt = codel_dequeue(&flow->codel, &fq->parameters.codel, &fq->codel_stats, &queue, now);
		if (pkt == NULL) {
			/* An empty new flow visits the old list once, so that a
			 * stream of new flows cannot starve the old ones. */
			list_pop(list);
			if (list == &fq->new_flows && fq->old_flows.head)
				list_append(&fq->old_flows, flow, FQ_CODEL_OLD);
			continue;
		}
		flow->deficit -= (int32_t)qdisc_pkt_wire_bytes(pkt);
		return pkt;
	}
}

/* ---- life cycle ------------------------------------------------------------ */

static void fq_codel_reset(struct qdisc *qdisc)
{
	struct fq_codel *fq = fq_codel_of(qdisc);
	struct fq_codel_list *lists[] = { &fq->new_flows, &fq->old_flows };
	for (unsigned i = 0; i < 2; i++)
		while (lists[i]->head) {
			struct fq_codel_flow *flow = list_pop(lists[i]);
			struct pkt *pkt;
			while ((pkt = fq_codel_flow_pop(fq, flow)) != NULL)
				net_drop(pkt, NET_DROP_QDISC_RESET);
		}
	for (uint32_t i = 0; i < fq->parameters.flows; i++) {
		fq->flows[i].deficit = 0;
		codel_vars_init(&fq->flows[i].codel);
	}
}

static void fq_codel_destroy(struct qdisc *qdisc)
{
	struct fq_codel *fq = fq_codel_of(qdisc);
	fq_codel_reset(qdisc);
	free(fq->flows);
	free(fq);
}

struct qdisc *fq_codel_create(const struct fq_codel_parameters *parameters)
{
	if (parameters->limit == 0 || parameters->flows == 0 || parameters->flows > FLOWS_MAX ||
	    parameters->quantum == 0 || parameters->drop_batch == 0)
		return NULL;
	struct fq_codel *fq = calloc(1, sizeof(*fq));
	if (fq == NULL)
		return NULL;
	fq->flows = calloc(parameters->flows, sizeof(*fq->flows));
	if (fq->flows == NULL) {
		free(fq);
		return NULL;
	}
	fq->qdisc.ops = &fq_codel_ops;
	fq->parameters = *parameters;
	net_secret_key(&fq->hash_key);
	for (uint32_t i = 0; i < parameters->flows; i++)
		codel_vars_init(&fq->flows[i].codel);
	return &fq->qdisc;
}

const struct qdisc_ops fq_codel_ops = {
	.id = "fq_codel",
	.enqueue = fq_codel_enqueue,
	.dequeue = fq_codel_dequeue,
	.peek = qdisc_peek_dequeued,
	.reset = fq_codel_reset,
	.destroy = fq_codel_destroy,
	.format_options = fq_codel_format_options,
	.format_extended_stats = fq_codel_format_extended_stats,
	.counters = fq_codel_counters,
};
