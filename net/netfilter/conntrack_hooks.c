/* conntrack_hooks.c - connection tracking switched on (conntrack.h): the
 * table allocated, the four hook functions registered at Linux's
 * priorities, pkt_free taught to drop a pkt's reference, and the expiry
 * sweep started (a timer every CONNTRACK_GC_INTERVAL_NS, a bounded number
 * of buckets each time, so the whole table is swept every
 * CONNTRACK_GC_ROUNDS intervals). */
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/conntrack_sysctl.h"

#include "kernel/core/sysctl.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"

#define CONNTRACK_MAX_DEFAULT 65536
#define CONNTRACK_MAX_LIMIT (1 << 24)
#define CONNTRACK_GC_INTERVAL_NS (1000ull * 1000000ull)
#define CONNTRACK_GC_ROUNDS 32
#define CONNTRACK_GC_MIN_BUCKETS 64

int64_t nf_conntrack_max = CONNTRACK_MAX_DEFAULT;
SYSCTL_INTEGER("net.netfilter.nf_conntrack_max", nf_conntrack_max, 1, CONNTRACK_MAX_LIMIT);

static bool enabled;
static struct timer gc_timer;

static enum nf_verdict track_hook(const struct nf_hook_ops *ops, struct pkt *pkt, const struct nf_hook_state *state)
{
	return conntrack_in(pkt, state->hook);
}

static enum nf_verdict confirm_hook(const struct nf_hook_ops *ops, struct pkt *pkt,
				    const struct nf_hook_state *state)
{
	return conntrack_confirm_packet(pkt);
}

static struct nf_hook_ops hook_ops[] = {
	{ .function = track_hook, .hook = NF_INET_PRE_ROUTING, .priority = NF_IP_PRI_CONNTRACK },
	{ .function = track_hook, .hook = NF_INET_LOCAL_OUT, .priority = NF_IP_PRI_CONNTRACK },
	{ .function = confirm_hook, .hook = NF_INET_POST_ROUTING, .priority = NF_IP_PRI_CONNTRACK_CONFIRM },
	{ .function = confirm_hook, .hook = NF_INET_LOCAL_IN, .priority = NF_IP_PRI_CONNTRACK_CONFIRM },
};

static void gc_tick(struct timer *timer, void *context)
{
	unsigned budget = conntrack_bucket_count() / CONNTRACK_GC_ROUNDS;
	conntrack_gc_step(budget < CONNTRACK_GC_MIN_BUCKETS ? CONNTRACK_GC_MIN_BUCKETS : budget);
	timer_arm(timer, clock_monotonic_ns() + CONNTRACK_GC_INTERVAL_NS);
}

bool nf_conntrack_enabled(void) { return enabled; }

int nf_conntrack_enable(void)
{
	if (enabled)
		return 0;
	if (conntrack_table_allocate((unsigned)nf_conntrack_max) != 0)
		return -1;
	pkt_conntrack_release = conntrack_release;
	nf_defrag_ipv4_enabled = true;
	for (unsigned index = 0; index < sizeof(hook_ops) / sizeof(hook_ops[0]); index++)
		nf_register_hook(&hook_ops[index]);
	timer_setup(&gc_timer, gc_tick, NULL);
	timer_arm(&gc_timer, clock_monotonic_ns() + CONNTRACK_GC_INTERVAL_NS);
	enabled = true;
	return 0;
}
