/* nft_parse_block.c - the blocks of a ruleset: `table F N { set ...;
 * chain ... }` and `chain N { type T hook H priority P; policy X; rules }`,
 * with chain priorities as numbers or nft's names with offsets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_parser_internal.h"

static bool parse_hook(struct nft_parser *parser, uint8_t *hook)
{
	for (unsigned h = 0; h < NF_INET_HOOK_COUNT; h++) {
		if (nft_token_is(&parser->token, nf_hook_name((enum nf_inet_hook)h))) {
			*hook = (uint8_t)h;
			nft_parser_advance(parser);
			return true;
		}
	}
	return nft_parser_error(parser, &parser->token, "unknown chain hook '%.*s'", (int)parser->token.length,
				parser->token.text);
}

/* A number, a name, or a name with + or - an offset. */
static bool parse_priority(struct nft_parser *parser, int *priority)
{
	char word[NFT_WORD_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, word, sizeof(word)))
		return nft_parser_unexpected(parser, "chain priority");
	char *end;
	long value = strtol(word, &end, 10);
	if (*end == '\0' && end != word && value >= -100000 && value <= 100000) {
		*priority = (int)value;
		nft_parser_advance(parser);
		return true;
	}
	if (!nft_priority_name_value(word, priority))
		return nft_parser_error(parser, &at, "'%s' is invalid priority", word);
	nft_parser_advance(parser);
	bool plus = nft_token_is(&parser->token, "+"), minus = nft_token_is(&parser->token, "-");
	if (!plus && !minus)
		return true;
	nft_parser_advance(parser);
	if (!nft_parser_word(parser, word, sizeof(word)) || (value = strtol(word, &end, 10), *end != '\0') || value < 0 ||
	    value > 100000)
		return nft_parser_unexpected(parser, "number");
	*priority += plus ? (int)value : -(int)value;
	nft_parser_advance(parser);
	return true;
}

/* `type filter|nat hook H priority P ;` */
static bool parse_chain_type(struct nft_parser *parser, struct nft_chain *chain)
{
	struct nft_token at = parser->token;
	bool nat = nft_token_is(&parser->token, "nat");
	if (!nat && !nft_token_is(&parser->token, "filter"))
		return nft_parser_error(parser, &at, "Could not parse chain type: '%.*s' (filter and nat are supported)",
					(int)at.length, at.text);
	nft_parser_advance(parser);
	uint8_t hook = 0;
	int priority = 0;
	if (!nft_parser_expect(parser, "hook") || !parse_hook(parser, &hook) || !nft_parser_expect(parser, "priority") ||
	    !parse_priority(parser, &priority))
		return false;
	if (nat && hook == NF_INET_FORWARD)
		return nft_parser_error(parser, &at, "Operation not supported: a nat chain cannot hook forward");
	if (chain->base && (chain->nat_type != nat || chain->hook != hook || chain->priority != priority))
		return nft_parser_error(parser, &at, "Device or resource busy: chain '%s' exists with another type",
					chain->name);
	chain->base = true;
	chain->nat_type = nat;
	chain->hook = hook;
	chain->priority = priority;
	return true;
}

static bool parse_policy(struct nft_parser *parser, struct nft_chain *chain)
{
	if (!chain->base)
		return nft_parser_error(parser, &parser->token, "policy is only valid on base chains");
	if (nft_parser_accept(parser, "accept"))
		chain->policy_drop = false;
	else if (nft_parser_accept(parser, "drop"))
		chain->policy_drop = true;
	else
		return nft_parser_unexpected(parser, "accept or drop");
	return true;
}

bool nft_add_rule(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain, uint32_t position)
{
	struct nft_rule *rule = calloc(1, sizeof(*rule));
	if (rule == NULL)
		return nft_parser_error(parser, &parser->token, "out of memory");
	rule->references = 1;
	struct nft_token at = parser->token;
	if (!nft_parse_rule(parser, table, chain, rule) || nft_chain_insert_rule(chain, rule, position) != 0) {
		nft_rule_put(rule);
		return nft_parser_error(parser, &at, "Too many rules in chain '%s' (at most %d)", chain->name, NFT_RULES_MAX);
	}
	rule->handle = table->next_handle++;
	return true;
}

/* The statements of a chain block, after its '{'. */
bool nft_parse_chain_body(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain)
{
	for (;;) {
		nft_parser_skip_newlines(parser);
		if (nft_parser_accept(parser, "}"))
			return true;
		if (parser->token.kind == NFT_TOKEN_END)
			return nft_parser_unexpected(parser, "'}'");
		bool ok;
		if (nft_parser_accept(parser, "type"))
			ok = parse_chain_type(parser, chain);
		else if (nft_parser_accept(parser, "policy"))
			ok = parse_policy(parser, chain);
		else
			ok = nft_add_rule(parser, table, chain, UINT32_MAX);
		if (!ok)
			return false;
		if (!nft_parser_at_statement_end(parser))
			return nft_parser_unexpected(parser, NULL);
	}
}

struct nft_chain *nft_chain_for_definition(struct nft_parser *parser, struct nft_table *table)
{
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parse_name(parser, name, "chain name"))
		return NULL;
	int index = nft_chain_find(table, name);
	if (index >= 0) {
		table->chains[index]->placeholder = false;
		return table->chains[index];
	}
	struct nft_chain *chain = nft_chain_add(table, name);
	if (chain == NULL)
		nft_parser_error(parser, &at, "Too many chains in table '%s' (at most %d)", table->name, NFT_CHAINS_MAX);
	return chain;
}

/* The block of a table, after its '{'. */
bool nft_parse_table_body(struct nft_parser *parser, struct nft_table *table)
{
	for (;;) {
		nft_parser_skip_newlines(parser);
		if (nft_parser_accept(parser, "}"))
			return true;
		if (nft_parser_accept(parser, "chain")) {
			struct nft_chain *chain = nft_chain_for_definition(parser, table);
			if (chain == NULL || !nft_parser_expect(parser, "{") || !nft_parse_chain_body(parser, table, chain))
				return false;
		} else if (nft_parser_accept(parser, "set")) {
			if (!nft_parse_named_set(parser, table))
				return false;
		} else {
			return nft_parser_unexpected(parser, "chain or set or '}'");
		}
	}
}

struct nft_table *nft_table_for_definition(struct nft_parser *parser)
{
	uint8_t family;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parse_family_and_name(parser, &family, name))
		return NULL;
	struct nft_table *table = nft_table_find(parser->ruleset, family, name);
	if (table == NULL && (table = nft_table_add(parser->ruleset, family, name)) == NULL)
		nft_parser_error(parser, &at, "Too many tables (at most %d)", NFT_TABLES_MAX);
	return table;
}
