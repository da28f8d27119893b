/* nft_eval.c - the evaluator: a base chain's rules in order, each rule's
 * items in order (a failed match ends the rule; counters, limits and logs
 * act where they stand), jump/goto/return on a stack of at most
 * NFT_JUMP_STACK_SIZE frames (deeper rulesets are refused at load, so the
 * bound is never reached here). Reads only struct nft_packet. */
#include <string.h>

#include "net/core/byteorder.h"
#include "net/netfilter/nft_internal.h"
#include "net/wire/ipv4.h"

#define NANOSECONDS_PER_SECOND 1000000000ull
#define NFT_LIMIT_DEFAULT_BURST 5     /* nft's default burst, in packets */

bool nft_packet_from_pkt(struct nft_packet *packet, const struct pkt *pkt, const struct nf_hook_state *state,
			 uint64_t now_ns)
{
	const uint8_t *network = pkt_network_header(pkt);
	if (network < pkt->data || network >= pkt->data + pkt->length || pkt->protocol != 0x0800)
		return false;
	uint32_t available = (uint32_t)(pkt->data + pkt->length - network);
	const struct ipv4_header *header = (const struct ipv4_header *)network;
	unsigned header_length = ipv4_header_length(header);
	if (available < IPV4_HEADER_MIN_LENGTH || header_length < IPV4_HEADER_MIN_LENGTH || header_length > available)
		return false;
	uint32_t total = ntohs(header->total_length);
	uint32_t length = pkt_total_length(pkt) - (uint32_t)(network - pkt->data);
	*packet = (struct nft_packet){
		.network = network,
		.length = pkt->gso_size || total > length ? length : total,
		.protocol = header->protocol,
		.in = state->in,
		.out = state->out,
		.ct_state = pkt->conntrack_state,
		.ct_status = pkt->conntrack_status,
		.now_ns = now_ns,
	};
	if (ipv4_fragment_offset(header) == 0) {   /* later fragments carry no transport header */
		uint32_t end = total < available && total >= header_length ? total : available;
		packet->transport = network + header_length;
		packet->transport_length = end - header_length;
	}
	return true;
}

static bool read_port(const struct nft_packet *packet, uint8_t protocol, unsigned offset, uint32_t *value)
{
	if (packet->protocol != protocol || packet->transport == NULL || packet->transport_length < offset + 2)
		return false;
	*value = (uint32_t)packet->transport[offset] << 8 | packet->transport[offset + 1];
	return true;
}

static uint32_t read_address(const struct nft_packet *packet, unsigned offset)
{
	const uint8_t *at = packet->network + offset;
	return (uint32_t)at[0] << 24 | (uint32_t)at[1] << 16 | (uint32_t)at[2] << 8 | at[3];
}

#define IPV4_SOURCE_OFFSET 12
#define IPV4_DESTINATION_OFFSET 16
#define TCP_FLAGS_OFFSET 13

/* The field's value in packet; false when the packet has no such field
 * (nft: the rule does not match, whatever the operator). */
static bool read_field(const struct nft_packet *packet, enum nft_field field, uint32_t *value)
{
	switch (field) {
	case NFT_FIELD_META_L4PROTO:
	case NFT_FIELD_IP_PROTOCOL:
		*value = packet->protocol;
		return true;
	case NFT_FIELD_IP_SADDR:
		*value = read_address(packet, IPV4_SOURCE_OFFSET);
		return true;
	case NFT_FIELD_IP_DADDR:
		*value = read_address(packet, IPV4_DESTINATION_OFFSET);
		return true;
	case NFT_FIELD_TCP_SPORT: return read_port(packet, IP_PROTOCOL_TCP, 0, value);
	case NFT_FIELD_TCP_DPORT: return read_port(packet, IP_PROTOCOL_TCP, 2, value);
	case NFT_FIELD_UDP_SPORT: return read_port(packet, IP_PROTOCOL_UDP, 0, value);
	case NFT_FIELD_UDP_DPORT: return read_port(packet, IP_PROTOCOL_UDP, 2, value);
	case NFT_FIELD_TCP_FLAGS:
		if (packet->protocol != IP_PROTOCOL_TCP || packet->transport == NULL ||
		    packet->transport_length <= TCP_FLAGS_OFFSET)
			return false;
		*value = packet->transport[TCP_FLAGS_OFFSET];
		return true;
	case NFT_FIELD_ICMP_TYPE:
		if (packet->protocol != IP_PROTOCOL_ICMP || packet->transport == NULL || packet->transport_length < 1)
			return false;
		*value = packet->transport[0];
		return true;
	case NFT_FIELD_CT_STATE:      /* without a conntrack lookup the ct expression does not match */
		*value = packet->ct_state;
		return packet->ct_state != 0;
	case NFT_FIELD_CT_STATUS:
		*value = packet->ct_status;
		return packet->ct_state != 0;
	default:
		return false;
	}
}

/* iifname "eth*" matches every name starting with "eth", as nft's wildcard. */
static bool name_matches(const char *pattern, const char *name)
{
	size_t length = strlen(pattern);
	if (length && pattern[length - 1] == '*')
		return strncmp(pattern, name, length - 1) == 0;
	return strcmp(pattern, name) == 0;
}

static bool device_matches(const struct nft_match *match, const struct nft_packet *packet)
{
	const struct netdev *device = match->field == NFT_FIELD_IIF || match->field == NFT_FIELD_IIFNAME ? packet->in
													    : packet->out;
	if (device == NULL)
		return false;
	bool hit = false;
	if (match->interfaces) {          /* at most NFT_INTERFACE_LIST_MAX: a bounded walk */
		for (unsigned i = 0; i < match->interfaces->count && !hit; i++)
			hit = match->interfaces->devices[i] ? device == match->interfaces->devices[i]
							    : name_matches(match->interfaces->names[i], device->name);
	} else {
		hit = match->device ? device == match->device : name_matches(match->ifname, device->name);
	}
	return match->operator == NFT_OP_NOT_EQUAL ? !hit : hit;
}

bool nft_match_evaluate(const struct nft_table *table, const struct nft_match *match, const struct nft_packet *packet)
{
	if (match->field <= NFT_FIELD_OIFNAME)
		return device_matches(match, packet);
	uint32_t value;
	if (!read_field(packet, match->field, &value))
		return false;
	if (match->has_mask)
		value &= match->mask;
	bool hit;
	if (match->anonymous)
		hit = nft_set_contains(match->anonymous, value);
	else if (match->set_index >= 0)
		hit = nft_set_contains(table->sets[match->set_index], value);
	else if (match->operator == NFT_OP_IMPLICIT && !match->has_mask && nft_type_is_bitmask(nft_field_type(match->field)))
		hit = (value & match->value.low) != 0;
	else
		hit = value >= match->value.low && value <= match->value.high;
	return match->operator == NFT_OP_NOT_EQUAL ? !hit : hit;
}

static uint64_t limit_unit_ns(uint8_t unit)
{
	static const uint64_t seconds[] = { 1, 60, 3600, 86400 };
	return seconds[unit] * NANOSECONDS_PER_SECOND;
}

/* A token bucket counted in nanoseconds of credit: each packet costs
 * unit/rate, the bucket holds burst packets' worth (nft_limit.c's model).
 * True when the packet is within the rate. */
static bool limit_conforms(struct nft_item *item, uint64_t now_ns)
{
	uint64_t cost = limit_unit_ns(item->limit.unit) / (item->limit.rate ? item->limit.rate : 1);
	uint32_t burst = item->limit.burst ? item->limit.burst : NFT_LIMIT_DEFAULT_BURST;
	uint64_t capacity = cost * burst;
	if (item->limit.last_ns == 0) {
		item->limit.tokens_ns = capacity;
	} else if (now_ns > item->limit.last_ns) {
		uint64_t elapsed = now_ns - item->limit.last_ns;
		item->limit.tokens_ns = elapsed >= capacity || item->limit.tokens_ns + elapsed >= capacity
						? capacity : item->limit.tokens_ns + elapsed;
	}
	item->limit.last_ns = now_ns ? now_ns : 1;
	if (item->limit.tokens_ns < cost)
		return false;
	item->limit.tokens_ns -= cost;
	return true;
}

/* Runs rule's items; returns the verdict item reached, or NULL (no match or no verdict). */
static const struct nft_item *rule_evaluate(const struct nft_table *table, struct nft_rule *rule,
					    const struct nft_packet *packet)
{
	for (unsigned i = 0; i < rule->item_count; i++) {
		struct nft_item *item = &rule->items[i];
		switch (item->kind) {
		case NFT_ITEM_MATCH:
			if (!nft_match_evaluate(table, &item->match, packet))
				return NULL;
			break;
		case NFT_ITEM_COUNTER:
			item->counter.packets++;
			item->counter.bytes += packet->length;
			break;
		case NFT_ITEM_LIMIT:
			if (limit_conforms(item, packet->now_ns) == item->limit.over)
				return NULL;
			break;
		case NFT_ITEM_LOG:
			nft_log_packet(item->log.prefix, packet, packet->now_ns);
			break;
		case NFT_ITEM_VERDICT:
		case NFT_ITEM_NAT:
			return item;
		}
	}
	return NULL;
}

struct jump_frame {
	const struct nft_chain *chain;
	uint32_t next_rule;
};

void nft_chain_evaluate(const struct nft_chain *chain, const struct nft_packet *packet, struct nft_outcome *outcome)
{
	const struct nft_table *table = chain->table;
	struct jump_frame stack[NFT_JUMP_STACK_SIZE];
	unsigned depth = 0;
	const struct nft_chain *current = chain;
	uint32_t next = 0;
	*outcome = (struct nft_outcome){ .code = NFT_VERDICT_ACCEPT };
	for (;;) {
		const struct nft_item *verdict = NULL;
		if (next < current->rule_count)
			verdict = rule_evaluate(table, current->rules[next++], packet);
		else if (depth == 0)
			break;
		else
			verdict = NULL, current = stack[--depth].chain, next = stack[depth].next_rule;
		if (verdict == NULL)
			continue;
		uint8_t code = verdict->kind == NFT_ITEM_NAT ? NFT_VERDICT_NAT : verdict->verdict.code;
		if (code == NFT_VERDICT_JUMP && depth < NFT_JUMP_STACK_SIZE) {
			stack[depth++] = (struct jump_frame){ current, next };
			current = table->chains[verdict->verdict.chain_index], next = 0;
		} else if (code == NFT_VERDICT_GOTO) {
			current = table->chains[verdict->verdict.chain_index], next = 0;
		} else if (code == NFT_VERDICT_RETURN) {
			if (depth == 0)
				break;
			current = stack[--depth].chain, next = stack[depth].next_rule;
		} else if (code != NFT_VERDICT_JUMP && code != NFT_VERDICT_NONE) {
			outcome->code = code;
			outcome->verdict = verdict;
			return;
		}
	}
	outcome->by_policy = true;
	outcome->code = chain->policy_drop ? NFT_VERDICT_DROP : NFT_VERDICT_ACCEPT;
}
