/* nft_parser.c - the parser's token stream and error reports (contract in
 * nft_parser_internal.h): tokens with `define` variables spliced in, one
 * token of lookahead, errors as nft reports them:
 *
 *     <file>:LINE:COL-COL: Error: <message>
 *     <the line>
 *     <carets under the token>
 *
 * and the names every command starts with ([family] table [chain]). */
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
bool nft_parse_name(struct nft_parser *parser, char name[NFT_NAME_LENGTH], const char *what)
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
bool nft_parse_family_and_name(struct nft_parser *parser, uint8_t *family, char name[NFT_NAME_LENGTH])
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
	return nft_parse_name(parser, name, "table name");
}

bool nft_parse_table_reference(struct nft_parser *parser, struct nft_table **table)
{
	uint8_t family;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parse_family_and_name(parser, &family, name))
		return false;
	*table = nft_table_find(parser->ruleset, family, name);
	if (*table == NULL)
		return nft_parser_error(parser, &at, "No such file or directory; table '%s' does not exist", name);
	return true;
}

bool nft_parse_chain_reference(struct nft_parser *parser, struct nft_table **table, struct nft_chain **chain)
{
	if (!nft_parse_table_reference(parser, table))
		return false;
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parse_name(parser, name, "chain name"))
		return false;
	int index = nft_chain_find(*table, name);
	if (index < 0)
		return nft_parser_error(parser, &at, "No such file or directory; chain '%s' does not exist in table '%s'",
					name, (*table)->name);
	*chain = (*table)->chains[index];
	return true;
}
