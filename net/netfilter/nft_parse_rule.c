/* nft_parse_rule.c - one rule: matches (`tcp dport { 22, 80 }`, `ip saddr
 * != 10.0.0.0/8`, `tcp flags & (syn | ack) == syn`, `ct state
 * established,related`, `iifname "eth0"`, `@set` ...) and statements
 * (counter, limit, log, verdicts, reject, NAT) in the order written. NAT
 * statements are checked here against the base chain they sit in (nft's
 * rules: dnat/redirect at prerouting/output, snat/masquerade at
 * postrouting/input, only in nat chains); regular chains reached by jumps
 * are checked at validation (nft_validate.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_parser_internal.h"
#include "net/wire/ipv4.h"

struct rule_context {
	struct nft_table *table;
	struct nft_chain *chain;       /* NULL when unknown */
	struct nft_rule *rule;
	bool transport_known;          /* a TCP/UDP match came first: NAT may name ports */
	bool tcp_known;                /* a TCP match came first */
	bool terminated;               /* a verdict was written: nothing may follow */
};

static struct nft_item *new_item(struct nft_parser *parser, struct rule_context *context, uint8_t kind)
{
	if (context->rule->item_count >= NFT_ITEMS_MAX) {
		nft_parser_error(parser, &parser->token, "rule too long (at most %d expressions and statements)", NFT_ITEMS_MAX);
		return NULL;
	}
	struct nft_item *item = &context->rule->items[context->rule->item_count++];
	memset(item, 0, sizeof(*item));
	item->kind = kind;
	return item;
}

/* A flag expression: `syn`, `syn | ack`, `(syn | ack)`, `established,related`. */
static bool parse_flags(struct nft_parser *parser, enum nft_value_type type, uint32_t *bits)
{
	bool parenthesis = nft_parser_accept(parser, "(");
	*bits = 0;
	do {
		struct nft_element element;
		if (!nft_parse_element(parser, type, &element))
			return false;
		*bits |= element.low;
	} while (nft_parser_accept(parser, "|") || (!parenthesis && nft_parser_accept(parser, ",")));
	return !parenthesis || nft_parser_expect(parser, ")");
}

/* One interface name into name (and, for iif/oif, its device). */
static bool parse_interface_name(struct nft_parser *parser, enum nft_field field, char name[NFT_IFNAME_LENGTH],
				 const struct netdev **device)
{
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, name, NFT_IFNAME_LENGTH))
		return parser->token.kind == NFT_TOKEN_STRING || parser->token.kind == NFT_TOKEN_WORD
			       ? nft_parser_error(parser, &at, "interface name too long")
			       : nft_parser_unexpected(parser, "string");
	nft_parser_advance(parser);
	if (field == NFT_FIELD_IIF || field == NFT_FIELD_OIF) {
		*device = nft_device_by_name(name);
		if (*device == NULL)
			return nft_parser_error(parser, &at, "Interface does not exist");
	}
	return true;
}

/* `"eth0"` or `{ "eth0", "eth1" }` */
static bool parse_interface(struct nft_parser *parser, struct nft_match *match)
{
	if (!nft_parser_accept(parser, "{"))
		return parse_interface_name(parser, match->field, match->ifname, &match->device);
	struct nft_interface_list *list = calloc(1, sizeof(*list));
	if (list == NULL)
		return nft_parser_error(parser, &parser->token, "out of memory");
	match->interfaces = list;          /* freed with the rule, also when parsing fails */
	for (;;) {
		while (parser->token.kind == NFT_TOKEN_NEWLINE)
			nft_parser_advance(parser);
		if (list->count && nft_parser_accept(parser, "}"))
			return true;
		if (list->count == NFT_INTERFACE_LIST_MAX)
			return nft_parser_error(parser, &parser->token, "too many interfaces (at most %d)", NFT_INTERFACE_LIST_MAX);
		if (!parse_interface_name(parser, match->field, list->names[list->count], &list->devices[list->count]))
			return false;
		list->count++;
		while (parser->token.kind == NFT_TOKEN_NEWLINE)
			nft_parser_advance(parser);
		if (!nft_token_is(&parser->token, "}") && !nft_parser_expect(parser, ","))
			return false;
	}
}

static bool parse_set_reference(struct nft_parser *parser, struct rule_context *context, struct nft_match *match)
{
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (at.length >= sizeof(name))
		return nft_parser_error(parser, &at, "set name too long");
	memcpy(name, at.text, at.length);
	name[at.length] = '\0';
	match->set_index = nft_set_find(context->table, name);
	if (match->set_index < 0)
		return nft_parser_error(parser, &at, "No such file or directory; did you mean to define set '%s' in table '%s'?",
					name, context->table->name);
	uint8_t set_type = context->table->sets[match->set_index]->key_type;
	if (set_type != nft_field_type(match->field))
		return nft_parser_error(parser, &at, "datatype mismatch, expected %s, set has type %s",
					nft_field_name(match->field), nft_set_type_name(set_type));
	nft_parser_advance(parser);
	return true;
}

static bool parse_match(struct nft_parser *parser, struct rule_context *context, enum nft_field field)
{
	struct nft_item *item = new_item(parser, context, NFT_ITEM_MATCH);
	if (item == NULL)
		return false;
	struct nft_match *match = &item->match;
	match->field = field;
	match->set_index = -1;
	enum nft_value_type type = nft_field_type(field);
	if (nft_parser_accept(parser, "&")) {
		if (!nft_type_is_bitmask(type))
			return nft_parser_error(parser, &parser->token, "a mask (&) needs a flag type");
		match->has_mask = true;
		if (!parse_flags(parser, type, &match->mask))
			return false;
	}
	if (nft_parser_accept(parser, "=="))
		match->operator = NFT_OP_EQUAL;
	else if (nft_parser_accept(parser, "!="))
		match->operator = NFT_OP_NOT_EQUAL;
	if (type == NFT_TYPE_IFACE || type == NFT_TYPE_IFNAME)
		return parse_interface(parser, match);
	if (nft_token_is(&parser->token, "{"))
		return (match->anonymous = nft_parse_set_elements(parser, type)) != NULL;
	if (parser->token.kind == NFT_TOKEN_SET_REFERENCE)
		return parse_set_reference(parser, context, match);
	if (nft_type_is_bitmask(type)) {
		match->value.form = NFT_FORM_VALUE;
		if (!parse_flags(parser, type, &match->value.low))
			return false;
		match->value.high = match->value.low;
		return true;
	}
	if (!nft_parse_element(parser, type, &match->value))
		return false;
	bool transport_protocol = match->value.low == IP_PROTOCOL_TCP || match->value.low == IP_PROTOCOL_UDP;
	if (type == NFT_TYPE_PROTOCOL && match->operator != NFT_OP_NOT_EQUAL && transport_protocol)
		context->transport_known = true;
	if (type == NFT_TYPE_PROTOCOL && match->operator != NFT_OP_NOT_EQUAL && match->value.low == IP_PROTOCOL_TCP &&
	    match->value.high == IP_PROTOCOL_TCP)
		context->tcp_known = true;
	return true;
}

struct field_word {
	const char *first, *second;    /* second NULL: one word */
	uint8_t field;
};

static const struct field_word field_words[] = {
	{ "iif", NULL, NFT_FIELD_IIF }, { "oif", NULL, NFT_FIELD_OIF }, { "iifname", NULL, NFT_FIELD_IIFNAME },
	{ "oifname", NULL, NFT_FIELD_OIFNAME }, { "meta", "iif", NFT_FIELD_IIF }, { "meta", "oif", NFT_FIELD_OIF },
	{ "meta", "iifname", NFT_FIELD_IIFNAME }, { "meta", "oifname", NFT_FIELD_OIFNAME },
	{ "meta", "l4proto", NFT_FIELD_META_L4PROTO }, { "ip", "saddr", NFT_FIELD_IP_SADDR },
	{ "ip", "daddr", NFT_FIELD_IP_DADDR }, { "ip", "protocol", NFT_FIELD_IP_PROTOCOL },
	{ "tcp", "sport", NFT_FIELD_TCP_SPORT }, { "tcp", "dport", NFT_FIELD_TCP_DPORT },
	{ "tcp", "flags", NFT_FIELD_TCP_FLAGS }, { "udp", "sport", NFT_FIELD_UDP_SPORT },
	{ "udp", "dport", NFT_FIELD_UDP_DPORT }, { "icmp", "type", NFT_FIELD_ICMP_TYPE },
	{ "ct", "state", NFT_FIELD_CT_STATE }, { "ct", "status", NFT_FIELD_CT_STATUS },
};

/* The field the current words name; -1 when they name none (1 when the first word is a field keyword but the second is wrong). */
static int parse_field(struct nft_parser *parser, bool *keyword)
{
	*keyword = false;
	for (size_t i = 0; i < sizeof(field_words) / sizeof(field_words[0]); i++) {
		if (!nft_token_is(&parser->token, field_words[i].first))
			continue;
		*keyword = true;
		if (field_words[i].second == NULL) {
			nft_parser_advance(parser);
			return field_words[i].field;
		}
		struct nft_token next;
		nft_parser_peek(parser, &next);
		if (!nft_token_is(&next, field_words[i].second))
			continue;
		nft_parser_advance(parser);
		nft_parser_advance(parser);
		return field_words[i].field;
	}
	return -1;
}

static bool parse_number_word(struct nft_parser *parser, uint64_t maximum, uint64_t *value)
{
	char word[NFT_WORD_LENGTH], *end;
	if (!nft_parser_word(parser, word, sizeof(word)) || word[0] < '0' || word[0] > '9')
		return nft_parser_unexpected(parser, "number");
	unsigned long long number = strtoull(word, &end, 10);
	if (*end != '\0' || number > maximum)
		return nft_parser_error(parser, &parser->token, "value out of range");
	*value = number;
	nft_parser_advance(parser);
	return true;
}

static bool parse_counter(struct nft_parser *parser, struct nft_item *item)
{
	if (!nft_parser_accept(parser, "packets"))
		return true;
	return parse_number_word(parser, UINT64_MAX, &item->counter.packets) && nft_parser_expect(parser, "bytes") &&
	       parse_number_word(parser, UINT64_MAX, &item->counter.bytes);
}

/* `limit rate [over] N/second|minute|hour|day [burst N packets]` */
static bool parse_limit(struct nft_parser *parser, struct nft_item *item)
{
	static const char *const units[] = { "second", "minute", "hour", "day" };
	if (!nft_parser_expect(parser, "rate"))
		return false;
	item->limit.over = nft_parser_accept(parser, "over");
	char word[NFT_WORD_LENGTH], *end;
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, word, sizeof(word)))
		return nft_parser_unexpected(parser, "rate (N/second)");
	unsigned long rate = strtoul(word, &end, 10);
	if (end == word || *end != '/' || rate == 0 || rate > 1000000000ul)
		return nft_parser_error(parser, &at, "wrong rate format, expecting N/second, N/minute, N/hour or N/day");
	unsigned unit = 0;
	while (unit < 4 && strcmp(end + 1, units[unit]) != 0)
		unit++;
	if (unit == 4)
		return nft_parser_error(parser, &at, "Wrong time format, expecting second, minute, hour or day");
	item->limit.rate = (uint32_t)rate;
	item->limit.unit = (uint8_t)unit;
	nft_parser_advance(parser);
	if (nft_parser_accept(parser, "burst")) {
		uint64_t burst;
		if (!parse_number_word(parser, 1000000, &burst) || !nft_parser_expect(parser, "packets"))
			return false;
		if (burst == 0)
			return nft_parser_error(parser, &at, "burst must be > 0");
		item->limit.burst = (uint32_t)burst;
	}
	return true;
}

static bool parse_log(struct nft_parser *parser, struct nft_item *item)
{
	if (!nft_parser_accept(parser, "prefix"))
		return true;
	if (parser->token.kind != NFT_TOKEN_STRING)
		return nft_parser_unexpected(parser, "string");
	if (!nft_parser_word(parser, item->log.prefix, sizeof(item->log.prefix)))
		return nft_parser_error(parser, &parser->token, "log prefix too long (at most %d characters)",
					NFT_LOG_PREFIX_LENGTH - 1);
	nft_parser_advance(parser);
	return true;
}

struct reject_code {
	const char *name;
	uint8_t code;
};

static const struct reject_code reject_codes[] = {
	{ "net-unreachable", 0 }, { "host-unreachable", 1 }, { "prot-unreachable", 2 }, { "port-unreachable", 3 },
	{ "net-prohibited", 9 }, { "host-prohibited", 10 }, { "admin-prohibited", 13 },
};

const char *nft_reject_code_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof(reject_codes) / sizeof(reject_codes[0]); i++)
		if (reject_codes[i].code == code)
			return reject_codes[i].name;
	return "port-unreachable";
}

/* `reject [with icmp [type] CODE | with tcp reset]` */
static bool parse_reject(struct nft_parser *parser, struct nft_item *item)
{
	item->verdict.icmp_code = 3;             /* port unreachable, nft's default for ip */
	if (!nft_parser_accept(parser, "with"))
		return true;
	item->verdict.reject_with = true;
	if (nft_parser_accept(parser, "tcp")) {
		item->verdict.reject_kind = NFT_REJECT_TCP_RESET;
		return nft_parser_expect(parser, "reset");
	}
	if (!nft_parser_expect(parser, "icmp"))
		return false;
	nft_parser_accept(parser, "type");
	for (size_t i = 0; i < sizeof(reject_codes) / sizeof(reject_codes[0]); i++) {
		if (nft_parser_accept(parser, reject_codes[i].name)) {
			item->verdict.icmp_code = reject_codes[i].code;
			return true;
		}
	}
	return nft_parser_unexpected(parser, "an ICMP unreachable code (port-unreachable, host-unreachable, admin-prohibited ...)");
}

static bool parse_jump(struct nft_parser *parser, struct rule_context *context, struct nft_item *item)
{
	char name[NFT_NAME_LENGTH];
	struct nft_token at = parser->token;
	if (!nft_parser_word(parser, name, sizeof(name)))
		return nft_parser_unexpected(parser, "chain name");
	item->verdict.chain_index = nft_chain_find(context->table, name);
	if (item->verdict.chain_index < 0) {     /* defined further down the file, or an error at the end */
		struct nft_chain *later = nft_chain_add(context->table, name);
		if (later == NULL)
			return nft_parser_error(parser, &at, "Too many chains in table '%s'", context->table->name);
		later->placeholder = true;
		later->placeholder_line = at.line;
		later->placeholder_column = at.column;
		later->placeholder_end_column = at.end_column;
		item->verdict.chain_index = (int)context->table->chain_count - 1;
	}
	item->verdict.load = nft_load_number;
	item->verdict.line = at.line;
	item->verdict.column = at.column;
	item->verdict.end_column = at.end_column;
	if (context->table->chains[item->verdict.chain_index]->base)
		return nft_parser_error(parser, &at, "Could not process rule: Operation not supported (cannot jump to base chain '%s')", name);
	nft_parser_advance(parser);
	return true;
}

/* "A[-B]" into address_min/max; "" leaves them unset. */
static bool parse_nat_addresses(char *text, struct nft_nat_result *nat)
{
	if (*text == '\0')
		return true;
	uint32_t low, high;
	char *dash = strchr(text, '-');
	if (dash)
		*dash = '\0';
	if (!nft_parse_ipv4_address(text, &low) || (dash && !nft_parse_ipv4_address(dash + 1, &high)))
		return false;
	if (!dash)
		high = low;
	if (high < low)
		return false;
	nat->has_address = true;
	nat->address_min = htonl(low);
	nat->address_max = htonl(high);
	return true;
}

/* "P[-Q]" into port_min/max. */
static bool parse_nat_ports(char *text, struct nft_nat_result *nat)
{
	char *dash = strchr(text, '-');
	if (dash)
		*dash = '\0';
	uint32_t low, high;
	if (!nft_parse_port(text, &low) || (dash && !nft_parse_port(dash + 1, &high)))
		return false;
	if (!dash)
		high = low;
	if (high < low || low == 0)
		return false;
	nat->has_port = true;
	nat->port_min = (uint16_t)low;
	nat->port_max = (uint16_t)high;
	return true;
}

/* The hooks where nft allows each NAT statement. */
static bool nat_allowed_at(uint8_t type, uint8_t hook)
{
	if (type == NFT_NAT_DNAT || type == NFT_NAT_REDIRECT)
		return hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_OUT;
	return hook == NF_INET_POST_ROUTING || hook == NF_INET_LOCAL_IN;
}

bool nft_nat_allowed_in(uint8_t type, const struct nft_chain *chain)
{
	return chain->nat_type && nat_allowed_at(type, chain->hook);
}

/* The text of a NAT target, "A[-B][:P[-Q]]", joined from its pieces: nft's
 * scanner ends a variable's name at ':' (a name may hold '-', as nft's
 * [a-zA-Z][a-zA-Z0-9/_.-]*), so `$server:80`, `10.0.0.1:$port` and
 * `10.0.0.1-$last` arrive as several words (each variable spliced in as
 * its value) that nft's grammar puts back together. A piece
 * joins when the text so far ends in ':' or '-' or the piece starts with
 * one; the parser is left on the token after the target. */
static bool read_nat_target(struct nft_parser *parser, char *word, size_t size)
{
	size_t used = 0;
	do {
		if (parser->token.kind != NFT_TOKEN_WORD || !nft_parser_word(parser, word + used, size - used))
			return false;
		used += parser->token.length;
		nft_parser_advance(parser);
	} while (parser->token.kind == NFT_TOKEN_WORD &&
		 (word[used - 1] == ':' || word[used - 1] == '-' || parser->token.text[0] == ':' || parser->token.text[0] == '-'));
	return true;
}

/* `dnat [ip] to A[-B][:P[-Q]]`, `snat ...`, `masquerade [to :P[-Q]]`, `redirect [to [:]P[-Q]]` */
static bool parse_nat(struct nft_parser *parser, struct rule_context *context, struct nft_item *item, uint8_t type,
		      const struct nft_token *at)
{
	item->nat.type = type;
	if (context->chain && context->chain->base && !nft_nat_allowed_in(type, context->chain))
		return nft_parser_error(parser, at, "Could not process rule: Operation not supported (%.*s is not valid in chain '%s')",
					(int)at->length, at->text, context->chain->name);
	bool needs_to = type == NFT_NAT_DNAT || type == NFT_NAT_SNAT;
	if (needs_to)
		nft_parser_accept(parser, "ip");
	if (!nft_parser_accept(parser, "to"))
		return needs_to ? nft_parser_unexpected(parser, "'to'") : true;
	char word[NFT_WORD_LENGTH];
	struct nft_token value = parser->token;
	if (!read_nat_target(parser, word, sizeof(word)))
		return nft_parser_unexpected(parser, "address or :port");
	char *colon = strchr(word, ':');
	if (colon)
		*colon = '\0';
	if (needs_to && word[0] == '\0')
		return nft_parser_error(parser, &value, "%.*s needs an address", (int)at->length, at->text);
	if (!needs_to && word[0] != '\0' && !(type == NFT_NAT_REDIRECT && colon == NULL))
		return nft_parser_error(parser, &value, "only a port range may follow '%.*s to'", (int)at->length, at->text);
	bool ok = type == NFT_NAT_REDIRECT && colon == NULL ? parse_nat_ports(word, &item->nat)
							  : parse_nat_addresses(word, &item->nat) && (!colon || parse_nat_ports(colon + 1, &item->nat));
	if (!ok)
		return nft_parser_error(parser, &value, "Could not parse NAT address or port range");
	if (item->nat.has_port && !context->transport_known)
		return nft_parser_error(parser, &value, "transport protocol mapping is only valid after transport protocol match");
	return true;
}

/* nft gives `reject with tcp reset` its protocol dependency: without a TCP
 * match before it, the rule gets `ip protocol tcp` (`meta l4proto tcp` in
 * inet tables) in front, so it never drops other protocols, and lists it. */
static bool add_reset_dependency(struct nft_parser *parser, struct rule_context *context)
{
	struct nft_rule *rule = context->rule;
	struct nft_item reject = rule->items[rule->item_count - 1];
	if (reject.verdict.reject_kind != NFT_REJECT_TCP_RESET || context->tcp_known)
		return true;
	if (rule->item_count >= NFT_ITEMS_MAX)
		return nft_parser_error(parser, &parser->token, "rule too long (at most %d expressions and statements)", NFT_ITEMS_MAX);
	memmove(&rule->items[1], &rule->items[0], (rule->item_count - 1) * sizeof(rule->items[0]));
	struct nft_item *dependency = &rule->items[0];
	memset(dependency, 0, sizeof(*dependency));
	dependency->kind = NFT_ITEM_MATCH;
	dependency->match.field = context->table->family == NFT_FAMILY_INET ? NFT_FIELD_META_L4PROTO : NFT_FIELD_IP_PROTOCOL;
	dependency->match.set_index = -1;
	dependency->match.value = (struct nft_element){ IP_PROTOCOL_TCP, IP_PROTOCOL_TCP, NFT_FORM_VALUE, 0 };
	rule->items[rule->item_count++] = reject;
	return true;
}

struct verdict_word {
	const char *name;
	uint8_t code;
};

static const struct verdict_word verdict_words[] = {
	{ "accept", NFT_VERDICT_ACCEPT }, { "drop", NFT_VERDICT_DROP }, { "reject", NFT_VERDICT_REJECT },
	{ "jump", NFT_VERDICT_JUMP }, { "goto", NFT_VERDICT_GOTO }, { "return", NFT_VERDICT_RETURN },
};

static const struct verdict_word nat_words[] = {
	{ "dnat", NFT_NAT_DNAT }, { "snat", NFT_NAT_SNAT }, { "masquerade", NFT_NAT_MASQUERADE },
	{ "redirect", NFT_NAT_REDIRECT },
};

static bool parse_statement(struct nft_parser *parser, struct rule_context *context)
{
	struct nft_token at = parser->token;
	struct nft_item *item;
	for (size_t i = 0; i < sizeof(verdict_words) / sizeof(verdict_words[0]); i++) {
		if (!nft_parser_accept(parser, verdict_words[i].name))
			continue;
		if ((item = new_item(parser, context, NFT_ITEM_VERDICT)) == NULL)
			return false;
		item->verdict.code = verdict_words[i].code;
		context->terminated = true;
		if (item->verdict.code == NFT_VERDICT_REJECT)
			return parse_reject(parser, item) && add_reset_dependency(parser, context);
		if (item->verdict.code == NFT_VERDICT_JUMP || item->verdict.code == NFT_VERDICT_GOTO)
			return parse_jump(parser, context, item);
		return true;
	}
	for (size_t i = 0; i < sizeof(nat_words) / sizeof(nat_words[0]); i++) {
		if (!nft_parser_accept(parser, nat_words[i].name))
			continue;
		context->terminated = true;
		return (item = new_item(parser, context, NFT_ITEM_NAT)) && parse_nat(parser, context, item, nat_words[i].code, &at);
	}
	if (nft_parser_accept(parser, "counter"))
		return (item = new_item(parser, context, NFT_ITEM_COUNTER)) && parse_counter(parser, item);
	if (nft_parser_accept(parser, "limit"))
		return (item = new_item(parser, context, NFT_ITEM_LIMIT)) && parse_limit(parser, item);
	if (nft_parser_accept(parser, "log"))
		return (item = new_item(parser, context, NFT_ITEM_LOG)) && parse_log(parser, item);
	return nft_parser_unexpected(parser, NULL);
}

static bool parse_item(struct nft_parser *parser, struct rule_context *context)
{
	if (parser->token.kind == NFT_TOKEN_ERROR)
		return nft_parser_unexpected(parser, NULL);
	if (context->terminated)
		return nft_parser_error(parser, &parser->token, "syntax error, statement after a verdict");
	bool keyword;
	struct nft_token at = parser->token;
	int field = parse_field(parser, &keyword);
	if (field >= 0) {
		if (field >= NFT_FIELD_TCP_SPORT && field <= NFT_FIELD_UDP_DPORT)
			context->transport_known = true;
		if (field >= NFT_FIELD_TCP_SPORT && field <= NFT_FIELD_TCP_FLAGS)
			context->tcp_known = true;
		return parse_match(parser, context, (enum nft_field)field);
	}
	if (keyword) {
		nft_parser_advance(parser);
		char buffer[48];
		snprintf(buffer, sizeof(buffer), "a field of '%.*s'", (int)at.length, at.text);
		return nft_parser_unexpected(parser, buffer);
	}
	return parse_statement(parser, context);
}

bool nft_parse_rule(struct nft_parser *parser, struct nft_table *table, struct nft_chain *chain, struct nft_rule *rule)
{
	struct rule_context context = { .table = table, .chain = chain, .rule = rule };
	if (nft_parser_at_statement_end(parser))
		return nft_parser_unexpected(parser, "a match or a statement");
	while (!nft_parser_at_statement_end(parser))
		if (!parse_item(parser, &context))
			return false;
	return true;
}
