/* nft_lexer.h - nft's ruleset text cut into tokens, each with its line
 * and columns (1-based, as nft's error messages count them). Comments
 * (`#` to the end of the line) and line continuations (`\` newline) vanish;
 * newlines stay: they end a rule like `;` does. */
#ifndef KEEL_NET_NETFILTER_NFT_LEXER_H
#define KEEL_NET_NETFILTER_NFT_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nft_token_kind {
	NFT_TOKEN_END,        /* end of the text */
	NFT_TOKEN_NEWLINE,
	NFT_TOKEN_WORD,       /* names, numbers, addresses, prefixes, ranges: [A-Za-z0-9_.:/ * -] */
	NFT_TOKEN_STRING,     /* "..." (text: without the quotes) */
	NFT_TOKEN_VARIABLE,   /* $name (text: the name) */
	NFT_TOKEN_SET_REFERENCE, /* @name (text: the name) */
	NFT_TOKEN_SYMBOL,     /* { } ( ) , ; = == != & | + */
	NFT_TOKEN_ERROR,      /* a character no token starts with, or an unterminated string */
};

struct nft_token {
	uint8_t kind;
	const char *text;
	uint32_t length;
	uint32_t line, column, end_column;
};

struct nft_lexer {
	const char *text;
	size_t length, position;
	uint32_t line;
	size_t line_start;
};

void nft_lexer_init(struct nft_lexer *lexer, const char *text, size_t length);
void nft_lexer_next(struct nft_lexer *lexer, struct nft_token *token);
/* token is the symbol (or word) spelled text. */
bool nft_token_is(const struct nft_token *token, const char *text);

#endif
