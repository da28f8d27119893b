/* nft_lexer.c - tokens of nft's syntax (nft_lexer.h). */
#include "net/netfilter/nft_lexer.h"

#include <string.h>

void nft_lexer_init(struct nft_lexer *lexer, const char *text, size_t length)
{
	*lexer = (struct nft_lexer){ .text = text, .length = length, .line = 1 };
}

static bool is_word_character(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       c == '-' || c == '/' || c == ':' || c == '*';
}

static char peek(const struct nft_lexer *lexer, size_t ahead)
{
	size_t at = lexer->position + ahead;
	return at < lexer->length ? lexer->text[at] : '\0';
}

/* Blanks, comments and continuations; stops at a newline or a token. */
static void skip_blank(struct nft_lexer *lexer)
{
	while (lexer->position < lexer->length) {
		char c = peek(lexer, 0);
		if (c == ' ' || c == '\t' || c == '\r') {
			lexer->position++;
		} else if (c == '\\' && (peek(lexer, 1) == '\n' || (peek(lexer, 1) == '\r' && peek(lexer, 2) == '\n'))) {
			lexer->position += peek(lexer, 1) == '\n' ? 2 : 3;
			lexer->line++;
			lexer->line_start = lexer->position;
		} else if (c == '#') {
			while (lexer->position < lexer->length && peek(lexer, 0) != '\n')
				lexer->position++;
		} else {
			return;
		}
	}
}

static void finish(struct nft_lexer *lexer, struct nft_token *token, uint8_t kind, size_t start, size_t end,
		   size_t text_start, size_t text_end)
{
	token->kind = kind;
	token->text = lexer->text + text_start;
	token->length = (uint32_t)(text_end - text_start);
	token->line = lexer->line;
	token->column = (uint32_t)(start - lexer->line_start + 1);
	token->end_column = (uint32_t)(end > start ? end - lexer->line_start : token->column);
	lexer->position = end;
}

static size_t word_end(const struct nft_lexer *lexer, size_t from)
{
	while (from < lexer->length && is_word_character(lexer->text[from]))
		from++;
	return from;
}

void nft_lexer_next(struct nft_lexer *lexer, struct nft_token *token)
{
	skip_blank(lexer);
	size_t start = lexer->position;
	if (start >= lexer->length) {
		finish(lexer, token, NFT_TOKEN_END, start, start, start, start);
		return;
	}
	char c = lexer->text[start];
	if (c == '\n') {
		finish(lexer, token, NFT_TOKEN_NEWLINE, start, start + 1, start, start + 1);
		lexer->line++;
		lexer->line_start = lexer->position;
		return;
	}
	if (c == '"') {
		size_t end = start + 1;
		while (end < lexer->length && lexer->text[end] != '"' && lexer->text[end] != '\n')
			end++;
		if (end >= lexer->length || lexer->text[end] != '"') {
			finish(lexer, token, NFT_TOKEN_ERROR, start, end, start, end);
			return;
		}
		finish(lexer, token, NFT_TOKEN_STRING, start, end + 1, start + 1, end);
		return;
	}
	if ((c == '$' || c == '@') && start + 1 < lexer->length && is_word_character(lexer->text[start + 1])) {
		size_t end = word_end(lexer, start + 1);
		finish(lexer, token, c == '$' ? NFT_TOKEN_VARIABLE : NFT_TOKEN_SET_REFERENCE, start, end, start + 1, end);
		return;
	}
	if (is_word_character(c)) {
		size_t end = word_end(lexer, start);
		finish(lexer, token, NFT_TOKEN_WORD, start, end, start, end);
		return;
	}
	if ((c == '=' || c == '!') && peek(lexer, 1) == '=') {
		finish(lexer, token, NFT_TOKEN_SYMBOL, start, start + 2, start, start + 2);
		return;
	}
	if (strchr("{}(),;=&|+", c) != NULL) {
		finish(lexer, token, NFT_TOKEN_SYMBOL, start, start + 1, start, start + 1);
		return;
	}
	finish(lexer, token, NFT_TOKEN_ERROR, start, start + 1, start, start + 1);
}

bool nft_token_is(const struct nft_token *token, const char *text)
{
	size_t length = strlen(text);
	return (token->kind == NFT_TOKEN_SYMBOL || token->kind == NFT_TOKEN_WORD) && token->length == length &&
	       memcmp(token->text, text, length) == 0;
}
