/* nft_parse_value.c - values as nft writes them, by data type: IPv4
 * addresses with /prefix or a-b ranges, ports (numbers, a few service
 * names, a-b ranges), protocol, ICMP type, TCP flag and ct state/status
 * names; `{ ... }` element lists; named sets (`set NAME { type T; flags
 * interval; elements = { ... } }`). */
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_parser_internal.h"

static bool parse_unsigned(const char *text, uint32_t maximum, uint32_t *value)
{
	if (*text < '0' || *text > '9')
		return false;
	char *end;
	unsigned long number = strtoul(text, &end, 10);
	if (*end != '\0' || number > maximum)
		return false;
	*value = (uint32_t)number;
	return true;
}

/* Strict dotted quad: four decimal octets. */
bool nft_parse_ipv4_address(const char *text, uint32_t *address)
{
	uint32_t result = 0;
	for (int octet = 0; octet < 4; octet++) {
		if (*text < '0' || *text > '9')
			return false;
		uint32_t value = 0;
		int digits = 0;
		while (*text >= '0' && *text <= '9' && digits < 4)
			value = value * 10 + (uint32_t)(*text++ - '0'), digits++;
		if (value > 255 || digits > 3)
			return false;
		result = result << 8 | value;
		if (octet < 3 && *text++ != '.')
			return false;
	}
	if (*text != '\0')
		return false;
	*address = result;
	return true;
}

/* One scalar of type (no range, no prefix). */
static bool parse_scalar(enum nft_value_type type, const char *text, uint32_t *value)
{
	int64_t symbol = nft_symbol_value(type, text);
	if (symbol >= 0) {
		*value = (uint32_t)symbol;
		return true;
	}
	switch (type) {
	case NFT_TYPE_ADDRESS: return nft_parse_ipv4_address(text, value);
	case NFT_TYPE_PORT: return parse_unsigned(text, 65535, value);
	case NFT_TYPE_PROTOCOL:
	case NFT_TYPE_ICMP_TYPE:
	case NFT_TYPE_TCP_FLAGS: return parse_unsigned(text, 255, value);
	default: return false;
	}
}

bool nft_parse_port(const char *text, uint32_t *port)
{
	return parse_scalar(NFT_TYPE_PORT, text, port);
}

static const char *type_noun(enum nft_value_type type)
{
	switch (type) {
	case NFT_TYPE_ADDRESS: return "IPv4 address";
	case NFT_TYPE_PORT: return "internet network service";
	case NFT_TYPE_PROTOCOL: return "Internet protocol";
	case NFT_TYPE_ICMP_TYPE: return "ICMP type";
	case NFT_TYPE_TCP_FLAGS: return "TCP flag";
	case NFT_TYPE_CT_STATE: return "conntrack state";
	case NFT_TYPE_CT_STATUS: return "conntrack status";
	default: return "value";
	}
}

static bool parse_prefix(char *word, struct nft_element *element)
{
	char *slash = strchr(word, '/');
	*slash = '\0';
	uint32_t address, length;
	if (!nft_parse_ipv4_address(word, &address) || !parse_unsigned(slash + 1, 32, &length))
		return false;
	uint32_t mask = length ? ~0u << (32 - length) : 0;
	*element = (struct nft_element){ address & mask, (address & mask) | ~mask, NFT_FORM_PREFIX, (uint8_t)length };
	return true;
}

bool nft_parse_element(struct nft_parser *parser, enum nft_value_type type, struct nft_element *element)
{
	char word[NFT_WORD_LENGTH];
	if (!nft_parser_word(parser, word, sizeof(word)) || parser->token.kind != NFT_TOKEN_WORD)
		return nft_parser_unexpected(parser, type_noun(type));
	bool ok;
	char *dash = type == NFT_TYPE_ICMP_TYPE ? NULL : strchr(word + 1, '-');
	if (type == NFT_TYPE_ADDRESS && strchr(word, '/')) {
		ok = parse_prefix(word, element);
	} else if (dash && type != NFT_TYPE_CT_STATE && type != NFT_TYPE_CT_STATUS && type != NFT_TYPE_TCP_FLAGS) {
		*dash = '\0';
		ok = parse_scalar(type, word, &element->low) && parse_scalar(type, dash + 1, &element->high) &&
		     element->low <= element->high;
		element->form = NFT_FORM_RANGE;
		*dash = '-';
	} else {
		ok = parse_scalar(type, word, &element->low);
		element->high = element->low;
		element->form = NFT_FORM_VALUE;
	}
	if (!ok)
		return nft_parser_error(parser, &parser->token, "Could not parse %s value '%s'", type_noun(type), word);
	nft_parser_advance(parser);
	return true;
}

static bool append_element(struct nft_parser *parser, struct nft_set *set, const struct nft_element *element)
{
	if (set->element_count >= NFT_SET_ELEMENTS_MAX)
		return nft_parser_error(parser, &parser->token, "too many set elements (at most %d)", NFT_SET_ELEMENTS_MAX);
	uint32_t count = set->element_count;
	if (count == 0 || (count >= 4 && (count & (count - 1)) == 0)) {   /* full at 4, 8, 16 ...: grow */
		uint32_t capacity = set->element_count ? set->element_count * 2 : 4;
		struct nft_element *elements = realloc(set->elements, capacity * sizeof(*elements));
		if (elements == NULL)
			return nft_parser_error(parser, &parser->token, "out of memory");
		set->elements = elements;
	}
	set->elements[set->element_count++] = *element;
	return true;
}

bool nft_parse_elements_into(struct nft_parser *parser, struct nft_set *set)
{
	if (!nft_parser_expect(parser, "{"))
		return false;
	for (;;) {
		while (parser->token.kind == NFT_TOKEN_NEWLINE)
			nft_parser_advance(parser);
		if (nft_parser_accept(parser, "}"))
			return true;
		struct nft_token at = parser->token;
		struct nft_element element;
		if (!nft_parse_element(parser, set->key_type, &element))
			return false;
		if (element.form != NFT_FORM_VALUE && set->name[0] && !set->interval)
			return nft_parser_error(parser, &at, "You must add 'flags interval' to your set declaration if you want to add prefix or range elements");
		if (!append_element(parser, set, &element))
			return false;
		while (parser->token.kind == NFT_TOKEN_NEWLINE)
			nft_parser_advance(parser);
		if (!nft_token_is(&parser->token, "}") && !nft_parser_expect(parser, ","))
			return false;
	}
}

static struct nft_set *set_new(enum nft_value_type type)
{
	struct nft_set *set = calloc(1, sizeof(*set));
	if (set) {
		set->references = 1;
		set->key_type = type;
	}
	return set;
}

struct nft_set *nft_parse_set_elements(struct nft_parser *parser, enum nft_value_type type)
{
	struct nft_set *set = set_new(type);
	if (set == NULL) {
		nft_parser_error(parser, &parser->token, "out of memory");
		return NULL;
	}
	set->interval = true;
	if (!nft_parse_elements_into(parser, set) || nft_set_build_index(set) != 0) {
		nft_parser_error(parser, &parser->token, "out of memory");
		nft_set_put(set);
		return NULL;
	}
	return set;
}

struct set_type_name {
	const char *name;
	uint8_t type;
};

static const struct set_type_name set_types[] = {
	{ "ipv4_addr", NFT_TYPE_ADDRESS }, { "inet_service", NFT_TYPE_PORT }, { "inet_proto", NFT_TYPE_PROTOCOL },
	{ "icmp_type", NFT_TYPE_ICMP_TYPE },
};

const char *nft_set_type_name(uint8_t type)
{
	for (size_t i = 0; i < sizeof(set_types) / sizeof(set_types[0]); i++)
		if (set_types[i].type == type)
			return set_types[i].name;
	return "?";
}

static bool parse_set_statement(struct nft_parser *parser, struct nft_set *set, bool *typed)
{
	if (nft_parser_accept(parser, "type")) {
		for (size_t i = 0; i < sizeof(set_types) / sizeof(set_types[0]); i++) {
			if (nft_token_is(&parser->token, set_types[i].name)) {
				if (*typed && set->key_type != set_types[i].type)
					return nft_parser_error(parser, &parser->token, "set '%s' exists with another type", set->name);
				set->key_type = set_types[i].type;
				*typed = true;
				nft_parser_advance(parser);
				return true;
			}
		}
		return nft_parser_unexpected(parser, "ipv4_addr or inet_service or inet_proto or icmp_type");
	}
	if (nft_parser_accept(parser, "flags")) {
		do {
			if (nft_parser_accept(parser, "interval"))
				set->interval = true;
			else if (!nft_parser_accept(parser, "constant"))
				return nft_parser_unexpected(parser, "interval or constant");
		} while (nft_parser_accept(parser, ","));
		return true;
	}
	if (nft_parser_accept(parser, "elements")) {
		if (!*typed)
			return nft_parser_error(parser, &parser->token, "set definition does not specify key");
		return nft_parser_expect(parser, "=") && nft_parse_elements_into(parser, set);
	}
	return nft_parser_unexpected(parser, "type or flags or elements");
}

/* A copy of an existing set to add elements to (the original may be the installed ruleset's). */
static struct nft_set *set_copy(const struct nft_set *set)
{
	struct nft_set *copy = set_new(set->key_type);
	if (copy == NULL)
		return NULL;
	strcpy(copy->name, set->name);
	copy->interval = set->interval;
	copy->handle = set->handle;
	if (set->element_count) {
		uint32_t capacity = 4;
		while (capacity < set->element_count)
			capacity *= 2;
		copy->elements = malloc(capacity * sizeof(struct nft_element));
		if (copy->elements == NULL) {
			free(copy);
			return NULL;
		}
		memcpy(copy->elements, set->elements, set->element_count * sizeof(struct nft_element));
		copy->element_count = set->element_count;
	}
	return copy;
}

bool nft_parse_named_set(struct nft_parser *parser, struct nft_table *table)
{
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, name, sizeof(name)))
		return nft_parser_unexpected(parser, "set name");
	nft_parser_advance(parser);
	int index = nft_set_find(table, name);
	if (index < 0 && table->set_count >= NFT_SETS_MAX)
		return nft_parser_error(parser, &at, "Too many sets in table '%s' (at most %d)", table->name, NFT_SETS_MAX);
	struct nft_set *set = index >= 0 ? set_copy(table->sets[index]) : set_new(NFT_TYPE_ADDRESS);
	if (set == NULL)
		return nft_parser_error(parser, &at, "out of memory");
	bool typed = index >= 0;
	if (index < 0) {
		strcpy(set->name, name);
		set->handle = table->next_handle++;
	}
	bool ok = nft_parser_expect(parser, "{");
	while (ok) {
		nft_parser_skip_newlines(parser);
		if (nft_parser_accept(parser, "}"))
			break;
		ok = parse_set_statement(parser, set, &typed);
	}
	if (ok && !typed)
		ok = nft_parser_error(parser, &at, "set definition does not specify key");
	if (ok && nft_set_build_index(set) != 0)
		ok = nft_parser_error(parser, &at, "out of memory");
	if (!ok) {
		nft_set_put(set);
		return false;
	}
	if (index >= 0) {
		nft_set_put(table->sets[index]);
		table->sets[index] = set;
	} else {
		table->sets[table->set_count++] = set;
	}
	return true;
}
