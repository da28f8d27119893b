/* fq_codel_tc.c - what tc and the console show of an fq_codel qdisc: its
 * parameters and extended statistics in iproute2's q_fq_codel.c layout,
 * and the same counters for the stats block (contract in fq_codel.h). */
#include <stdio.h>

#include "net/sched/fq_codel_internal.h"
#include "net/sched/tc_format.h"

void fq_codel_read_stats(const struct qdisc *qdisc, struct fq_codel_stats *stats)
{
	const struct fq_codel *fq = fq_codel_of(qdisc);
	*stats = (struct fq_codel_stats){
		.maxpacket = fq->codel_stats.maxpacket,
		.drop_overlimit = fq->drop_overlimit,
		.drop_overmemory = fq->drop_overmemory,
		.new_flow_count = fq->new_flow_count,
		.ecn_mark = (uint32_t)fq->codel_stats.ecn_mark,
		.memory_used = (uint32_t)fq->memory_usage,
		.new_flows_len = fq_codel_list_length(&fq->new_flows),
		.old_flows_len = fq_codel_list_length(&fq->old_flows),
		.codel_drops = fq->codel_stats.drops,
	};
}

/* "limit 10240p flows 1024 quantum 1514 target 5ms interval 100ms
 * memory_limit 32Mb ecn drop_batch 64 " (each followed by a space, as tc). */
void fq_codel_format_options(const struct qdisc *qdisc, char *out, size_t size)
{
	const struct fq_codel_parameters *p = &fq_codel_of(qdisc)->parameters;
	char target[TC_NUMBER_LENGTH], interval[TC_NUMBER_LENGTH], memory[TC_NUMBER_LENGTH];
	tc_format_time(p->codel.target_ns, target);
	tc_format_time(p->codel.interval_ns, interval);
	tc_format_size(p->memory_limit, memory);
	struct tc_text text;
	tc_text_start(&text, out, size);
	tc_text_add(&text, "limit %up flows %u quantum %u target %s interval %s memory_limit %s ", p->limit, p->flows,
		    p->quantum, target, interval, memory);
	if (p->codel.ecn)
		tc_text_add(&text, "ecn ");
	tc_text_add(&text, "drop_batch %u ", p->drop_batch);
}

/* "  maxpacket N drop_overlimit N new_flow_count N ecn_mark N[ memory_used N]
 * [ drop_overmemory N]\n  new_flows_len N old_flows_len N\n". */
void fq_codel_format_extended_stats(const struct qdisc *qdisc, char *out, size_t size)
{
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	struct tc_text text;
	tc_text_start(&text, out, size);
	tc_text_add(&text, "  maxpacket %u drop_overlimit %u new_flow_count %u ecn_mark %u", stats.maxpacket,
		    stats.drop_overlimit, stats.new_flow_count, stats.ecn_mark);
	if (stats.memory_used)
		tc_text_add(&text, " memory_used %u", stats.memory_used);
	if (stats.drop_overmemory)
		tc_text_add(&text, " drop_overmemory %u", stats.drop_overmemory);
	tc_text_add(&text, "\n  new_flows_len %u old_flows_len %u\n", stats.new_flows_len, stats.old_flows_len);
}

unsigned fq_codel_counters(const struct qdisc *qdisc, struct qdisc_counter *out, unsigned max)
{
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	const struct qdisc_counter counters[] = {
		{ "maxpacket", stats.maxpacket },           { "drop_overlimit", stats.drop_overlimit },
		{ "drop_overmemory", stats.drop_overmemory }, { "new_flow_count", stats.new_flow_count },
		{ "ecn_mark", stats.ecn_mark },             { "codel_drop", stats.codel_drops },
		{ "memory_used", stats.memory_used },       { "new_flows_len", stats.new_flows_len },
		{ "old_flows_len", stats.old_flows_len },
	};
	unsigned count = 0;
	for (; count < max && count < sizeof(counters) / sizeof(counters[0]); count++)
		out[count] = counters[count];
	return count;
}
