/* nft_validate.c - the checks nft's kernel side makes when a ruleset is
 * committed: jumps nest at most NFT_JUMP_STACK_SIZE deep and never loop
 * (ELOOP, "Too many levels of symbolic links"), and a NAT statement in a
 * regular chain is only reached from nat base chains of hooks where it is
 * valid (EOPNOTSUPP). Chain heights are memoized: linear in the rules. */
#include <stdio.h>

#include "net/netfilter/nft_internal.h"
#include "net/netfilter/nft_parser_internal.h"

enum visit { UNVISITED, IN_PROGRESS, DONE };

struct validation {
	const struct nft_table *table;
	uint8_t state[NFT_CHAINS_MAX];
	uint8_t height[NFT_CHAINS_MAX];      /* longest jump path below the chain */
	const struct nft_item *culprit;      /* the jump that loops or nests too deep, or targets a base chain */
	bool target_is_base;
};

/* False when a jump below chain loops or nests beyond the stack. */
static bool measure(struct validation *validation, int index)
{
	if (validation->state[index] == DONE)
		return true;
	validation->state[index] = IN_PROGRESS;
	const struct nft_chain *chain = validation->table->chains[index];
	unsigned height = 0;
	for (uint32_t r = 0; r < chain->rule_count; r++) {
		const struct nft_rule *rule = chain->rules[r];
		for (unsigned i = 0; i < rule->item_count; i++) {
			const struct nft_item *item = &rule->items[i];
			if (item->kind != NFT_ITEM_VERDICT ||
			    (item->verdict.code != NFT_VERDICT_JUMP && item->verdict.code != NFT_VERDICT_GOTO))
				continue;
			int target = item->verdict.chain_index;
			if (validation->table->chains[target]->base) {
				validation->culprit = item;
				validation->target_is_base = true;
				return false;
			}
			if (validation->state[target] == IN_PROGRESS || !measure(validation, target)) {
				if (validation->culprit == NULL)
					validation->culprit = item;
				return false;
			}
			if (validation->height[target] + 1u > height)
				height = validation->height[target] + 1u;
			if (height > NFT_JUMP_STACK_SIZE) {
				validation->culprit = item;
				return false;
			}
		}
	}
	validation->height[index] = (uint8_t)height;
	validation->state[index] = DONE;
	return true;
}

/* The first NAT statement reachable from base that base's chain type and hook do not allow. */
static const struct nft_chain *misplaced_nat(const struct nft_table *table, const struct nft_chain *base)
{
	bool reached[NFT_CHAINS_MAX] = { false };
	int queue[NFT_CHAINS_MAX], head = 0, tail = 0;
	queue[tail++] = nft_chain_find(table, base->name);
	reached[queue[0]] = true;
	while (head < tail) {
		const struct nft_chain *chain = table->chains[queue[head++]];
		for (uint32_t r = 0; r < chain->rule_count; r++) {
			const struct nft_rule *rule = chain->rules[r];
			for (unsigned i = 0; i < rule->item_count; i++) {
				const struct nft_item *item = &rule->items[i];
				if (item->kind == NFT_ITEM_NAT && !nft_nat_allowed_in(item->nat.type, base))
					return chain;
				if (item->kind == NFT_ITEM_VERDICT && (item->verdict.code == NFT_VERDICT_JUMP ||
								       item->verdict.code == NFT_VERDICT_GOTO) &&
				    !reached[item->verdict.chain_index]) {
					reached[item->verdict.chain_index] = true;
					queue[tail++] = item->verdict.chain_index;
				}
			}
		}
	}
	return NULL;
}

static int validate_table(const struct nft_table *table, const char *text, size_t length, struct nft_parse_error *error)
{
	struct validation validation = { .table = table };
	char message[256];
	for (uint32_t c = 0; c < table->chain_count; c++) {
		if (measure(&validation, (int)c))
			continue;
		const struct nft_item *culprit = validation.culprit;
		bool positioned = culprit && culprit->verdict.load == nft_load_number;
		if (validation.target_is_base)
			snprintf(message, sizeof(message), "Could not process rule: Operation not supported (a jump to a base chain)");
		else
			snprintf(message, sizeof(message),
				 "Could not process rule: Too many levels of symbolic links (jumps loop or nest deeper than %d in table '%s')",
				 NFT_JUMP_STACK_SIZE, table->name);
		nft_error_format(error, text, length, positioned ? culprit->verdict.line : 0,
				 positioned ? culprit->verdict.column : 0, positioned ? culprit->verdict.end_column : 0, message);
		return -1;
	}
	for (uint32_t c = 0; c < table->chain_count; c++) {
		const struct nft_chain *base = table->chains[c];
		const struct nft_chain *where = base->base ? misplaced_nat(table, base) : NULL;
		if (where == NULL)
			continue;
		snprintf(message, sizeof(message),
			 "Could not process rule: Operation not supported (a NAT statement in chain '%s' is reached from chain '%s')",
			 where->name, base->name);
		nft_error_format(error, text, length, 0, 0, 0, message);
		return -1;
	}
	return 0;
}

int nft_ruleset_validate(const struct nft_ruleset *ruleset, const char *text, size_t length,
			 struct nft_parse_error *error)
{
	for (uint32_t t = 0; t < ruleset->table_count; t++)
		if (validate_table(ruleset->tables[t], text, length, error) != 0)
			return -1;
	return 0;
}
