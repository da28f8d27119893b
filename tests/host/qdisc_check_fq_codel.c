/* qdisc_check_fq_codel.c - fq_codel against RFC 8290 and its CoDel against
 * RFC 8289, driven with the fake clock (scenarios listed in qdisc_check.h).
 * The CoDel scenarios play a sojourn-time trace: a link that sends one
 * frame a millisecond, fed two a millisecond (overload) then none, and
 * judge each dequeue by the sojourn time the frame saw. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "net/core/drop.h"
#include "net/sched/fq_codel_internal.h"
#include "net/wire/ipv4.h"
#include "tests/host/qdisc_check.h"

#define HOST_CHECK_SHARED
#include "host_check.h"

#define MILLISECOND 1000000ull
#define TARGET (5 * MILLISECOND)
#define INTERVAL (100 * MILLISECOND)

static struct qdisc *create(uint32_t limit, uint32_t memory_limit, uint32_t drop_batch, bool ecn)
{
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 0);
	if (limit)
		parameters.limit = limit;
	if (memory_limit)
		parameters.memory_limit = memory_limit;
	if (drop_batch)
		parameters.drop_batch = drop_batch;
	parameters.codel.ecn = ecn;
	return fq_codel_create(&parameters);
}

/* n source ports whose frames land in n different flows (the hash key is
 * random: a collision would merge two of the test's flows). */
void distinct_ports(struct qdisc *qdisc, uint16_t *ports, unsigned n)
{
	uint16_t candidate = 1000;
	for (unsigned i = 0; i < n; i++)
		for (;; candidate++) {
			struct pkt *probe = qdisc_check_frame(candidate, 100, 0);
			uint32_t flow = fq_codel_classify(fq_codel_of(qdisc), probe);
			pkt_free(probe);
			bool taken = false;
			for (unsigned j = 0; j < i; j++) {
				struct pkt *other = qdisc_check_frame(ports[j], 100, 0);
				taken |= fq_codel_classify(fq_codel_of(qdisc), other) == flow;
				pkt_free(other);
			}
			if (!taken) {
				ports[i] = candidate++;
				break;
			}
		}
}

static struct fq_codel_flow *flow_of_port(struct qdisc *qdisc, uint16_t port)
{
	struct pkt *probe = qdisc_check_frame(port, 100, 0);
	struct fq_codel_flow *flow = &fq_codel_of(qdisc)->flows[fq_codel_classify(fq_codel_of(qdisc), probe)];
	pkt_free(probe);
	return flow;
}

/* RFC 8290 4.2: deficit round robin gives flows equal bytes whatever their
 * packet sizes (within a quantum and a packet). */
void check_fq_codel_drr(void)
{
	struct qdisc *qdisc = create(0, 0, 0, true);
	uint16_t ports[2];
	distinct_ports(qdisc, ports, 2);
	for (unsigned i = 0; i < 600; i++) {
		if (i < 150)
			qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[0], 1514, 0));
		qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[1], 300, 0));
	}
	uint64_t bytes[2] = { 0, 0 }, frames[2] = { 0, 0 };
	while (bytes[0] + bytes[1] < 150000) {   /* both flows still backlogged */
		struct pkt *pkt = qdisc->ops->dequeue(qdisc);
		unsigned which = qdisc_check_flow_of(pkt) == ports[1];
		bytes[which] += pkt->length;
		frames[which]++;
		pkt_free(pkt);
		uint64_t difference = bytes[0] > bytes[1] ? bytes[0] - bytes[1] : bytes[1] - bytes[0];
		CHECK(difference <= FQ_CODEL_QUANTUM_DEFAULT + 1514);
	}
	printf("drr: large flow %llu bytes in %llu frames, small flow %llu bytes in %llu frames\n",
	       (unsigned long long)bytes[0], (unsigned long long)frames[0], (unsigned long long)bytes[1],
	       (unsigned long long)frames[1]);
	CHECK(frames[1] > 4 * frames[0]);
	qdisc->ops->destroy(qdisc);
}

/* RFC 8290 4.2 and 1.3: a sparse flow's packet goes before a bulk flow's
 * backlog, every time it comes back after its queue was emptied. */
void check_fq_codel_sparse(void)
{
	struct qdisc *qdisc = create(0, 0, 0, true);
	uint16_t ports[2];
	distinct_ports(qdisc, ports, 2);
	for (unsigned i = 0; i < 100; i++)
		qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[0], 1514, 0));
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < 5; i++)
			pkt_free(qdisc->ops->dequeue(qdisc));
		CHECK(flow_of_port(qdisc, ports[0])->membership == FQ_CODEL_OLD);
		qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[1], 100, 0));
		CHECK(flow_of_port(qdisc, ports[1])->membership == FQ_CODEL_NEW);
		struct pkt *pkt = qdisc->ops->dequeue(qdisc);
		CHECK(qdisc_check_flow_of(pkt) == ports[1]);
		pkt_free(pkt);
		/* Empty, the sparse flow leaves the new list (for the old one, where
		 * it is removed when its turn comes) and the bulk flow goes on. */
		pkt = qdisc->ops->dequeue(qdisc);
		CHECK(qdisc_check_flow_of(pkt) == ports[0]);
		pkt_free(pkt);
		CHECK(flow_of_port(qdisc, ports[1])->membership != FQ_CODEL_NEW);
		pkt_free(qdisc->ops->dequeue(qdisc));
		pkt_free(qdisc->ops->dequeue(qdisc));
		CHECK(flow_of_port(qdisc, ports[1])->membership == FQ_CODEL_INACTIVE);
	}
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	CHECK(stats.new_flow_count == 4);   /* the bulk flow once, the sparse one each time */
	qdisc->ops->destroy(qdisc);
}

/* One millisecond of the trace: arrivals frames of port in, one dequeue
 * out. Returns the dequeued frame's sojourn (or -1: nothing). */
struct trace_step {
	int64_t sojourn_ns;
	uint64_t codel_drops;       /* during this dequeue */
	uint64_t marks;
	bool dropping_after;
	bool marked_checksum_ok;
};

static struct trace_step trace_step(struct qdisc *qdisc, uint16_t port, unsigned arrivals, uint8_t tos)
{
	struct trace_step step = { -1, 0, 0, false, true };
	for (unsigned i = 0; i < arrivals; i++)
		qdisc->ops->enqueue(qdisc, qdisc_check_frame(port, 1000, tos));
	uint64_t drops_before = net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP);
	uint64_t marks_before = fq_codel_of(qdisc)->codel_stats.ecn_mark;
	struct pkt *pkt = qdisc->ops->dequeue(qdisc);
	step.codel_drops = net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP) - drops_before;
	step.marks = fq_codel_of(qdisc)->codel_stats.ecn_mark - marks_before;
	step.dropping_after = flow_of_port(qdisc, port)->codel.dropping;
	if (pkt) {
		step.sojourn_ns = (int64_t)(host_time_now_ns - pkt->timestamp_ns);
		if ((qdisc_check_tos(pkt) & 3) == 3)
			step.marked_checksum_ok = qdisc_check_ip_checksum_ok(pkt);
		CHECK(qdisc_check_ip_checksum_ok(pkt));
		pkt_free(pkt);
	}
	host_time_advance(MILLISECOND);
	return step;
}

/* The times of the congestion signals (drops or marks) of one trace. */
struct episode {
	uint64_t above_since;       /* first dequeue whose sojourn reached target */
	uint64_t signals[400];
	unsigned signal_count;
	uint64_t left_at;           /* when the dropping state was left; 0: never */
};

/* Overload (two arrivals a millisecond) for overload_ms, then underload
 * (one every other millisecond) until the dropping state has been left for
 * 50 ms; a frame's sojourn falls as the queue drains. */
static void play_trace(struct qdisc *qdisc, uint16_t port, uint8_t tos, unsigned overload_ms, struct episode *episode)
{
	memset(episode, 0, sizeof(*episode));
	for (unsigned ms = 0; ms < 2000; ms++) {
		uint64_t now = host_time_now_ns;
		struct trace_step step = trace_step(qdisc, port, ms < overload_ms ? 2 : (ms & 1), tos);
		if (episode->signal_count == 0 && step.sojourn_ns >= (int64_t)TARGET && episode->above_since == 0)
			episode->above_since = now;
		if (episode->signal_count == 0 && step.sojourn_ns >= 0 && step.sojourn_ns < (int64_t)TARGET)
			episode->above_since = 0;   /* RFC 8289: the interval restarts below target */
		for (uint64_t i = 0; i < step.codel_drops + step.marks && episode->signal_count < 400; i++)
			episode->signals[episode->signal_count++] = now;
		CHECK(step.marked_checksum_ok);
		/* Left exactly when a frame's sojourn fell below target (the drops
		 * of that same dequeue may come first: RFC 8289 5.3's loop). */
		if (step.sojourn_ns < (int64_t)TARGET && episode->signal_count && !episode->left_at) {
			CHECK(!step.dropping_after);
			episode->left_at = now;
		}
		if (episode->left_at && now > episode->left_at && step.codel_drops + step.marks) {
			printf("FAIL: a signal %.1f ms after the dropping state was left\n",
			       (double)(now - episode->left_at) / 1e6);
			failures++;
		}
		if (episode->left_at && now - episode->left_at >= 50 * MILLISECOND)
			break;
	}
}

/* RFC 8289 4.3/5.4: the first signal an interval after the sojourn rose
 * above target, the second an interval later, then interval/sqrt(count). */
static void check_schedule(const struct episode *episode, const char *label)
{
	CHECK(episode->signal_count >= 5);
	printf("%s: %u signals, first %.1f ms after the sojourn reached target, gaps (ms):", label,
	       episode->signal_count, (double)(episode->signals[0] - episode->above_since) / 1e6);
	for (unsigned k = 1; k < episode->signal_count && k < 12; k++)
		printf(" %.1f", (double)(episode->signals[k] - episode->signals[k - 1]) / 1e6);
	printf("\n");
	if (episode->signal_count < 5)
		return;
	uint64_t first_delay = episode->signals[0] - episode->above_since;
	CHECK(first_delay >= INTERVAL - MILLISECOND && first_delay <= INTERVAL + MILLISECOND);
	uint64_t second_gap = episode->signals[1] - episode->signals[0];
	CHECK(second_gap >= INTERVAL - MILLISECOND && second_gap <= INTERVAL + MILLISECOND);
	for (unsigned k = 2; k < episode->signal_count; k++) {
		double ideal = (double)INTERVAL / sqrt((double)k);   /* gap after the k-th signal */
		double gap = (double)(episode->signals[k] - episode->signals[k - 1]);
		/* One Newton step per count (RFC 8289 5.4) undershoots at small counts. */
		double low = k < 4 ? 0.65 : 0.9;
		CHECK(gap >= low * ideal - MILLISECOND && gap <= 1.05 * ideal + MILLISECOND);
	}
}

void check_fq_codel_codel(void)
{
	struct qdisc *qdisc = create(0, 0, 0, true);
	struct episode episode;
	play_trace(qdisc, 7, 0, 300, &episode);   /* not ECT: dropped even with ecn on */
	check_schedule(&episode, "codel");
	CHECK(episode.left_at != 0);
	CHECK(fq_codel_of(qdisc)->codel_stats.ecn_mark == 0);
	CHECK(net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP) == episode.signal_count);
	CHECK(qdisc->stats.drops == episode.signal_count);
	/* Below target (one frame a millisecond each way) nothing is dropped. */
	uint64_t drops = net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP);
	for (unsigned ms = 0; ms < 500; ms++)
		trace_step(qdisc, 7, 1, 0);
	CHECK(net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP) == drops);
	qdisc->ops->destroy(qdisc);
}

/* RFC 8289 5.5: re-entering soon after leaving resumes at count - lastcount;
 * after 16 intervals, count restarts at 1. */
void check_fq_codel_reentry(void)
{
	struct qdisc *qdisc = create(0, 0, 0, false);
	struct episode episode;
	play_trace(qdisc, 7, 0, 300, &episode);
	struct fq_codel_flow *flow = flow_of_port(qdisc, 7);
	uint32_t count_at_end = flow->codel.count, lastcount = flow->codel.lastcount;
	CHECK(lastcount == 1 && count_at_end > 2);
	play_trace(qdisc, 7, 0, 300, &episode);   /* at once: within 16 intervals of the last drop */
	CHECK(flow->codel.lastcount == count_at_end - lastcount);
	CHECK(episode.signal_count >= 2 && episode.signals[1] - episode.signals[0] < INTERVAL - 10 * MILLISECOND);
	host_time_advance(17 * INTERVAL);
	play_trace(qdisc, 7, 0, 300, &episode);
	CHECK(flow->codel.lastcount == 1);
	check_schedule(&episode, "reentry after 17 intervals");
	qdisc->ops->destroy(qdisc);
}

/* RFC 8290 5 / RFC 8289: ECT frames are marked CE, not dropped, on the same
 * schedule; the IPv4 header checksum is updated (checked on every frame). */
void check_fq_codel_ecn(void)
{
	struct qdisc *qdisc = create(0, 0, 0, true);
	struct episode episode;
	play_trace(qdisc, 7, IPV4_ECN_ECT_0, 300, &episode);
	check_schedule(&episode, "ecn");
	CHECK(net_drop_count(NET_DROP_QDISC_FQ_CODEL_DROP) == 0);
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	CHECK(stats.ecn_mark == episode.signal_count && qdisc->stats.drops == 0);
	/* A frame marked CE and its checksum, seen directly. */
	struct pkt *pkt = qdisc_check_frame(1, 100, 0x10 | IPV4_ECN_ECT_1);
	CHECK(codel_ecn_set_ce(pkt) && qdisc_check_tos(pkt) == (0x10 | IPV4_ECN_CE) && qdisc_check_ip_checksum_ok(pkt));
	CHECK(codel_ecn_set_ce(pkt) && qdisc_check_ip_checksum_ok(pkt));   /* CE stays CE */
	pkt_free(pkt);
	pkt = qdisc_check_frame(1, 100, 0);
	CHECK(!codel_ecn_set_ce(pkt) && qdisc_check_tos(pkt) == 0);
	pkt_free(pkt);
	qdisc->ops->destroy(qdisc);
}

/* RFC 8290 4.1: over the limit, the fattest flow loses half its bytes
 * (at most drop_batch frames) from its head; the others keep theirs. */
void check_fq_codel_overlimit(void)
{
	for (unsigned batch_case = 0; batch_case < 2; batch_case++) {
		uint32_t drop_batch = batch_case ? 8 : 64;
		struct qdisc *qdisc = create(100, 0, drop_batch, true);
		uint16_t ports[2];
		distinct_ports(qdisc, ports, 2);
		for (unsigned i = 0; i < 90; i++)
			qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[0], 1000, 0));
		for (unsigned i = 0; i < 10; i++)
			qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[1], 1000, 0));
		CHECK(qdisc->stats.drops == 0 && qdisc_length(qdisc) == 100);
		uint64_t before = net_drop_count(NET_DROP_QDISC_OVERLIMIT);
		CHECK(qdisc->ops->enqueue(qdisc, qdisc_check_frame(ports[1], 1000, 0)) == 0);  /* the thin flow's */
		uint32_t expected = batch_case ? 8 : 45;
		struct fq_codel_stats stats;
		fq_codel_read_stats(qdisc, &stats);
		CHECK(net_drop_count(NET_DROP_QDISC_OVERLIMIT) - before == expected);
		CHECK(stats.drop_overlimit == expected && stats.drop_overmemory == 0 && qdisc->stats.drops == expected);
		CHECK(flow_of_port(qdisc, ports[1])->backlog_bytes == 11000);
		CHECK(flow_of_port(qdisc, ports[0])->backlog_bytes == (90 - expected) * 1000);
		CHECK(qdisc_length(qdisc) == 101 - expected && qdisc->stats.backlog_bytes == (101 - expected) * 1000);
		qdisc->ops->destroy(qdisc);
	}
}

/* memory_limit counts pool buffers: going over it drops like the limit does. */
void check_fq_codel_memory(void)
{
	struct qdisc *qdisc = create(0, 20 * PKT_BUFFER_SIZE, 0, true);
	for (unsigned i = 0; i < 20; i++)
		qdisc->ops->enqueue(qdisc, qdisc_check_frame(3, 1000, 0));
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	CHECK(stats.memory_used == 20 * PKT_BUFFER_SIZE && qdisc->stats.drops == 0);
	qdisc->ops->enqueue(qdisc, qdisc_check_frame(3, 1000, 0));
	fq_codel_read_stats(qdisc, &stats);
	CHECK(stats.drop_overmemory == 11 && stats.drop_overlimit == 11 && qdisc->stats.drops == 11);
	CHECK(stats.memory_used == 10 * PKT_BUFFER_SIZE && qdisc_length(qdisc) == 10);
	/* The default scales to the pool: half of it, or 32 MiB. */
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 1024);
	CHECK(parameters.memory_limit == 512 * PKT_BUFFER_SIZE);
	fq_codel_default_parameters(&parameters, 65536);
	CHECK(parameters.memory_limit == FQ_CODEL_MEMORY_LIMIT_MAX);
	qdisc->ops->destroy(qdisc);
}

/* Reset frees every frame (the requeued one too) and leaves a new qdisc. */
void check_fq_codel_reset(void)
{
	struct qdisc *qdisc = create(0, 0, 0, true);
	for (unsigned i = 0; i < 300; i++)
		qdisc->ops->enqueue(qdisc, qdisc_check_frame((uint16_t)(2000 + i % 50), 200 + i, 0));
	pkt_free(qdisc->ops->dequeue(qdisc));
	CHECK(qdisc->ops->peek(qdisc) != NULL && qdisc->requeued != NULL);
	uint64_t before = net_drop_count(NET_DROP_QDISC_RESET);
	qdisc_reset(qdisc);
	CHECK(net_drop_count(NET_DROP_QDISC_RESET) - before == 299);
	struct fq_codel_stats stats;
	fq_codel_read_stats(qdisc, &stats);
	CHECK(qdisc_length(qdisc) == 0 && qdisc->stats.backlog_bytes == 0 && stats.memory_used == 0);
	CHECK(stats.new_flows_len == 0 && stats.old_flows_len == 0 && qdisc->requeued == NULL);
	CHECK(qdisc_check_pool_full());
	qdisc->ops->enqueue(qdisc, qdisc_check_frame(1, 100, 0));
	CHECK(qdisc_length(qdisc) == 1);
	qdisc->ops->destroy(qdisc);
}

/* RFC 8289 5.4's Newton step tracks 1/sqrt(count) as count grows by one. */
void check_fq_codel_newton(void)
{
	struct codel_vars vars;
	codel_vars_init(&vars);
	CHECK(codel_control_law(0, INTERVAL, vars.inverse_sqrt_count) >= INTERVAL - 1);
	double worst = 0;
	for (uint32_t count = 2; count <= 100000; count++) {
		vars.count = count;
		codel_newton_step(&vars);
		double error = fabs(vars.inverse_sqrt_count / 4294967296.0 * sqrt(count) - 1);
		if (count >= 8 && error > worst)
			worst = error;
	}
	printf("newton: worst relative error from count 8 on %.4f\n", worst);
	CHECK(worst < 0.02);
	/* A jump (re-entry at count - lastcount) converges within a few steps. */
	vars.count = 5000;
	for (unsigned i = 0; i < 8; i++)
		codel_newton_step(&vars);
	CHECK(fabs(vars.inverse_sqrt_count / 4294967296.0 * sqrt(5000) - 1) < 0.01);
}
