/* pfifo_fast.c - three priority bands of FIFOs, and pfifo: one of them
 * (contract in net/sched/pfifo_fast.h). */
#include "net/sched/pfifo_fast.h"

#include <stdlib.h>

#include "net/core/drop.h"
#include "net/sched/tc_format.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define PRIORITY_COUNT 16   /* TC_PRIO_MAX + 1 */

/* Linux's TC_PRIO_* classes by TOS bits 1..4 (IPTOS_TOS(tos) >> 1, RFC 1349):
 * best effort 0, bulk 2 (maximize throughput), interactive bulk 4,
 * interactive 6 (minimize delay). */
static const uint8_t priority_of_tos[16] = { 0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4 };
/* pfifo_fast's priomap: the band of each priority. */
static const uint8_t band_of_priority[PRIORITY_COUNT] = { 1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 };

struct pfifo_fast {
	struct qdisc qdisc;
	uint32_t limit;
	struct pkt_queue bands[PFIFO_FAST_BANDS];
};

static struct pfifo_fast *pfifo_fast_of(const struct qdisc *qdisc) { return (struct pfifo_fast *)qdisc; }

unsigned pfifo_fast_band(const struct pkt *pkt)
{
	if (pkt->length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return band_of_priority[0];
	const struct ethernet_header *ethernet = (const void *)pkt->data;
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4))
		return band_of_priority[0];
	const struct ipv4_header *ip = (const void *)(pkt->data + ETHERNET_HEADER_LENGTH);
	return band_of_priority[priority_of_tos[(ip->type_of_service & 0x1E) >> 1]];
}

static int pfifo_fast_enqueue(struct qdisc *qdisc, struct pkt *pkt)
{
	struct pfifo_fast *fifo = pfifo_fast_of(qdisc);
	if (qdisc->stats.backlog_packets >= fifo->limit) {
		qdisc->stats.drops++;
		net_drop(pkt, NET_DROP_QDISC_OVERLIMIT);
		return -1;
	}
	qdisc->stats.backlog_packets++;
	qdisc->stats.backlog_bytes += qdisc_pkt_wire_bytes(pkt);
	unsigned band = qdisc->ops == &pfifo_ops ? 0 : pfifo_fast_band(pkt);
	pkt_queue_push(&fifo->bands[band], pkt);  /* unbounded: the limit is the qdisc's */
	return 0;
}

static struct pkt *pfifo_fast_peek(struct qdisc *qdisc)
{
	struct pfifo_fast *fifo = pfifo_fast_of(qdisc);
	for (unsigned band = 0; band < PFIFO_FAST_BANDS; band++)
		if (fifo->bands[band].head)
			return fifo->bands[band].head;
	return NULL;
}

static struct pkt *pfifo_fast_dequeue(struct qdisc *qdisc)
{
	struct pfifo_fast *fifo = pfifo_fast_of(qdisc);
	for (unsigned band = 0; band < PFIFO_FAST_BANDS; band++) {
		struct pkt *pkt = pkt_queue_pop(&fifo->bands[band]);
		if (pkt) {
			qdisc->stats.backlog_packets--;
			qdisc->stats.backlog_bytes -= qdisc_pkt_wire_bytes(pkt);
			return pkt;
		}
	}
	return NULL;
}

static void pfifo_fast_reset(struct qdisc *qdisc)
{
	struct pkt *pkt;
	while ((pkt = pfifo_fast_dequeue(qdisc)) != NULL)
		net_drop(pkt, NET_DROP_QDISC_RESET);
}

static void pfifo_fast_destroy(struct qdisc *qdisc)
{
	pfifo_fast_reset(qdisc);
	free(pfifo_fast_of(qdisc));
}

/* tc: "bands 3 priomap  1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1" (two spaces: the
 * map's entries each print " %d" after "priomap "). */
static void pfifo_fast_format_options(const struct qdisc *qdisc, char *out, size_t size)
{
	struct tc_text text;
	tc_text_start(&text, out, size);
	tc_text_add(&text, "bands %u priomap ", PFIFO_FAST_BANDS);
	for (unsigned priority = 0; priority < PRIORITY_COUNT; priority++)
		tc_text_add(&text, " %u", band_of_priority[priority]);
}

static void no_extended_stats(const struct qdisc *qdisc, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
}

static unsigned pfifo_fast_counters(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max)
{
	const struct pfifo_fast *fifo = pfifo_fast_of(qdisc);
	unsigned count = 0;
	for (; count < max && count < PFIFO_FAST_BANDS; count++)
		out[count] = (struct qdisc_counter){ count == 0 ? "band0" : count == 1 ? "band1" : "band2",
						     fifo->bands[count].count };
	return count;
}

/* tc: "limit 1000p" (q_fifo.c). */
static void pfifo_format_options(const struct qdisc *qdisc, char *out, size_t size)
{
	struct tc_text text;
	tc_text_start(&text, out, size);
	tc_text_add(&text, "limit %up", pfifo_fast_of(qdisc)->limit);
}

static unsigned pfifo_counters(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max)
{
	return 0;
}

struct qdisc *pfifo_create(uint32_t limit)
{
	struct qdisc *qdisc = pfifo_fast_create(limit);
	if (qdisc)
		qdisc->ops = &pfifo_ops;
	return qdisc;
}

struct qdisc *pfifo_fast_create(uint32_t limit)
{
	if (limit == 0)
		return NULL;
	struct pfifo_fast *fifo = calloc(1, sizeof(*fifo));
	if (fifo == NULL)
		return NULL;
	fifo->qdisc.ops = &pfifo_fast_ops;
	fifo->limit = limit;
	for (unsigned band = 0; band < PFIFO_FAST_BANDS; band++)
		pkt_queue_init(&fifo->bands[band], UINT32_MAX);
	return &fifo->qdisc;
}

const struct qdisc_ops pfifo_fast_ops = {
	.id = "pfifo_fast",
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.reset = pfifo_fast_reset,
	.destroy = pfifo_fast_destroy,
	.format_options = pfifo_fast_format_options,
	.format_extended_stats = no_extended_stats,
	.counters = pfifo_fast_counters,
};

const struct qdisc_ops pfifo_ops = {
	.id = "pfifo",
	.enqueue = pfifo_fast_enqueue,
	.dequeue = pfifo_fast_dequeue,
	.peek = pfifo_fast_peek,
	.reset = pfifo_fast_reset,
	.destroy = pfifo_fast_destroy,
	.format_options = pfifo_format_options,
	.format_extended_stats = no_extended_stats,
	.counters = pfifo_counters,
};
