/* nft_ruleset.c - the ruleset's objects: creating tables, chains, rules;
 * copying a ruleset so that a change is built beside the installed one
 * (rules and sets shared by reference, chains and tables copied); freeing
 * what the last reference leaves. */
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_internal.h"

struct nft_ruleset *nft_ruleset_new(void)
{
	struct nft_ruleset *ruleset = calloc(1, sizeof(*ruleset));
	if (ruleset)
		ruleset->next_table_handle = 1;
	return ruleset;
}

void nft_rule_put(struct nft_rule *rule)
{
	if (rule == NULL || --rule->references > 0)
		return;
	for (unsigned i = 0; i < rule->item_count; i++)
		if (rule->items[i].kind == NFT_ITEM_MATCH) {
			nft_set_put(rule->items[i].match.anonymous);
			free(rule->items[i].match.interfaces);
		}
	free(rule);
}

static void chain_free(struct nft_chain *chain)
{
	for (uint32_t i = 0; i < chain->rule_count; i++)
		nft_rule_put(chain->rules[i]);
	free(chain->rules);
	free(chain);
}

void nft_table_free(struct nft_table *table)
{
	for (uint32_t i = 0; i < table->chain_count; i++)
		chain_free(table->chains[i]);
	for (uint32_t i = 0; i < table->set_count; i++)
		nft_set_put(table->sets[i]);
	free(table);
}

void nft_ruleset_free(struct nft_ruleset *ruleset)
{
	if (ruleset == NULL)
		return;
	for (uint32_t i = 0; i < ruleset->table_count; i++)
		nft_table_free(ruleset->tables[i]);
	free(ruleset);
}

static struct nft_chain *chain_copy(const struct nft_chain *chain, struct nft_table *table)
{
	struct nft_chain *copy = malloc(sizeof(*copy));
	if (copy == NULL)
		return NULL;
	*copy = *chain;
	copy->table = table;
	copy->ops = (struct nf_hook_ops){ 0 };
	copy->rules = chain->rule_capacity ? malloc(chain->rule_capacity * sizeof(struct nft_rule *)) : NULL;
	if (chain->rule_capacity && copy->rules == NULL) {
		free(copy);
		return NULL;
	}
	for (uint32_t i = 0; i < chain->rule_count; i++) {
		copy->rules[i] = chain->rules[i];
		copy->rules[i]->references++;
	}
	return copy;
}

static struct nft_table *table_copy(const struct nft_table *table)
{
	struct nft_table *copy = malloc(sizeof(*copy));
	if (copy == NULL)
		return NULL;
	*copy = *table;
	for (uint32_t i = 0; i < table->set_count; i++)
		table->sets[i]->references++;
	for (uint32_t i = 0; i < table->chain_count; i++) {
		copy->chains[i] = chain_copy(table->chains[i], copy);
		if (copy->chains[i] == NULL) {
			copy->chain_count = i;
			nft_table_free(copy);
			return NULL;
		}
	}
	return copy;
}

struct nft_ruleset *nft_ruleset_copy(const struct nft_ruleset *current)
{
	struct nft_ruleset *copy = nft_ruleset_new();
	if (copy == NULL || current == NULL)
		return copy;
	copy->next_table_handle = current->next_table_handle;
	for (uint32_t i = 0; i < current->table_count; i++) {
		copy->tables[i] = table_copy(current->tables[i]);
		if (copy->tables[i] == NULL) {
			nft_ruleset_free(copy);
			return NULL;
		}
		copy->table_count = i + 1;
	}
	return copy;
}

struct nft_table *nft_table_find(const struct nft_ruleset *ruleset, uint8_t family, const char *name)
{
	for (uint32_t i = 0; i < ruleset->table_count; i++)
		if (ruleset->tables[i]->family == family && strcmp(ruleset->tables[i]->name, name) == 0)
			return ruleset->tables[i];
	return NULL;
}

struct nft_table *nft_table_add(struct nft_ruleset *ruleset, uint8_t family, const char *name)
{
	if (ruleset->table_count >= NFT_TABLES_MAX || strlen(name) >= NFT_NAME_LENGTH)
		return NULL;
	struct nft_table *table = calloc(1, sizeof(*table));
	if (table == NULL)
		return NULL;
	strcpy(table->name, name);
	table->family = family;
	table->handle = ruleset->next_table_handle++;
	table->next_handle = 1;
	ruleset->tables[ruleset->table_count++] = table;
	return table;
}

int nft_chain_find(const struct nft_table *table, const char *name)
{
	for (uint32_t i = 0; i < table->chain_count; i++)
		if (strcmp(table->chains[i]->name, name) == 0)
			return (int)i;
	return -1;
}

int nft_set_find(const struct nft_table *table, const char *name)
{
	for (uint32_t i = 0; i < table->set_count; i++)
		if (strcmp(table->sets[i]->name, name) == 0)
			return (int)i;
	return -1;
}

struct nft_chain *nft_chain_add(struct nft_table *table, const char *name)
{
	if (table->chain_count >= NFT_CHAINS_MAX || strlen(name) >= NFT_NAME_LENGTH)
		return NULL;
	struct nft_chain *chain = calloc(1, sizeof(*chain));
	if (chain == NULL)
		return NULL;
	strcpy(chain->name, name);
	chain->handle = table->next_handle++;
	chain->table = table;
	table->chains[table->chain_count++] = chain;
	return chain;
}

int nft_chain_insert_rule(struct nft_chain *chain, struct nft_rule *rule, uint32_t position)
{
	if (chain->rule_count >= NFT_RULES_MAX)
		return -1;
	if (chain->rule_count == chain->rule_capacity) {
		uint32_t capacity = chain->rule_capacity ? chain->rule_capacity * 2 : 8;
		struct nft_rule **rules = realloc(chain->rules, capacity * sizeof(*rules));
		if (rules == NULL)
			return -1;
		chain->rules = rules;
		chain->rule_capacity = capacity;
	}
	if (position > chain->rule_count)
		position = chain->rule_count;
	memmove(&chain->rules[position + 1], &chain->rules[position], (chain->rule_count - position) * sizeof(*chain->rules));
	chain->rules[position] = rule;
	chain->rule_count++;
	return 0;
}

void nft_ruleset_count(const struct nft_ruleset *ruleset, unsigned *tables, unsigned *chains, unsigned *rules)
{
	*tables = *chains = *rules = 0;
	if (ruleset == NULL)
		return;
	*tables = ruleset->table_count;
	for (uint32_t t = 0; t < ruleset->table_count; t++) {
		const struct nft_table *table = ruleset->tables[t];
		*chains += table->chain_count;
		for (uint32_t c = 0; c < table->chain_count; c++)
			*rules += table->chains[c]->rule_count;
	}
}

const struct netdev *nft_device_by_name(const char *name)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}
