/* nft_parser_internal.h - between the parser's files: the token stream
 * (with `define` variables spliced in), the error report in nft's format,
 * and the parsing entry points of each part (tokens, errors and names in
 * nft_parser.c, blocks in nft_parse_block.c, commands in
 * nft_parse_command.c, rules in nft_parse_rule.c, values and sets in
 * nft_parse_value.c). Every parse function returns false after reporting
 * the first error; the caller stops and the ruleset being built is thrown
 * away (a bad ruleset is refused whole). */
#ifndef KEEL_NET_NETFILTER_NFT_PARSER_INTERNAL_H
#define KEEL_NET_NETFILTER_NFT_PARSER_INTERNAL_H

#include "net/netfilter/nft_internal.h"
#include "net/netfilter/nft_lexer.h"

#define NFT_DEFINES_MAX 64
#define NFT_DEFINE_DEPTH_MAX 4       /* a variable may name variables, this deep */
#define NFT_WORD_LENGTH 64

struct nft_define {
	char name[NFT_NAME_LENGTH];
	struct nft_lexer value;           /* a lexer over the value's text */
};

struct nft_parser {
	struct nft_lexer lexers[NFT_DEFINE_DEPTH_MAX + 1];
	unsigned depth;                   /* lexers[depth] is read */
	struct nft_token token;           /* the current token */
	const char *text;
	size_t length;
	struct nft_ruleset *ruleset;
	struct nft_parse_error *error;
	bool failed;
	struct nft_define defines[NFT_DEFINES_MAX];
	unsigned define_count;
};

/* Moves to the next token (a $variable is replaced by its value's tokens). */
void nft_parser_advance(struct nft_parser *parser);
/* The token after the current one, without moving (not across variables). */
void nft_parser_peek(struct nft_parser *parser, struct nft_token *next);
/* Reports message about token (printf format) unless an error was reported; returns false. */
bool nft_parser_error(struct nft_parser *parser, const struct nft_token *token, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
/* "syntax error, unexpected X[, expecting Y]" about the current token. */
bool nft_parser_unexpected(struct nft_parser *parser, const char *expecting);
/* The current token as a C string (truncated to size); false when it is not a word or string. */
bool nft_parser_word(struct nft_parser *parser, char *word, size_t size);
bool nft_parser_accept(struct nft_parser *parser, const char *text);   /* consumes it when it is text */
bool nft_parser_expect(struct nft_parser *parser, const char *text);   /* consumes it, or reports */
/* At the end of a statement: newline, ';', '}' or the end. */
bool nft_parser_at_statement_end(const struct nft_parser *parser);
void nft_parser_skip_newlines(struct nft_parser *parser);

/* Names (nft_parser.c): a table, chain or set name; `[family] name` of a
 * table; an existing table, or table and chain, by name (errors when absent). */
bool nft_parse_name(struct nft_parser *parser, char name[NFT_NAME_LENGTH], const char *what);
bool nft_parse_family_and_name(struct nft_parser *parser, uint8_t *family, char name[NFT_NAME_LENGTH]);
bool nft_parse_table_reference(struct nft_parser *parser, struct nft_table **table);
bool nft_parse_chain_reference(struct nft_parser *parser, struct nft_table **table, struct nft_chain **chain);

/* Blocks (nft_parse_block.c): a table's or a chain's statements after its
 * '{'; the table or chain a definition names (created when new); a rule
 * parsed and put at position in chain (UINT32_MAX: the end). */
bool nft_parse_table_body(struct nft_parser *parser, struct nft_table *table);
bool nft_parse_chain_body(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain);
struct nft_table *nft_table_for_definition(struct nft_parser *parser);
struct nft_chain *nft_chain_for_definition(struct nft_parser *parser, struct nft_table *table);
bool nft_add_rule(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain, uint32_t position);

/* A rule's items up to the end of the statement, into rule, for chain (nft_parse_rule.c). */
bool nft_parse_rule(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain, struct nft_rule *rule);

/* One value of type (nft_parse_value.c): "10.0.0.0/8", "80-90", "echo-request" ... */
bool nft_parse_element(struct nft_parser *parser, enum nft_value_type type, struct nft_element *element);
/* `{ a, b, c-d }` into a new set of key type (the current token is '{'). */
struct nft_set *nft_parse_set_elements(struct nft_parser *parser, enum nft_value_type type);
/* Adds `{ ... }` elements to set (the current token is '{'). */
bool nft_parse_elements_into(struct nft_parser *parser, struct nft_set *set);
/* `set NAME { type T; flags interval; elements = { ... } }` into table (current token: the name). */
bool nft_parse_named_set(struct nft_parser *parser, struct nft_table *table);

/* A dotted quad / a port (number or service name), host order. */
bool nft_parse_ipv4_address(const char *text, uint32_t *address);
bool nft_parse_port(const char *text, uint32_t *port);
/* Whether a NAT statement of type may sit in base chain chain. */
bool nft_nat_allowed_in(uint8_t type, const struct nft_chain *chain);
const char *nft_reject_code_name(uint8_t code);

#endif
