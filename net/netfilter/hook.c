/* hook.c - the five hooks' function lists (netfilter.h): kept sorted by
 * priority at registration, so running a hook is a walk down one list. */
#include "net/netfilter/netfilter.h"

struct nf_hook_ops *nf_hook_lists[NF_INET_HOOK_COUNT];
bool nf_defrag_ipv4_enabled;

void nf_register_hook(struct nf_hook_ops *ops)
{
	struct nf_hook_ops **link = &nf_hook_lists[ops->hook];
	while (*link && (*link)->priority <= ops->priority)
		link = &(*link)->next;
	ops->next = *link;
	*link = ops;
}

void nf_unregister_hook(struct nf_hook_ops *ops)
{
	for (struct nf_hook_ops **link = &nf_hook_lists[ops->hook]; *link; link = &(*link)->next) {
		if (*link == ops) {
			*link = ops->next;
			ops->next = NULL;
			return;
		}
	}
}

enum nf_verdict nf_hook_slow(enum nf_inet_hook hook, struct pkt *pkt, struct netdev *in, struct netdev *out)
{
	struct nf_hook_state state = { hook, in, out };
	for (const struct nf_hook_ops *ops = nf_hook_lists[hook]; ops; ops = ops->next) {
		enum nf_verdict verdict = ops->function(ops, pkt, &state);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	return NF_ACCEPT;
}

const char *nf_hook_name(enum nf_inet_hook hook)
{
	static const char *const names[NF_INET_HOOK_COUNT] = {
		[NF_INET_PRE_ROUTING] = "prerouting", [NF_INET_LOCAL_IN] = "input", [NF_INET_FORWARD] = "forward",
		[NF_INET_LOCAL_OUT] = "output", [NF_INET_POST_ROUTING] = "postrouting",
	};
	return hook < NF_INET_HOOK_COUNT ? names[hook] : "unknown";
}
