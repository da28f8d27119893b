/* nft_parse_command.c - the commands of a ruleset file or an nft command
 * line, applied in order to the ruleset being built: `table ... { }`,
 * `flush ruleset|table|chain`, `define`, `add table|chain|set|rule`,
 * `insert rule`, `add rule ... position N`, `delete rule ... handle N`,
 * `delete table`; at the end, chains named by jumps but never defined are
 * an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_parser_internal.h"

static bool parse_define(struct nft_parser *parser)
{
	struct nft_token at = parser->token;
	char name[NFT_NAME_LENGTH];
	if (!nft_parse_name(parser, name, "variable name"))
		return false;
	if (parser->define_count >= NFT_DEFINES_MAX)
		return nft_parser_error(parser, &at, "too many variables (at most %d)", NFT_DEFINES_MAX);
	if (parser->depth != 0 || !nft_token_is(&parser->token, "="))
		return nft_parser_unexpected(parser, "'='");
	struct nft_define *define = &parser->defines[parser->define_count];
	strcpy(define->name, name);
	define->value = parser->lexers[0];                 /* right after '=' */
	nft_parser_advance(parser);
	while (!nft_parser_at_statement_end(parser) || nft_token_is(&parser->token, "}")) {
		if (parser->token.kind == NFT_TOKEN_END)
			break;
		nft_parser_advance(parser);
	}
	if (parser->depth != 0)
		return nft_parser_error(parser, &at, "a variable's value must be on its line");
	define->value.length = (size_t)(parser->token.text - parser->text);
	parser->define_count++;
	return true;
}

/* `add rule|insert rule [family] table chain [position N] <rule>` */
static bool parse_rule_command(struct nft_parser *parser, bool insert)
{
	struct nft_table *table;
	struct nft_chain *chain;
	if (!nft_parse_chain_reference(parser, &table, &chain))
		return false;
	uint32_t position = insert ? 0 : UINT32_MAX;
	if (nft_parser_accept(parser, "position") || nft_parser_accept(parser, "handle")) {
		char word[NFT_WORD_LENGTH];
		struct nft_token at = parser->token;
		char *end;
		if (!nft_parser_word(parser, word, sizeof(word)))
			return nft_parser_unexpected(parser, "number");
		unsigned long handle = strtoul(word, &end, 10);
		uint32_t index = 0;
		while (*end == '\0' && index < chain->rule_count && chain->rules[index]->handle != handle)
			index++;
		if (*end != '\0' || index == chain->rule_count)
			return nft_parser_error(parser, &at, "Could not process rule: No such file or directory (no rule with handle %s)", word);
		position = insert ? index : index + 1;
		nft_parser_advance(parser);
	}
	return nft_add_rule(parser, table, chain, position);
}

/* `delete rule [family] table chain handle N` */
static bool parse_delete_rule(struct nft_parser *parser)
{
	struct nft_table *table;
	struct nft_chain *chain;
	if (!nft_parse_chain_reference(parser, &table, &chain) || !nft_parser_expect(parser, "handle"))
		return false;
	char word[NFT_WORD_LENGTH], *end;
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, word, sizeof(word)))
		return nft_parser_unexpected(parser, "number");
	unsigned long handle = strtoul(word, &end, 10);
	for (uint32_t i = 0; *end == '\0' && i < chain->rule_count; i++) {
		if (chain->rules[i]->handle != handle)
			continue;
		nft_rule_put(chain->rules[i]);
		memmove(&chain->rules[i], &chain->rules[i + 1], (chain->rule_count - i - 1) * sizeof(*chain->rules));
		chain->rule_count--;
		nft_parser_advance(parser);
		return true;
	}
	return nft_parser_error(parser, &at, "Could not process rule: No such file or directory");
}

static void flush_chain(struct nft_chain *chain)
{
	for (uint32_t i = 0; i < chain->rule_count; i++)
		nft_rule_put(chain->rules[i]);
	chain->rule_count = 0;
}

static void flush_ruleset(struct nft_ruleset *ruleset)
{
	struct nft_ruleset *empty = nft_ruleset_new();
	if (empty == NULL)
		return;
	uint32_t next_handle = ruleset->next_table_handle;
	struct nft_ruleset swap = *ruleset;
	*ruleset = *empty;
	*empty = swap;
	ruleset->next_table_handle = next_handle;
	nft_ruleset_free(empty);
}

static bool delete_table(struct nft_parser *parser)
{
	struct nft_table *table;
	if (!nft_parse_table_reference(parser, &table))
		return false;
	struct nft_ruleset *ruleset = parser->ruleset;
	for (uint32_t i = 0; i < ruleset->table_count; i++) {
		if (ruleset->tables[i] != table)
			continue;
		nft_table_free(table);
		memmove(&ruleset->tables[i], &ruleset->tables[i + 1], (ruleset->table_count - i - 1) * sizeof(table));
		ruleset->table_count--;
		break;
	}
	return true;
}

static bool parse_flush(struct nft_parser *parser)
{
	struct nft_table *table;
	struct nft_chain *chain;
	if (nft_parser_accept(parser, "ruleset")) {
		flush_ruleset(parser->ruleset);
		return true;
	}
	if (nft_parser_accept(parser, "chain")) {
		if (!nft_parse_chain_reference(parser, &table, &chain))
			return false;
		flush_chain(chain);
		return true;
	}
	if (nft_parser_accept(parser, "table")) {
		if (!nft_parse_table_reference(parser, &table))
			return false;
		for (uint32_t i = 0; i < table->chain_count; i++)
			flush_chain(table->chains[i]);
		return true;
	}
	return nft_parser_unexpected(parser, "ruleset or table or chain");
}

/* `add|create table|chain|set|rule ...` */
static bool parse_add(struct nft_parser *parser)
{
	if (nft_parser_accept(parser, "rule"))
		return parse_rule_command(parser, false);
	if (nft_parser_accept(parser, "table")) {
		struct nft_table *table = nft_table_for_definition(parser);
		if (table == NULL)
			return false;
		return !nft_parser_accept(parser, "{") || nft_parse_table_body(parser, table);
	}
	if (nft_parser_accept(parser, "chain")) {
		struct nft_table *table;
		if (!nft_parse_table_reference(parser, &table))
			return false;
		struct nft_chain *chain = nft_chain_for_definition(parser, table);
		return chain && (!nft_parser_accept(parser, "{") || nft_parse_chain_body(parser, table, chain));
	}
	if (nft_parser_accept(parser, "set")) {
		struct nft_table *table;
		return nft_parse_table_reference(parser, &table) && nft_parse_named_set(parser, table);
	}
	return nft_parser_unexpected(parser, "table or chain or set or rule");
}

static bool parse_delete(struct nft_parser *parser)
{
	if (nft_parser_accept(parser, "rule"))
		return parse_delete_rule(parser);
	if (nft_parser_accept(parser, "table"))
		return delete_table(parser);
	return nft_parser_unexpected(parser, "table or rule");
}

static bool parse_command(struct nft_parser *parser)
{
	if (nft_parser_accept(parser, "table")) {
		struct nft_table *table = nft_table_for_definition(parser);
		return table && nft_parser_expect(parser, "{") && nft_parse_table_body(parser, table);
	}
	if (nft_parser_accept(parser, "flush"))
		return parse_flush(parser);
	if (nft_parser_accept(parser, "define"))
		return parse_define(parser);
	if (nft_parser_accept(parser, "add") || nft_parser_accept(parser, "create"))
		return parse_add(parser);
	if (nft_parser_accept(parser, "insert")) {
		if (!nft_parser_expect(parser, "rule"))
			return false;
		return parse_rule_command(parser, true);
	}
	if (nft_parser_accept(parser, "delete"))
		return parse_delete(parser);
	return nft_parser_unexpected(parser, NULL);
}

/* A chain a jump named but the text never defined. */
static void report_undefined_chains(struct nft_parser *parser)
{
	for (uint32_t t = 0; t < parser->ruleset->table_count; t++) {
		const struct nft_table *table = parser->ruleset->tables[t];
		for (uint32_t c = 0; c < table->chain_count; c++) {
			const struct nft_chain *chain = table->chains[c];
			if (!chain->placeholder)
				continue;
			struct nft_token at = { .line = chain->placeholder_line, .column = chain->placeholder_column,
						.end_column = chain->placeholder_end_column };
			at.text = parser->text;
			char message[128];
			snprintf(message, sizeof(message), "Could not process rule: No such file or directory (chain '%s')", chain->name);
			parser->failed = true;
			nft_error_format(parser->error, parser->text, parser->length, at.line, at.column, at.end_column, message);
			return;
		}
	}
}

int nft_parse_text(struct nft_ruleset *ruleset, const char *text, size_t length, struct nft_parse_error *error)
{
	struct nft_parser *parser = calloc(1, sizeof(*parser));
	if (parser == NULL) {
		if (error && error->size)
			snprintf(error->text, error->size, "Error: out of memory");
		return -1;
	}
	parser->text = text;
	parser->length = length;
	parser->ruleset = ruleset;
	parser->error = error;
	nft_lexer_init(&parser->lexers[0], text, length);
	nft_parser_advance(parser);
	for (;;) {
		nft_parser_skip_newlines(parser);
		if (parser->failed || parser->token.kind == NFT_TOKEN_END)
			break;
		if (!parse_command(parser))
			break;
		if (!nft_parser_at_statement_end(parser) || nft_token_is(&parser->token, "}"))
			nft_parser_unexpected(parser, NULL);
	}
	if (!parser->failed)
		report_undefined_chains(parser);
	int result = parser->failed ? -1 : 0;
	free(parser);
	return result;
}
