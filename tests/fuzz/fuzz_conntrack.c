/* fuzz_conntrack.c - libFuzzer harness: IPv4 datagrams through connection
 * tracking and NAT (net/netfilter/conntrack*.c, nat*.c, hook.c) along the
 * hooks of a forwarded, local-in or local-out path, compiled unchanged
 * over a small table (nf_conntrack_max 64, so early drop and the
 * table-full drop are reached), a fake NAT rule engine and
 * tests/host/host_time_shim.c's clock (the expiry sweep runs on it).
 *
 * Input: byte 0 picks the NAT rules (none, masquerade, SNAT to four
 * ports, DNAT of port 80, redirect). Then records, each a control byte,
 * a 2-byte big-endian length (cut to 1500 and to what is left) and the
 * datagram. Control bits: 0-1 the path (forward out, forward in, local
 * in, local out); 2-3 first move the clock on (1 s, 30 s, 200 s); 4 fix
 * the IPv4 header (version, IHL at least 5, total length, checksum); 5
 * fix the transport checksum; 6 mark it CHECKSUM_PARTIAL (checksum
 * field = pseudo-header sum); 7 mark the checksum verified by the NIC.
 *
 * Oracles: a packet whose checksums were fixed and complete keeps them
 * valid through NAT; after each input the table is flushed, and every
 * entry must be back in the pool and every pkt freed
 * (a leak aborts). A kernel panic() is an abort too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "net/ipv4/interface.h"
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/conntrack_sysctl.h"
#include "net/netfilter/nat.h"
#include "net/wire/ipv4.h"
#include "tests/host/host_check.h"
#include "tests/host/host_time_shim.h"

#define POOL_SIZE 64
#define DATAGRAM_MAX 1500u
#define ADDRESS(a, b, c, d) __builtin_bswap32(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	(void)reason;
	pkt_free(pkt);
}

static struct netdev inside_device = { .name = "eth0" }, outside_device = { .name = "eth1" };
static struct net_interface interfaces[2] = {
	{ &inside_device, ADDRESS(10, 97, 0, 1), ADDRESS(255, 255, 255, 0), 0 },
	{ &outside_device, ADDRESS(10, 98, 0, 1), ADDRESS(255, 255, 255, 0), 0 },
};

struct net_interface *net_interface_of(const struct netdev *dev)
{
	return dev == &inside_device ? &interfaces[0] : dev == &outside_device ? &interfaces[1] : NULL;
}

/* No address ever changes here. */
int net_interface_watch_address_removal(net_interface_address_watcher watcher)
{
	(void)watcher;
	return 0;
}

int conntrack_table_allocate(unsigned wanted_entries)
{
	static uint8_t memory[64 * sizeof(struct nf_conn) + 64 * sizeof(uint32_t)];
	(void)wanted_entries;
	conntrack_table_attach(memory, 64, 64);
	return 0;
}

static uint8_t nat_mode;

static enum nf_verdict fake_lookup(struct pkt *pkt, const struct nf_hook_state *state, struct nat_range *range)
{
	(void)pkt;
	if (nat_mode == 1 && state->hook == NF_INET_POST_ROUTING)
		*range = (struct nat_range){ .kind = NAT_KIND_MASQUERADE };
	if (nat_mode == 2 && state->hook == NF_INET_POST_ROUTING)
		*range = (struct nat_range){ NAT_KIND_SNAT, NAT_RANGE_HAS_ADDRESS | NAT_RANGE_HAS_PORTS,
					     ADDRESS(10, 98, 0, 1), ADDRESS(10, 98, 0, 1), 50000, 50003 };
	if (nat_mode == 3 && state->hook == NF_INET_PRE_ROUTING)
		*range = (struct nat_range){ NAT_KIND_DNAT, NAT_RANGE_HAS_ADDRESS | NAT_RANGE_HAS_PORTS,
					     ADDRESS(10, 97, 0, 2), ADDRESS(10, 97, 0, 3), 8080, 8080 };
	if (nat_mode == 4 && (state->hook == NF_INET_PRE_ROUTING || state->hook == NF_INET_LOCAL_OUT))
		*range = (struct nat_range){ .kind = NAT_KIND_REDIRECT, .flags = NAT_RANGE_HAS_PORTS, .port_min = 1,
					     .port_max = 3 };
	return NF_ACCEPT;
}

static void start_once(void)
{
	static int started;
	if (started)
		return;
	static uint8_t buffers[POOL_SIZE * PKT_BUFFER_SIZE];
	static struct pkt descriptors[POOL_SIZE];
	static uint8_t in_use[POOL_SIZE];
	pkt_pool_attach(buffers, descriptors, in_use, POOL_SIZE);
	nf_conntrack_max = 64;
	if (nat_enable() != 0)
		abort();
	nat_set_rule_lookup(fake_lookup);
	started = 1;
}

static uint16_t checksum_offset(uint8_t protocol)
{
	return protocol == IP_PROTOCOL_TCP ? 16 : protocol == IP_PROTOCOL_UDP ? 6 : protocol == IP_PROTOCOL_ICMP ? 2 : 0;
}

/* The transport checksum of the datagram at data, length bytes (IPv4 header valid). */
static uint16_t transport_sum(const uint8_t *data, uint32_t length, bool pseudo_only)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)data;
	unsigned header_length = ipv4_header_length(ip);
	uint32_t transport_length = length - header_length;
	uint64_t sum = 0;
	if (ip->protocol != IP_PROTOCOL_ICMP)
		sum += ipv4_pseudo_header_sum(ip->source, ip->destination, ip->protocol, transport_length);
	if (!pseudo_only)
		sum += ones_complement_sum(data + header_length, transport_length);
	return ones_complement_fold(sum);
}

/* Applies control bits 4-7; returns whether the checksums are complete and valid now. */
static bool fix_up(struct pkt *pkt, uint8_t control)
{
	uint8_t *data = pkt->data;
	struct ipv4_header *ip = (struct ipv4_header *)data;
	if (pkt->length < IPV4_HEADER_MIN_LENGTH || !(control & 0x10))
		return false;
	unsigned header_length = ipv4_header_length(ip);
	if (header_length < IPV4_HEADER_MIN_LENGTH || header_length > pkt->length)
		header_length = IPV4_HEADER_MIN_LENGTH;
	ip->version_ihl = (uint8_t)(0x40 | header_length / 4);
	ip->total_length = htons((uint16_t)pkt->length);
	ip->header_checksum = 0;
	ip->header_checksum = internet_checksum(ip, header_length);
	uint16_t offset = checksum_offset(ip->protocol);
	if (!(control & 0x20) || offset == 0 || pkt->length < header_length + offset + 2 ||
	    (ip->protocol == IP_PROTOCOL_TCP && pkt->length < header_length + 20))
		return false;
	uint8_t *field = data + header_length + offset;
	memset(field, 0, 2);
	bool partial = (control & 0x40) && ip->protocol != IP_PROTOCOL_ICMP;
	uint16_t value = partial ? transport_sum(data, pkt->length, true) : (uint16_t)~transport_sum(data, pkt->length, false);
	if (!partial && ip->protocol == IP_PROTOCOL_UDP && value == 0)
		value = 0xFFFF;
	memcpy(field, &value, 2);
	if (partial) {
		pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
		return false;
	}
	if (control & 0x80)
		pkt->checksum_state = PKT_CHECKSUM_UNNECESSARY;
	return true;
}

static bool checksums_valid(const struct pkt *pkt)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt->data;
	unsigned header_length = ipv4_header_length(ip);
	if (ones_complement_sum(ip, header_length) != 0xFFFF)
		return false;
	uint16_t field;
	memcpy(&field, pkt->data + header_length + checksum_offset(ip->protocol), 2);
	if (ip->protocol == IP_PROTOCOL_UDP && field == 0)
		return true;
	return transport_sum(pkt->data, pkt->length, false) == 0xFFFF;
}

static void run_path(struct pkt *pkt, unsigned path, bool valid)
{
	static const enum nf_inet_hook hooks[4][3] = {
		{ NF_INET_PRE_ROUTING, NF_INET_FORWARD, NF_INET_POST_ROUTING },
		{ NF_INET_PRE_ROUTING, NF_INET_FORWARD, NF_INET_POST_ROUTING },
		{ NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN, NF_INET_HOOK_COUNT },
		{ NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING, NF_INET_HOOK_COUNT },
	};
	struct netdev *in = path == 0 ? &inside_device : path == 3 ? NULL : &outside_device;
	struct netdev *out = path == 0 || path == 3 ? &outside_device : path == 1 ? &inside_device : NULL;
	for (unsigned index = 0; index < 3 && hooks[path][index] != NF_INET_HOOK_COUNT; index++) {
		enum nf_inet_hook hook = hooks[path][index];
		if (nf_hook(hook, pkt, hook == NF_INET_LOCAL_OUT ? NULL : in,
			    hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_IN ? NULL : out) != NF_ACCEPT)
			return;
	}
	if (pkt->conntrack && !(pkt->conntrack_state & (NF_CT_STATE_NEW | NF_CT_STATE_ESTABLISHED | NF_CT_STATE_RELATED)))
		abort();
	if (valid && !checksums_valid(pkt)) {
		fprintf(stderr, "checksum broken by NAT\n");
		abort();
	}
	pkt_free(pkt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	start_once();
	if (size < 1)
		return 0;
	nat_mode = data[0] % 5;
	size_t offset = 1;
	while (offset + 3 <= size) {
		uint8_t control = data[offset];
		uint32_t length = (uint32_t)data[offset + 1] << 8 | data[offset + 2];
		offset += 3;
		if (length > DATAGRAM_MAX)
			length = DATAGRAM_MAX;
		if (length > size - offset)
			length = (uint32_t)(size - offset);
		static const uint64_t steps[4] = { 0, 1000000000ull, 30000000000ull, 200000000000ull };
		host_time_advance(steps[(control >> 2) & 3]);
		struct pkt *pkt = pkt_alloc();
		pkt_set_network_header(pkt);
		memcpy(pkt_put(pkt, length), data + offset, length);
		offset += length;
		pkt->transport_offset = pkt->network_offset;
		bool valid = fix_up(pkt, control);
		run_path(pkt, control & 3, valid);
	}
	conntrack_flush();
	if (conntrack_free_entries() != conntrack_capacity() || pkt_pool_get_stats().free != POOL_SIZE) {
		fprintf(stderr, "leak: %u of %u entries free, %u of %u pkts\n", conntrack_free_entries(),
			conntrack_capacity(), pkt_pool_get_stats().free, POOL_SIZE);
		abort();
	}
	return 0;
}
