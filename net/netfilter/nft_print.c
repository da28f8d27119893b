/* nft_print.c - `nft list ruleset` in nft's canonical layout: tables,
 * then sets and chains tab-indented with a blank line between blocks,
 * the base chain line `type filter hook input priority filter; policy
 * drop;`, rules as nft normalizes them (implicit ==, numbers for ports,
 * names for protocols, ICMP types and flags, counters with their values);
 * `-a` adds `# handle N`. What this prints parses back to the same
 * ruleset (tests/host/nft_check.c checks the round trip). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net/netfilter/nft_internal.h"
#include "net/netfilter/nft_parser_internal.h"

#define PRINT_BUFFER 512

static void emit(struct nft_printer *printer, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct nft_printer *printer, const char *format, ...)
{
	char buffer[PRINT_BUFFER];
	va_list arguments;
	va_start(arguments, format);
	int length = vsnprintf(buffer, sizeof(buffer), format, arguments);
	va_end(arguments);
	if (length > 0)
		printer->output(printer->context, buffer, (size_t)length < sizeof(buffer) ? (size_t)length : sizeof(buffer) - 1);
}

static void print_scalar(struct nft_printer *printer, enum nft_value_type type, uint32_t value)
{
	const char *symbol = nft_value_symbol(type, value);
	if (symbol)
		emit(printer, "%s", symbol);
	else if (type == NFT_TYPE_ADDRESS)
		emit(printer, "%u.%u.%u.%u", value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);
	else
		emit(printer, "%u", value);
}

static void print_bits(struct nft_printer *printer, enum nft_value_type type, uint32_t bits, bool parenthesized)
{
	const char *separator = type == NFT_TYPE_TCP_FLAGS ? " | " : ",";
	unsigned count = 0;
	for (uint32_t bit = 1; bit && bit <= bits; bit <<= 1)
		count += (bits & bit) != 0;
	if (parenthesized && count > 1)
		emit(printer, "(");
	bool first = true;
	for (uint32_t bit = 1; bit && bit <= bits; bit <<= 1) {
		if (!(bits & bit))
			continue;
		emit(printer, "%s", first ? "" : separator);
		print_scalar(printer, type, bit);
		first = false;
	}
	if (first)
		emit(printer, "0");
	if (parenthesized && count > 1)
		emit(printer, ")");
}

static void print_element(struct nft_printer *printer, enum nft_value_type type, const struct nft_element *element)
{
	if (nft_type_is_bitmask(type)) {
		print_bits(printer, type, element->low, false);
		return;
	}
	print_scalar(printer, type, element->low);
	if (element->form == NFT_FORM_PREFIX) {
		emit(printer, "/%u", element->prefix_length);
	} else if (element->form == NFT_FORM_RANGE) {
		emit(printer, "-");
		print_scalar(printer, type, element->high);
	}
}

static void print_elements(struct nft_printer *printer, const struct nft_set *set)
{
	emit(printer, "{ ");
	for (uint32_t i = 0; i < set->element_count; i++) {
		emit(printer, "%s", i ? ", " : "");
		print_element(printer, set->key_type, &set->elements[i]);
	}
	emit(printer, " }");
}

static void print_match(struct nft_printer *printer, const struct nft_table *table, const struct nft_match *match)
{
	enum nft_value_type type = nft_field_type(match->field);
	emit(printer, "%s ", nft_field_name(match->field));
	if (match->has_mask) {
		emit(printer, "& ");
		print_bits(printer, type, match->mask, true);
		emit(printer, " ");
	}
	if (match->operator == NFT_OP_NOT_EQUAL)
		emit(printer, "!= ");
	else if (match->operator == NFT_OP_EQUAL && nft_type_is_bitmask(type) && !match->anonymous && match->set_index < 0)
		emit(printer, "== ");
	else if (match->has_mask)
		emit(printer, "== ");
	if (match->interfaces) {
		emit(printer, "{ ");
		for (unsigned i = 0; i < match->interfaces->count; i++)
			emit(printer, "%s\"%s\"", i ? ", " : "", match->interfaces->names[i]);
		emit(printer, " }");
	} else if (type == NFT_TYPE_IFACE || type == NFT_TYPE_IFNAME)
		emit(printer, "\"%s\"", match->ifname);
	else if (match->anonymous)
		print_elements(printer, match->anonymous);
	else if (match->set_index >= 0)
		emit(printer, "@%s", table->sets[match->set_index]->name);
	else
		print_element(printer, type, &match->value);
}

static void print_nat(struct nft_printer *printer, const struct nft_table *table, const struct nft_nat_result *nat)
{
	static const char *const names[] = { "", "dnat", "snat", "masquerade", "redirect" };
	emit(printer, "%s", names[nat->type]);
	if (!nat->has_address && !nat->has_port)
		return;
	bool address_family = nat->type == NFT_NAT_DNAT || nat->type == NFT_NAT_SNAT;
	emit(printer, "%s to ", address_family && table->family == NFT_FAMILY_INET ? " ip" : "");
	if (nat->has_address) {
		print_scalar(printer, NFT_TYPE_ADDRESS, ntohl(nat->address_min));
		if (nat->address_max != nat->address_min) {
			emit(printer, "-");
			print_scalar(printer, NFT_TYPE_ADDRESS, ntohl(nat->address_max));
		}
	}
	if (nat->has_port) {
		emit(printer, ":%u", nat->port_min);
		if (nat->port_max != nat->port_min)
			emit(printer, "-%u", nat->port_max);
	}
}

static void print_verdict(struct nft_printer *printer, const struct nft_table *table, const struct nft_item *item)
{
	static const char *const names[] = { "", "accept", "drop", "reject", "jump", "goto", "return" };
	emit(printer, "%s", names[item->verdict.code]);
	if (item->verdict.code == NFT_VERDICT_JUMP || item->verdict.code == NFT_VERDICT_GOTO)
		emit(printer, " %s", table->chains[item->verdict.chain_index]->name);
	if (item->verdict.code != NFT_VERDICT_REJECT)
		return;
	if (item->verdict.reject_kind == NFT_REJECT_TCP_RESET)
		emit(printer, " with tcp reset");
	else if (item->verdict.icmp_code != 3)
		emit(printer, " with icmp %s", nft_reject_code_name(item->verdict.icmp_code));
}

static void print_item(struct nft_printer *printer, const struct nft_table *table, const struct nft_item *item)
{
	static const char *const units[] = { "second", "minute", "hour", "day" };
	switch (item->kind) {
	case NFT_ITEM_MATCH:
		print_match(printer, table, &item->match);
		break;
	case NFT_ITEM_COUNTER:
		emit(printer, "counter packets %llu bytes %llu", (unsigned long long)item->counter.packets,
		     (unsigned long long)item->counter.bytes);
		break;
	case NFT_ITEM_LIMIT:
		emit(printer, "limit rate %s%u/%s", item->limit.over ? "over " : "", item->limit.rate, units[item->limit.unit]);
		if (item->limit.burst)
			emit(printer, " burst %u packets", item->limit.burst);
		break;
	case NFT_ITEM_LOG:
		emit(printer, item->log.prefix[0] ? "log prefix \"%s\"" : "log", item->log.prefix);
		break;
	case NFT_ITEM_VERDICT:
		print_verdict(printer, table, item);
		break;
	case NFT_ITEM_NAT:
		print_nat(printer, table, &item->nat);
		break;
	}
}

static void print_handle(struct nft_printer *printer, uint32_t handle)
{
	if (printer->handles)
		emit(printer, " # handle %u", handle);
	emit(printer, "\n");
}

static void print_set(struct nft_printer *printer, const struct nft_set *set)
{
	emit(printer, "\tset %s {", set->name);
	print_handle(printer, set->handle);
	emit(printer, "\t\ttype %s\n", nft_set_type_name(set->key_type));
	if (set->interval)
		emit(printer, "\t\tflags interval\n");
	if (set->element_count) {
		emit(printer, "\t\telements = ");
		print_elements(printer, set);
		emit(printer, "\n");
	}
	emit(printer, "\t}\n");
}

static void print_chain(struct nft_printer *printer, const struct nft_table *table, const struct nft_chain *chain)
{
	emit(printer, "\tchain %s {", chain->name);
	print_handle(printer, chain->handle);
	if (chain->base) {
		char priority[40];
		nft_priority_format(priority, sizeof(priority), chain->priority, chain->nat_type, chain->hook);
		emit(printer, "\t\ttype %s hook %s priority %s; policy %s;\n", chain->nat_type ? "nat" : "filter",
		     nft_hook_spelling(chain->hook), priority, chain->policy_drop ? "drop" : "accept");
	}
	for (uint32_t r = 0; r < chain->rule_count; r++) {
		const struct nft_rule *rule = chain->rules[r];
		emit(printer, "\t\t");
		for (unsigned i = 0; i < rule->item_count; i++) {
			emit(printer, "%s", i ? " " : "");
			print_item(printer, table, &rule->items[i]);
		}
		print_handle(printer, rule->handle);
	}
	emit(printer, "\t}\n");
}

void nft_print_table(const struct nft_table *table, struct nft_printer *printer)
{
	emit(printer, "table %s %s {", table->family == NFT_FAMILY_INET ? "inet" : "ip", table->name);
	print_handle(printer, table->handle);
	bool first = true;
	for (uint32_t s = 0; s < table->set_count; s++, first = false) {
		emit(printer, "%s", first ? "" : "\n");
		print_set(printer, table->sets[s]);
	}
	for (uint32_t c = 0; c < table->chain_count; c++, first = false) {
		emit(printer, "%s", first ? "" : "\n");
		print_chain(printer, table, table->chains[c]);
	}
	emit(printer, "}\n");
}

void nft_print_ruleset(const struct nft_ruleset *ruleset, struct nft_printer *printer)
{
	for (uint32_t t = 0; ruleset && t < ruleset->table_count; t++)
		nft_print_table(ruleset->tables[t], printer);
}
