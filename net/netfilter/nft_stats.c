/* nft_stats.c - the ruleset's counters in the stack's stats block (every
 * keel.stats= seconds and at shutdown, net/core/stats_print.h), so tests
 * and operators read them without a console: one line per rule with a
 * counter,
 *     nft ip filter input handle 4 packets=12 bytes=720
 * (policy drops are counted as the nft_policy_drop drop reason). */
#include <stdio.h>

#include "net/core/stats_print.h"
#include "net/netfilter/nft_internal.h"

static void print_rule_counters(const struct nft_table *table, const struct nft_chain *chain, const struct nft_rule *rule)
{
	for (unsigned i = 0; i < rule->item_count; i++) {
		const struct nft_item *item = &rule->items[i];
		if (item->kind != NFT_ITEM_COUNTER)
			continue;
		char prefix[NFT_NAME_LENGTH * 2 + 48];
		snprintf(prefix, sizeof(prefix), "nft %s %s %s handle %u", table->family == NFT_FAMILY_INET ? "inet" : "ip",
			 table->name, chain->name, rule->handle);
		struct stats_line line;
		stats_line_start(&line, prefix);
		stats_line_add(&line, "packets", item->counter.packets);
		stats_line_add(&line, "bytes", item->counter.bytes);
		stats_line_finish(&line);
		return;
	}
}

static void print_counters(void)
{
	const struct nft_ruleset *ruleset = nft_ruleset_current();
	for (uint32_t t = 0; ruleset && t < ruleset->table_count; t++) {
		const struct nft_table *table = ruleset->tables[t];
		for (uint32_t c = 0; c < table->chain_count; c++)
			for (uint32_t r = 0; r < table->chains[c]->rule_count; r++)
				print_rule_counters(table, table->chains[c], table->chains[c]->rules[r]);
	}
}

static struct stats_section nft_section = { .print = print_counters };
static bool registered;

void nft_stats_register(void)
{
	if (!registered)
		stats_section_register(&nft_section);
	registered = true;
}
