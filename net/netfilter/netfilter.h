/* netfilter.h - netfilter's five IPv4 hooks, the contract between the
 * packet path (net/ipv4 calls nf_hook at Linux's points) and what runs at
 * them (connection tracking, NAT, the nftables rule engine), each
 * registered as a function with a priority (Linux's NF_IP_PRI_*, lower
 * runs first).
 *
 *   local delivery:  PRE_ROUTING -> routing -> LOCAL_IN  -> TCP/UDP/ICMP
 *   transit:         PRE_ROUTING -> routing -> FORWARD   -> POST_ROUTING
 *   local output:    LOCAL_OUT   -> routing -> POST_ROUTING -> qdisc -> driver
 *
 * A hook with nothing registered costs one load and one branch. A
 * function that drops calls net_drop() with its own reason and returns
 * NF_DROP; the caller then forgets the pkt. */
#ifndef KEEL_NET_NETFILTER_H
#define KEEL_NET_NETFILTER_H

#include <stdbool.h>

#include "net/core/netdev.h"
#include "net/core/pkt.h"

enum nf_inet_hook {
	NF_INET_PRE_ROUTING,
	NF_INET_LOCAL_IN,
	NF_INET_FORWARD,
	NF_INET_LOCAL_OUT,
	NF_INET_POST_ROUTING,
	NF_INET_HOOK_COUNT
};

/* Linux's enum nf_ip_hook_priorities (include/uapi/linux/netfilter_ipv4.h). */
enum nf_ip_hook_priority {
	NF_IP_PRI_RAW = -300,
	NF_IP_PRI_CONNTRACK = -200,
	NF_IP_PRI_NAT_DST = -100,
	NF_IP_PRI_FILTER = 0,
	NF_IP_PRI_NAT_SRC = 100,
	NF_IP_PRI_CONNTRACK_CONFIRM = 0x7FFFFFFF
};

enum nf_verdict {
	NF_DROP,      /* the function dropped (and counted) the pkt */
	NF_ACCEPT,    /* on to the next function, then on along the path */
	NF_STOLEN     /* the function kept the pkt (queued, or consumed it otherwise) */
};

/* nft's ct state bits (NF_CT_STATE_*_BIT), what the evaluator matches. */
#define NF_CT_STATE_INVALID (1u << 0)
#define NF_CT_STATE_ESTABLISHED (1u << 1)
#define NF_CT_STATE_RELATED (1u << 2)
#define NF_CT_STATE_NEW (1u << 3)
#define NF_CT_STATE_UNTRACKED (1u << 6)

/* Linux's enum ip_conntrack_status bits, as `ct status` and conntrack -L show them. */
#define NF_CT_STATUS_EXPECTED (1u << 0)
#define NF_CT_STATUS_SEEN_REPLY (1u << 1)
#define NF_CT_STATUS_ASSURED (1u << 2)
#define NF_CT_STATUS_CONFIRMED (1u << 3)
#define NF_CT_STATUS_SRC_NAT (1u << 4)
#define NF_CT_STATUS_DST_NAT (1u << 5)

struct nf_hook_state {
	enum nf_inet_hook hook;
	struct netdev *in;       /* NULL on LOCAL_OUT */
	struct netdev *out;      /* NULL on PRE_ROUTING and LOCAL_IN */
};

struct nf_hook_ops;
typedef enum nf_verdict (*nf_hook_function)(const struct nf_hook_ops *ops, struct pkt *pkt,
					     const struct nf_hook_state *state);

struct nf_hook_ops {
	nf_hook_function function;
	void *context;             /* the registrant's, passed back through ops */
	enum nf_inet_hook hook;
	int priority;              /* enum nf_ip_hook_priority or any value between */
	struct nf_hook_ops *next;  /* the hook's list, in priority order (hook.c's) */
};

/* Adds ops to its hook's list after every entry of lower or equal priority. */
void nf_register_hook(struct nf_hook_ops *ops);
void nf_unregister_hook(struct nf_hook_ops *ops);

extern struct nf_hook_ops *nf_hook_lists[NF_INET_HOOK_COUNT];
/* Set when connection tracking starts (Linux's nf_defrag_ipv4_enable):
 * IPv4 input then reassembles fragments in transit before PRE_ROUTING
 * (Linux's priority -400), so that conntrack and NAT see whole datagrams. */
extern bool nf_defrag_ipv4_enabled;
enum nf_verdict nf_hook_slow(enum nf_inet_hook hook, struct pkt *pkt, struct netdev *in, struct netdev *out);

/* Runs the hook's functions in priority order until one does not accept. */
static inline enum nf_verdict nf_hook(enum nf_inet_hook hook, struct pkt *pkt, struct netdev *in,
				      struct netdev *out)
{
	if (nf_hook_lists[hook] == NULL)
		return NF_ACCEPT;
	return nf_hook_slow(hook, pkt, in, out);
}

const char *nf_hook_name(enum nf_inet_hook hook);   /* "prerouting", "input", ... as nft spells them */

#endif
