/* nft_names.c - the words of nft's language for values, declared once:
 * fields and their types, protocol / ICMP type / TCP flag / ct state and
 * status names (as nft spells them, `nft describe`), hook names and the
 * standard chain priorities (nft(8) "CHAINS": raw -300, mangle -150,
 * dstnat -100, filter 0, security 50, srcnat 100). */
#include <stdio.h>
#include <string.h>

#include "net/netfilter/nft_internal.h"

struct field_description {
	const char *name;
	uint8_t type;
};

static const struct field_description fields[NFT_FIELD_COUNT] = {
	[NFT_FIELD_IIF] = { "iif", NFT_TYPE_IFACE },
	[NFT_FIELD_OIF] = { "oif", NFT_TYPE_IFACE },
	[NFT_FIELD_IIFNAME] = { "iifname", NFT_TYPE_IFNAME },
	[NFT_FIELD_OIFNAME] = { "oifname", NFT_TYPE_IFNAME },
	[NFT_FIELD_META_L4PROTO] = { "meta l4proto", NFT_TYPE_PROTOCOL },
	[NFT_FIELD_IP_SADDR] = { "ip saddr", NFT_TYPE_ADDRESS },
	[NFT_FIELD_IP_DADDR] = { "ip daddr", NFT_TYPE_ADDRESS },
	[NFT_FIELD_IP_PROTOCOL] = { "ip protocol", NFT_TYPE_PROTOCOL },
	[NFT_FIELD_TCP_SPORT] = { "tcp sport", NFT_TYPE_PORT },
	[NFT_FIELD_TCP_DPORT] = { "tcp dport", NFT_TYPE_PORT },
	[NFT_FIELD_TCP_FLAGS] = { "tcp flags", NFT_TYPE_TCP_FLAGS },
	[NFT_FIELD_UDP_SPORT] = { "udp sport", NFT_TYPE_PORT },
	[NFT_FIELD_UDP_DPORT] = { "udp dport", NFT_TYPE_PORT },
	[NFT_FIELD_ICMP_TYPE] = { "icmp type", NFT_TYPE_ICMP_TYPE },
	[NFT_FIELD_CT_STATE] = { "ct state", NFT_TYPE_CT_STATE },
	[NFT_FIELD_CT_STATUS] = { "ct status", NFT_TYPE_CT_STATUS },
};

enum nft_value_type nft_field_type(enum nft_field field) { return fields[field].type; }
const char *nft_field_name(enum nft_field field) { return fields[field].name; }

struct symbol {
	uint8_t type;
	const char *name;
	uint32_t value;
};

/* Printing takes the first name of a value. */
static const struct symbol symbols[] = {
	{ NFT_TYPE_PROTOCOL, "icmp", 1 }, { NFT_TYPE_PROTOCOL, "igmp", 2 }, { NFT_TYPE_PROTOCOL, "tcp", 6 },
	{ NFT_TYPE_PROTOCOL, "udp", 17 }, { NFT_TYPE_PROTOCOL, "gre", 47 }, { NFT_TYPE_PROTOCOL, "esp", 50 },
	{ NFT_TYPE_PROTOCOL, "ah", 51 }, { NFT_TYPE_PROTOCOL, "sctp", 132 }, { NFT_TYPE_PROTOCOL, "udplite", 136 },
	{ NFT_TYPE_ICMP_TYPE, "echo-reply", 0 }, { NFT_TYPE_ICMP_TYPE, "destination-unreachable", 3 },
	{ NFT_TYPE_ICMP_TYPE, "source-quench", 4 }, { NFT_TYPE_ICMP_TYPE, "redirect", 5 },
	{ NFT_TYPE_ICMP_TYPE, "echo-request", 8 }, { NFT_TYPE_ICMP_TYPE, "router-advertisement", 9 },
	{ NFT_TYPE_ICMP_TYPE, "router-solicitation", 10 }, { NFT_TYPE_ICMP_TYPE, "time-exceeded", 11 },
	{ NFT_TYPE_ICMP_TYPE, "parameter-problem", 12 }, { NFT_TYPE_ICMP_TYPE, "timestamp-request", 13 },
	{ NFT_TYPE_ICMP_TYPE, "timestamp-reply", 14 }, { NFT_TYPE_ICMP_TYPE, "info-request", 15 },
	{ NFT_TYPE_ICMP_TYPE, "info-reply", 16 }, { NFT_TYPE_ICMP_TYPE, "address-mask-request", 17 },
	{ NFT_TYPE_ICMP_TYPE, "address-mask-reply", 18 },
	{ NFT_TYPE_TCP_FLAGS, "fin", 0x01 }, { NFT_TYPE_TCP_FLAGS, "syn", 0x02 }, { NFT_TYPE_TCP_FLAGS, "rst", 0x04 },
	{ NFT_TYPE_TCP_FLAGS, "psh", 0x08 }, { NFT_TYPE_TCP_FLAGS, "ack", 0x10 }, { NFT_TYPE_TCP_FLAGS, "urg", 0x20 },
	{ NFT_TYPE_TCP_FLAGS, "ecn", 0x40 }, { NFT_TYPE_TCP_FLAGS, "cwr", 0x80 },
	{ NFT_TYPE_CT_STATE, "invalid", NF_CT_STATE_INVALID }, { NFT_TYPE_CT_STATE, "established", NF_CT_STATE_ESTABLISHED },
	{ NFT_TYPE_CT_STATE, "related", NF_CT_STATE_RELATED }, { NFT_TYPE_CT_STATE, "new", NF_CT_STATE_NEW },
	{ NFT_TYPE_CT_STATE, "untracked", NF_CT_STATE_UNTRACKED },
	{ NFT_TYPE_CT_STATUS, "expected", NF_CT_STATUS_EXPECTED }, { NFT_TYPE_CT_STATUS, "seen-reply", NF_CT_STATUS_SEEN_REPLY },
	{ NFT_TYPE_CT_STATUS, "assured", NF_CT_STATUS_ASSURED }, { NFT_TYPE_CT_STATUS, "confirmed", NF_CT_STATUS_CONFIRMED },
	{ NFT_TYPE_CT_STATUS, "snat", NF_CT_STATUS_SRC_NAT }, { NFT_TYPE_CT_STATUS, "dnat", NF_CT_STATUS_DST_NAT },
	/* Services (nft accepts /etc/services names; prints numbers unless -S). */
	{ NFT_TYPE_PORT, "ftp", 21 }, { NFT_TYPE_PORT, "ssh", 22 }, { NFT_TYPE_PORT, "telnet", 23 },
	{ NFT_TYPE_PORT, "smtp", 25 }, { NFT_TYPE_PORT, "domain", 53 }, { NFT_TYPE_PORT, "bootps", 67 },
	{ NFT_TYPE_PORT, "bootpc", 68 }, { NFT_TYPE_PORT, "http", 80 }, { NFT_TYPE_PORT, "ntp", 123 },
	{ NFT_TYPE_PORT, "https", 443 },
};

int64_t nft_symbol_value(enum nft_value_type type, const char *word)
{
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (symbols[i].type == type && strcmp(symbols[i].name, word) == 0)
			return symbols[i].value;
	return -1;
}

const char *nft_value_symbol(enum nft_value_type type, uint32_t value)
{
	if (type == NFT_TYPE_PORT)
		return NULL;
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (symbols[i].type == type && symbols[i].value == value)
			return symbols[i].name;
	return NULL;
}

bool nft_type_is_bitmask(enum nft_value_type type)
{
	return type == NFT_TYPE_TCP_FLAGS || type == NFT_TYPE_CT_STATE || type == NFT_TYPE_CT_STATUS;
}

const char *nft_hook_spelling(uint8_t hook) { return nf_hook_name((enum nf_inet_hook)hook); }

struct priority_name {
	const char *name;
	int value;
};

static const struct priority_name priority_names[] = {
	{ "raw", NF_IP_PRI_RAW }, { "mangle", -150 }, { "dstnat", NF_IP_PRI_NAT_DST },
	{ "filter", NF_IP_PRI_FILTER }, { "security", 50 }, { "srcnat", NF_IP_PRI_NAT_SRC },
};

#define PRIORITY_NAMES (sizeof(priority_names) / sizeof(priority_names[0]))
#define PRIORITY_NAME_OFFSET_MAX 10   /* nft prints "name + N" only near a standard value */

bool nft_priority_name_value(const char *word, int *value)
{
	for (size_t i = 0; i < PRIORITY_NAMES; i++) {
		if (strcmp(priority_names[i].name, word) == 0) {
			*value = priority_names[i].value;
			return true;
		}
	}
	return false;
}

/* nft prints a standard priority by name where the name suits the chain:
 * dstnat on prerouting/output, srcnat on input/postrouting. */
static bool name_suits(const struct priority_name *name, uint8_t hook)
{
	if (name->value == NF_IP_PRI_NAT_DST)
		return hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_OUT;
	if (name->value == NF_IP_PRI_NAT_SRC)
		return hook == NF_INET_POST_ROUTING || hook == NF_INET_LOCAL_IN;
	return true;
}

void nft_priority_format(char *buffer, size_t size, int priority, bool nat_type, uint8_t hook)
{
	for (size_t i = 0; i < PRIORITY_NAMES; i++) {
		const struct priority_name *name = &priority_names[i];
		int offset = priority - name->value;
		if (!name_suits(name, hook) || offset > PRIORITY_NAME_OFFSET_MAX || offset < -PRIORITY_NAME_OFFSET_MAX)
			continue;
		if (offset == 0)
			snprintf(buffer, size, "%s", name->name);
		else
			snprintf(buffer, size, "%s %c %d", name->name, offset > 0 ? '+' : '-', offset > 0 ? offset : -offset);
		return;
	}
	snprintf(buffer, size, "%d", priority);
}
