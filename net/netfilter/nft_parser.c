/* nft_parser.c - nft's commands and blocks: `flush ruleset`, `table F N {
 * ... }`, `chain N { type T hook H priority P; policy X; rules }`, `set`,
 * `define`, and the one-line forms (`add table|chain|rule|set`, `insert
 * rule`, `delete rule|chain|table`, `flush table|chain`), applied in order
 * to the ruleset being built. Errors are reported as nft reports them:
 *
 *     <file>:LINE:COL-COL: Error: <message>
 *     <the line>
 *     <carets under the token> */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_parser_internal.h"

void nft_parser_advance(struct nft_parser *parser)
{
	for (;;) {
		nft_lexer_next(&parser->lexers[parser->depth], &parser->token);
		if (parser->token.kind == NFT_TOKEN_END && parser->depth > 0) {
			parser->depth--;
			continue;
		}
		if (parser->token.kind != NFT_TOKEN_VARIABLE)
			return;
		unsigned index = 0;
		while (index < parser->define_count && !(strlen(parser->defines[index].name) == parser->token.length &&
			memcmp(parser->defines[index].name, parser->token.text, parser->token.length) == 0))
			index++;
		if (index == parser->define_count) {
			nft_parser_error(parser, &parser->token, "unknown identifier '%.*s'", (int)parser->token.length,
					 parser->token.text);
			parser->token.kind = NFT_TOKEN_ERROR;
			return;
		}
		if (parser->depth >= NFT_DEFINE_DEPTH_MAX) {
			nft_parser_error(parser, &parser->token, "variables nested too deep");
			parser->token.kind = NFT_TOKEN_ERROR;
			return;
		}
		parser->lexers[++parser->depth] = parser->defines[index].value;
	}
}

void nft_parser_peek(struct nft_parser *parser, struct nft_token *next)
{
	struct nft_lexer saved = parser->lexers[parser->depth];
	nft_lexer_next(&parser->lexers[parser->depth], next);
	parser->lexers[parser->depth] = saved;
}

/* Line number line (1-based) of text. */
static void source_line(const char *text, size_t length, uint32_t line, const char **start, size_t *line_length)
{
	const char *at = text, *end = text + length;
	for (uint32_t current = 1; current < line && at < end; at++)
		if (*at == '\n')
			current++;
	const char *stop = at;
	while (stop < end && *stop != '\n')
		stop++;
	*start = at;
	*line_length = (size_t)(stop - at);
}

void nft_error_format(struct nft_parse_error *error, const char *text, size_t length, uint32_t line, uint32_t column,
		      uint32_t end_column, const char *message)
{
	if (error == NULL || error->size == 0)
		return;
	if (end_column < column)
		end_column = column;
	const char *file = error->file_name;
	int used;
	if (file == NULL)              /* a command line: nft prints no position, only the carets */
		used = snprintf(error->text, error->size, "Error: %s", message);
	else if (line)
		used = snprintf(error->text, error->size, "%s:%u:%u-%u: Error: %s", file, line, column, end_column, message);
	else
		used = snprintf(error->text, error->size, "%s: Error: %s", file, message);
	if (line == 0 || used < 0 || (size_t)used >= error->size)
		return;
	const char *source;
	size_t source_length;
	source_line(text, length, line, &source, &source_length);
	used += snprintf(error->text + used, error->size - used, "\n%.*s\n", (int)source_length, source);
	for (uint32_t at = 1; at <= end_column && used >= 0 && (size_t)used + 2 < error->size; at++) {
		error->text[used++] = at < column ? (at <= source_length && source[at - 1] == '\t' ? '\t' : ' ') : '^';
		error->text[used] = '\0';
	}
}

bool nft_parser_error(struct nft_parser *parser, const struct nft_token *token, const char *format, ...)
{
	if (parser->failed)
		return false;
	parser->failed = true;
	char message[256];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof(message), format, arguments);
	va_end(arguments);
	nft_error_format(parser->error, parser->text, parser->length, token->line, token->column, token->end_column, message);
	return false;
}

static const char *token_description(const struct nft_token *token, char *buffer, size_t size)
{
	switch (token->kind) {
	case NFT_TOKEN_END: return "end of file";
	case NFT_TOKEN_NEWLINE: return "newline";
	case NFT_TOKEN_STRING: return "quoted string";
	case NFT_TOKEN_ERROR: snprintf(buffer, size, "junk '%.*s'", (int)token->length, token->text); return buffer;
	default: snprintf(buffer, size, "'%.*s'", (int)(token->length > 40 ? 40 : token->length), token->text); return buffer;
	}
}

bool nft_parser_unexpected(struct nft_parser *parser, const char *expecting)
{
	char buffer[64];
	const char *what = token_description(&parser->token, buffer, sizeof(buffer));
	if (expecting)
		return nft_parser_error(parser, &parser->token, "syntax error, unexpected %s, expecting %s", what, expecting);
	return nft_parser_error(parser, &parser->token, "syntax error, unexpected %s", what);
}

bool nft_parser_word(struct nft_parser *parser, char *word, size_t size)
{
	const struct nft_token *token = &parser->token;
	if ((token->kind != NFT_TOKEN_WORD && token->kind != NFT_TOKEN_STRING) || token->length >= size)
		return false;
	memcpy(word, token->text, token->length);
	word[token->length] = '\0';
	return true;
}

bool nft_parser_accept(struct nft_parser *parser, const char *text)
{
	if (!nft_token_is(&parser->token, text))
		return false;
	nft_parser_advance(parser);
	return true;
}

bool nft_parser_expect(struct nft_parser *parser, const char *text)
{
	if (nft_parser_accept(parser, text))
		return true;
	char expecting[24];
	snprintf(expecting, sizeof(expecting), "'%s'", text);
	return nft_parser_unexpected(parser, expecting);
}

bool nft_parser_at_statement_end(const struct nft_parser *parser)
{
	const struct nft_token *token = &parser->token;
	return token->kind == NFT_TOKEN_END || token->kind == NFT_TOKEN_NEWLINE || nft_token_is(token, ";") ||
	       nft_token_is(token, "}");
}

void nft_parser_skip_newlines(struct nft_parser *parser)
{
	while (parser->token.kind == NFT_TOKEN_NEWLINE || nft_token_is(&parser->token, ";"))
		nft_parser_advance(parser);
}

/* A name (table, chain, set): a word or a string that fits. */
static bool parse_name(struct nft_parser *parser, char name[NFT_NAME_LENGTH], const char *what)
{
	if (!nft_parser_word(parser, name, NFT_NAME_LENGTH))
		return parser->token.kind == NFT_TOKEN_WORD
			       ? nft_parser_error(parser, &parser->token, "%s name too long (at most %d characters)", what,
						  NFT_NAME_LENGTH - 1)
			       : nft_parser_unexpected(parser, what);
	nft_parser_advance(parser);
	return true;
}

/* [family] name: the family is optional (ip when absent), as in nft. */
static bool parse_family_and_name(struct nft_parser *parser, uint8_t *family, char name[NFT_NAME_LENGTH])
{
	struct nft_token next;
	nft_parser_peek(parser, &next);
	*family = NFT_FAMILY_IP;
	bool family_written = parser->token.kind == NFT_TOKEN_WORD && (next.kind == NFT_TOKEN_WORD || next.kind == NFT_TOKEN_STRING);
	if (family_written) {
		if (nft_token_is(&parser->token, "inet"))
			*family = NFT_FAMILY_INET;
		else if (!nft_token_is(&parser->token, "ip"))
			return nft_parser_error(parser, &parser->token, "unsupported family '%.*s' (ip and inet are)",
						(int)parser->token.length, parser->token.text);
		nft_parser_advance(parser);
	}
	return parse_name(parser, name, "table name");
}

static bool parse_table_reference(struct nft_parser *parser, struct nft_table **table)
{
	uint8_t family;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!parse_family_and_name(parser, &family, name))
		return false;
	*table = nft_table_find(parser->ruleset, family, name);
	if (*table == NULL)
		return nft_parser_error(parser, &at, "No such file or directory; table '%s' does not exist", name);
	return true;
}

static bool parse_chain_reference(struct nft_parser *parser, struct nft_table **table, struct nft_chain **chain)
{
	if (!parse_table_reference(parser, table))
		return false;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!parse_name(parser, name, "chain name"))
		return false;
	int index = nft_chain_find(*table, name);
	if (index < 0)
		return nft_parser_error(parser, &at, "No such file or directory; chain '%s' does not exist in table '%s'",
					name, (*table)->name);
	*chain = (*table)->chains[index];
	return true;
}

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

static bool parse_chain_body(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain);

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

static bool add_rule(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain, uint32_t position)
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
static bool parse_chain_body(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain)
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
			ok = add_rule(parser, table, chain, UINT32_MAX);
		if (!ok)
			return false;
		if (!nft_parser_at_statement_end(parser))
			return nft_parser_unexpected(parser, NULL);
	}
}

static struct nft_chain *chain_for_definition(struct nft_parser *parser, struct nft_table *table)
{
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!parse_name(parser, name, "chain name"))
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
static bool parse_table_body(struct nft_parser *parser, struct nft_table *table)
{
	for (;;) {
		nft_parser_skip_newlines(parser);
		if (nft_parser_accept(parser, "}"))
			return true;
		if (nft_parser_accept(parser, "chain")) {
			struct nft_chain *chain = chain_for_definition(parser, table);
			if (chain == NULL || !nft_parser_expect(parser, "{") || !parse_chain_body(parser, table, chain))
				return false;
		} else if (nft_parser_accept(parser, "set")) {
			if (!nft_parse_named_set(parser, table))
				return false;
		} else {
			return nft_parser_unexpected(parser, "chain or set or '}'");
		}
	}
}

static struct nft_table *table_for_definition(struct nft_parser *parser)
{
	uint8_t family;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!parse_family_and_name(parser, &family, name))
		return NULL;
	struct nft_table *table = nft_table_find(parser->ruleset, family, name);
	if (table == NULL && (table = nft_table_add(parser->ruleset, family, name)) == NULL)
		nft_parser_error(parser, &at, "Too many tables (at most %d)", NFT_TABLES_MAX);
	return table;
}

static bool parse_define(struct nft_parser *parser)
{
	struct nft_token at = parser->token;
	char name[NFT_NAME_LENGTH];
	if (!parse_name(parser, name, "variable name"))
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
	if (!parse_chain_reference(parser, &table, &chain))
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
	return add_rule(parser, table, chain, position);
}

/* `delete rule [family] table chain handle N` */
static bool parse_delete_rule(struct nft_parser *parser)
{
	struct nft_table *table;
	struct nft_chain *chain;
	if (!parse_chain_reference(parser, &table, &chain) || !nft_parser_expect(parser, "handle"))
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
	if (!parse_table_reference(parser, &table))
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
		if (!parse_chain_reference(parser, &table, &chain))
			return false;
		flush_chain(chain);
		return true;
	}
	if (nft_parser_accept(parser, "table")) {
		if (!parse_table_reference(parser, &table))
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
		struct nft_table *table = table_for_definition(parser);
		if (table == NULL)
			return false;
		return !nft_parser_accept(parser, "{") || parse_table_body(parser, table);
	}
	if (nft_parser_accept(parser, "chain")) {
		struct nft_table *table;
		if (!parse_table_reference(parser, &table))
			return false;
		struct nft_chain *chain = chain_for_definition(parser, table);
		return chain && (!nft_parser_accept(parser, "{") || parse_chain_body(parser, table, chain));
	}
	if (nft_parser_accept(parser, "set")) {
		struct nft_table *table;
		return parse_table_reference(parser, &table) && nft_parse_named_set(parser, table);
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
		struct nft_table *table = table_for_definition(parser);
		return table && nft_parser_expect(parser, "{") && parse_table_body(parser, table);
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
