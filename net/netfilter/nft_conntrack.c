/* nft_conntrack.c - what an installed ruleset asks of connection tracking
 * and NAT (Linux loads nf_conntrack and nf_nat when a ruleset refers to
 * them): a `ct` match turns tracking on, a nat chain turns NAT on and
 * makes the ruleset's nat chains NAT's rule lookup. Both stay on once on,
 * as a module stays loaded: tracked connections survive a ruleset change
 * (issue 10's rule), and a ruleset without them simply matches nothing
 * against them. */
#include "net/core/drop.h"
#include "net/netfilter/conntrack.h"
#include "net/netfilter/nat.h"
#include "net/netfilter/nft.h"
#include "net/netfilter/nft_internal.h"

#include "kernel/console/printk.h"

static bool rule_matches_conntrack(const struct nft_rule *rule)
{
	for (unsigned i = 0; i < rule->item_count; i++) {
		const struct nft_item *item = &rule->items[i];
		if (item->kind == NFT_ITEM_MATCH &&
		    (item->match.field == NFT_FIELD_CT_STATE || item->match.field == NFT_FIELD_CT_STATUS))
			return true;
	}
	return false;
}

static void ruleset_needs(const struct nft_ruleset *ruleset, bool *conntrack, bool *nat)
{
	*conntrack = *nat = false;
	for (uint32_t t = 0; ruleset && t < ruleset->table_count; t++) {
		const struct nft_table *table = ruleset->tables[t];
		for (uint32_t c = 0; c < table->chain_count; c++) {
			const struct nft_chain *chain = table->chains[c];
			if (chain->base && chain->nat_type)
				*nat = true;
			for (uint32_t r = 0; r < chain->rule_count; r++)
				if (rule_matches_conntrack(chain->rules[r]))
					*conntrack = true;
		}
	}
}

/* NAT's nat_rule_lookup: the ruleset's nat chains of the hook decide. */
static enum nf_verdict nat_lookup_from_rules(struct pkt *pkt, const struct nf_hook_state *state,
					     struct nat_range *range)
{
	static const uint8_t kinds[] = {
		[NFT_NAT_NONE] = NAT_KIND_NONE, [NFT_NAT_DNAT] = NAT_KIND_DNAT, [NFT_NAT_SNAT] = NAT_KIND_SNAT,
		[NFT_NAT_MASQUERADE] = NAT_KIND_MASQUERADE, [NFT_NAT_REDIRECT] = NAT_KIND_REDIRECT,
	};
	struct nft_nat_result result = { 0 };
	if (nft_nat_evaluate(state->hook, pkt, state->in, state->out, &result) == NF_DROP) {
		net_drop(pkt, NET_DROP_NFT_RULE_DROP);
		return NF_DROP;
	}
	*range = (struct nat_range){
		.kind = result.type < sizeof(kinds) ? kinds[result.type] : NAT_KIND_NONE,
		.flags = (uint8_t)((result.has_address ? NAT_RANGE_HAS_ADDRESS : 0) | (result.has_port ? NAT_RANGE_HAS_PORTS : 0)),
		.address_min = result.address_min, .address_max = result.address_max,
		.port_min = result.port_min, .port_max = result.port_max,
	};
	return NF_ACCEPT;
}

void nft_conntrack_attach(const struct nft_ruleset *ruleset)
{
	bool conntrack, nat;
	ruleset_needs(ruleset, &conntrack, &nat);
	if (nat) {
		nat_set_rule_lookup(nat_lookup_from_rules);
		if (nat_enable() != 0)
			pr_warn("nft: NAT could not be enabled: nat chains translate nothing\n");
	} else if (conntrack && nf_conntrack_enable() != 0) {
		pr_warn("nft: connection tracking could not be enabled: ct matches match nothing\n");
	}
}
