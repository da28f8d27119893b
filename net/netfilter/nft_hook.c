/* nft_hook.c - the installed ruleset at netfilter's hooks: the swap that
 * installs a new ruleset (one pointer, then the filter base chains'
 * nf_hook_ops re-registered; nothing runs between the two on our single
 * loop, so a packet sees the old or the new ruleset, never a mix), the hook
 * function (one per filter base chain, at its priority), and the nat
 * chains' evaluation for NAT (nft.h). */
#include "kernel/time/clock.h"
#include "net/core/drop.h"
#include "net/netfilter/nft_internal.h"

static struct nft_ruleset *current_ruleset;

const struct nft_ruleset *nft_ruleset_current(void) { return current_ruleset; }

static enum nf_verdict chain_hook(const struct nf_hook_ops *ops, struct pkt *pkt, const struct nf_hook_state *state)
{
	const struct nft_chain *chain = ops->context;
	struct nft_packet packet;
	if (!nft_packet_from_pkt(&packet, pkt, state, clock_monotonic_ns()))
		return NF_ACCEPT;
	struct nft_outcome outcome;
	nft_chain_evaluate(chain, &packet, &outcome);
	switch (outcome.code) {
	case NFT_VERDICT_DROP:
		net_drop(pkt, outcome.by_policy ? NET_DROP_NFT_POLICY_DROP : NET_DROP_NFT_RULE_DROP);
		return NF_DROP;
	case NFT_VERDICT_REJECT:
		nft_reject_send(outcome.verdict, pkt, &packet);
		net_drop(pkt, NET_DROP_NFT_RULE_DROP);
		return NF_DROP;
	default:
		return NF_ACCEPT;
	}
}

/* Calls visit for every base chain of ruleset of the given type. */
static void for_each_base_chain(const struct nft_ruleset *ruleset, bool nat_type, void (*visit)(struct nft_chain *))
{
	if (ruleset == NULL)
		return;
	for (uint32_t t = 0; t < ruleset->table_count; t++) {
		const struct nft_table *table = ruleset->tables[t];
		for (uint32_t c = 0; c < table->chain_count; c++)
			if (table->chains[c]->base && table->chains[c]->nat_type == nat_type)
				visit(table->chains[c]);
	}
}

static void register_chain(struct nft_chain *chain)
{
	chain->ops = (struct nf_hook_ops){
		.function = chain_hook, .context = chain, .hook = (enum nf_inet_hook)chain->hook, .priority = chain->priority,
	};
	nf_register_hook(&chain->ops);
}

static void unregister_chain(struct nft_chain *chain) { nf_unregister_hook(&chain->ops); }

void nft_ruleset_install(struct nft_ruleset *ruleset)
{
	struct nft_ruleset *old = current_ruleset;
	for_each_base_chain(old, false, unregister_chain);
	current_ruleset = ruleset;
	nft_conntrack_attach(ruleset);
	for_each_base_chain(ruleset, false, register_chain);
	nft_ruleset_free(old);
}

bool nft_nat_chains_present(enum nf_inet_hook hook)
{
	const struct nft_ruleset *ruleset = current_ruleset;
	for (uint32_t t = 0; ruleset && t < ruleset->table_count; t++)
		for (uint32_t c = 0; c < ruleset->tables[t]->chain_count; c++) {
			const struct nft_chain *chain = ruleset->tables[t]->chains[c];
			if (chain->base && chain->nat_type && chain->hook == hook)
				return true;
		}
	return false;
}

/* The nat chain of hook with the lowest priority above after (by
 * priority, then order), or NULL. */
static const struct nft_chain *next_nat_chain(enum nf_inet_hook hook, const struct nft_chain *after)
{
	const struct nft_chain *best = NULL;
	bool passed = after == NULL;
	const struct nft_ruleset *ruleset = current_ruleset;
	for (uint32_t t = 0; ruleset && t < ruleset->table_count; t++)
		for (uint32_t c = 0; c < ruleset->tables[t]->chain_count; c++) {
			const struct nft_chain *chain = ruleset->tables[t]->chains[c];
			if (chain == after) {
				passed = true;
				continue;
			}
			if (!chain->base || !chain->nat_type || chain->hook != hook)
				continue;
			bool later = after == NULL || chain->priority > after->priority ||
				     (chain->priority == after->priority && passed);
			if (later && (best == NULL || chain->priority < best->priority))
				best = chain;
		}
	return best;
}

enum nf_verdict nft_nat_evaluate(enum nf_inet_hook hook, const struct pkt *pkt, struct netdev *in,
				 struct netdev *out, struct nft_nat_result *result)
{
	*result = (struct nft_nat_result){ .type = NFT_NAT_NONE };
	struct nf_hook_state state = { hook, in, out };
	struct nft_packet packet;
	if (!nft_packet_from_pkt(&packet, pkt, &state, clock_monotonic_ns()))
		return NF_ACCEPT;
	for (const struct nft_chain *chain = next_nat_chain(hook, NULL); chain; chain = next_nat_chain(hook, chain)) {
		struct nft_outcome outcome;
		nft_chain_evaluate(chain, &packet, &outcome);
		if (outcome.code == NFT_VERDICT_DROP || outcome.code == NFT_VERDICT_REJECT)
			return NF_DROP;
		if (outcome.code == NFT_VERDICT_NAT) {
			*result = outcome.verdict->nat;
			return NF_ACCEPT;
		}
	}
	return NF_ACCEPT;
}
