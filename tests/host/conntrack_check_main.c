/* conntrack_check_main.c - host driver of tests/host/test_conntrack.py:
 * net/netfilter's connection tracking and NAT (with net/core's pkt,
 * checksum, siphash and secret) compiled unchanged with ASan and UBSan
 * over the stubs here (net_drop counting per reason, two fake interfaces,
 * the table's memory from calloc, a fake NAT rule engine) and
 * tests/host/host_time_shim.c's clock and timers (the expiry sweep runs
 * on them).
 *
 *   conntrack_check <scenario>     (names: CONNTRACK_CHECK_SCENARIOS)
 *
 * Prints "<scenario>: N failures". Every scenario ends with a flush and
 * checks that every entry is back in the pool and every pkt freed. */
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/pkt_pool.h"
#include "net/ipv4/interface.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"
#include "tests/host/host_time_shim.h"

#undef HOST_CHECK_SHARED
#include "tests/host/host_check.h"
#include "tests/host/conntrack_check.h"
#include "net/netfilter/conntrack_sysctl.h"

#define POOL_SIZE 512

/* ---- stubs ---- */

uint64_t drops[NET_DROP_REASON_TOTAL + 1];

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	drops[(unsigned)reason <= NET_DROP_REASON_TOTAL ? reason : NET_DROP_REASON_TOTAL]++;
	pkt_free(pkt);
}

struct netdev inside_device = { .name = "eth0" }, outside_device = { .name = "eth1" };
static struct net_interface inside_interface = { &inside_device, ROUTER_INSIDE, ADDRESS(255, 255, 255, 0), 0 };
static struct net_interface outside_interface = { &outside_device, ROUTER_OUTSIDE, ADDRESS(255, 255, 255, 0), 0 };

struct net_interface *net_interface_of(const struct netdev *dev)
{
	return dev == &inside_device ? &inside_interface : dev == &outside_device ? &outside_interface : NULL;
}

net_interface_address_watcher address_watcher;

int net_interface_watch_address_removal(net_interface_address_watcher watcher)
{
	address_watcher = watcher;
	return 0;
}

static void *table_memory;

int conntrack_table_allocate(unsigned wanted_entries)
{
	unsigned buckets = 1;
	while (buckets < wanted_entries)
		buckets *= 2;
	table_memory = calloc(1, conntrack_table_bytes(wanted_entries, buckets));
	if (table_memory == NULL)
		return -1;
	conntrack_table_attach(table_memory, wanted_entries, buckets);
	return 0;
}

struct nat_range fake_nat_rules[NF_INET_HOOK_COUNT];
unsigned fake_nat_lookups;

/* ---- packets ---- */

static struct pkt *make_ip(be32 source, be32 destination, uint8_t protocol, uint32_t transport_length)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL)
		panic("test pool empty");
	pkt_set_network_header(pkt);
	struct ipv4_header *ip = (struct ipv4_header *)pkt_put(pkt, IPV4_HEADER_MIN_LENGTH + transport_length);
	memset(ip, 0, IPV4_HEADER_MIN_LENGTH + transport_length);
	*ip = (struct ipv4_header){
		.version_ihl = 0x45, .total_length = htons((uint16_t)(IPV4_HEADER_MIN_LENGTH + transport_length)),
		.time_to_live = 64, .protocol = protocol, .source = source, .destination = destination,
	};
	ip->header_checksum = internet_checksum(ip, IPV4_HEADER_MIN_LENGTH);
	pkt->transport_offset = (uint16_t)(pkt->network_offset + IPV4_HEADER_MIN_LENGTH);
	for (uint32_t index = 0; index < transport_length; index++)
		pkt->data[IPV4_HEADER_MIN_LENGTH + index] = (uint8_t)(index * 7 + 1);
	return pkt;
}

static be16 pseudo_checksum(const struct pkt *pkt, uint8_t protocol)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt->data;
	uint32_t length = pkt->length - IPV4_HEADER_MIN_LENGTH;
	uint64_t sum = ipv4_pseudo_header_sum(ip->source, ip->destination, protocol, length);
	sum += ones_complement_sum(pkt->data + IPV4_HEADER_MIN_LENGTH, length);
	return (be16)~ones_complement_fold(sum);
}

struct pkt *make_tcp(const struct tcp_segment *segment)
{
	uint32_t options = segment->window_scale >= 0 ? 4 : 0;
	struct pkt *pkt = make_ip(segment->source, segment->destination, IP_PROTOCOL_TCP,
				  TCP_HEADER_MIN_LENGTH + options + segment->payload_length);
	struct tcp_header *tcp = (struct tcp_header *)(pkt->data + IPV4_HEADER_MIN_LENGTH);
	*tcp = (struct tcp_header){
		.source_port = htons(segment->source_port), .destination_port = htons(segment->destination_port),
		.sequence = htonl(segment->sequence), .acknowledgment = htonl(segment->acknowledgment),
		.data_offset = (uint8_t)(((TCP_HEADER_MIN_LENGTH + options) / 4) << 4), .flags = segment->flags,
		.window = htons(segment->window),
	};
	if (options) {
		uint8_t *option = (uint8_t *)(tcp + 1);
		option[0] = 1, option[1] = 3, option[2] = 3, option[3] = (uint8_t)segment->window_scale;
	}
	tcp->checksum = pseudo_checksum(pkt, IP_PROTOCOL_TCP);
	return pkt;
}

struct pkt *make_udp(be32 source, be32 destination, uint16_t source_port, uint16_t destination_port,
		     uint32_t payload_length, bool no_checksum)
{
	struct pkt *pkt = make_ip(source, destination, IP_PROTOCOL_UDP, UDP_HEADER_LENGTH + payload_length);
	struct udp_header *udp = (struct udp_header *)(pkt->data + IPV4_HEADER_MIN_LENGTH);
	*udp = (struct udp_header){ htons(source_port), htons(destination_port),
				    htons((uint16_t)(UDP_HEADER_LENGTH + payload_length)), 0 };
	if (!no_checksum) {
		udp->checksum = pseudo_checksum(pkt, IP_PROTOCOL_UDP);
		if (udp->checksum == 0)
			udp->checksum = UDP_CHECKSUM_ZERO_AS;
	}
	return pkt;
}

struct pkt *make_icmp_echo(be32 source, be32 destination, uint8_t type, uint16_t identifier, uint16_t sequence)
{
	struct pkt *pkt = make_ip(source, destination, IP_PROTOCOL_ICMP, ICMP_HEADER_LENGTH + 16);
	struct icmp_header *icmp = (struct icmp_header *)(pkt->data + IPV4_HEADER_MIN_LENGTH);
	*icmp = (struct icmp_header){ type, 0, 0, htons(identifier), htons(sequence) };
	icmp->checksum = internet_checksum(icmp, ICMP_HEADER_LENGTH + 16);
	return pkt;
}

struct pkt *make_icmp_error(be32 source, be32 destination, uint8_t type, uint8_t code, const struct pkt *quoted,
			    uint32_t quote_length)
{
	struct pkt *pkt = make_ip(source, destination, IP_PROTOCOL_ICMP, ICMP_HEADER_LENGTH + quote_length);
	uint8_t *icmp = pkt->data + IPV4_HEADER_MIN_LENGTH;
	memset(icmp, 0, ICMP_HEADER_LENGTH);
	icmp[0] = type, icmp[1] = code;
	memcpy(icmp + ICMP_HEADER_LENGTH, pkt_network_header(quoted), quote_length);
	be16 checksum = internet_checksum(icmp, ICMP_HEADER_LENGTH + quote_length);
	memcpy(icmp + 2, &checksum, 2);
	return pkt;
}

bool ipv4_checksum_valid(const struct pkt *pkt)
{
	return ones_complement_sum(pkt->data, IPV4_HEADER_MIN_LENGTH) == 0xFFFF;
}

bool transport_checksum_valid(const struct pkt *pkt)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt->data;
	uint32_t length = pkt->length - IPV4_HEADER_MIN_LENGTH;
	const uint8_t *transport = pkt->data + IPV4_HEADER_MIN_LENGTH;
	uint64_t sum = ones_complement_sum(transport, length);
	if (ip->protocol == IP_PROTOCOL_UDP && transport[6] == 0 && transport[7] == 0)
		return true;
	if (ip->protocol != IP_PROTOCOL_ICMP)
		sum += ipv4_pseudo_header_sum(ip->source, ip->destination, ip->protocol, length);
	return ones_complement_fold(sum) == 0xFFFF;
}

/* ---- paths ---- */

struct pkt *pass(struct pkt *pkt, enum path path)
{
	static const enum nf_inet_hook forward[] = { NF_INET_PRE_ROUTING, NF_INET_FORWARD, NF_INET_POST_ROUTING };
	static const enum nf_inet_hook local_in[] = { NF_INET_PRE_ROUTING, NF_INET_LOCAL_IN };
	static const enum nf_inet_hook local_out[] = { NF_INET_LOCAL_OUT, NF_INET_POST_ROUTING };
	const enum nf_inet_hook *hooks = path == PATH_LOCAL_IN ? local_in : path == PATH_LOCAL_OUT ? local_out : forward;
	unsigned count = path == PATH_LOCAL_IN || path == PATH_LOCAL_OUT ? 2 : 3;
	struct netdev *in = path == PATH_FORWARD_OUT ? &inside_device : path == PATH_LOCAL_OUT ? NULL : &outside_device;
	struct netdev *out = path == PATH_FORWARD_OUT || path == PATH_LOCAL_OUT ? &outside_device
			     : path == PATH_FORWARD_IN                        ? &inside_device
									      : NULL;
	for (unsigned index = 0; index < count; index++) {
		enum nf_inet_hook hook = hooks[index];
		bool has_out = hook == NF_INET_FORWARD || hook == NF_INET_POST_ROUTING || hook == NF_INET_LOCAL_OUT;
		bool has_in = hook != NF_INET_LOCAL_OUT;
		if (nf_hook(hook, pkt, has_in ? in : NULL, has_out ? out : NULL) != NF_ACCEPT)
			return NULL;
	}
	return pkt;
}

uint8_t pass_state(struct pkt *pkt, enum path path)
{
	pkt = pass(pkt, path);
	if (pkt == NULL)
		return 0xFF;
	uint8_t state = pkt->conntrack_state;
	pkt_free(pkt);
	return state;
}

struct nf_conn *entry_of_flow(be32 source, be32 destination, uint8_t protocol, uint16_t source_port,
			      uint16_t destination_port)
{
	struct conntrack_tuple tuple = { source, destination, htons(source_port), htons(destination_port), protocol, 0, 0, 0 };
	unsigned direction;
	return conntrack_find(&tuple, &direction);
}

bool pool_full(void) { return conntrack_free_entries() == conntrack_capacity() && conntrack_count() == 0; }

/* ---- main ---- */

static const struct { const char *name; void (*run)(void); } scenarios[] = {
#define SCENARIO_ENTRY(name) { #name, scenario_##name },
	CONNTRACK_CHECK_SCENARIOS(SCENARIO_ENTRY)
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("usage: conntrack_check <scenario>\n");
		return 2;
	}
	static uint8_t buffers[POOL_SIZE * PKT_BUFFER_SIZE];
	static struct pkt descriptors[POOL_SIZE];
	static uint8_t in_use[POOL_SIZE];
	pkt_pool_attach(buffers, descriptors, in_use, POOL_SIZE);
	nf_conntrack_max = strncmp(argv[1], "table_full", 10) == 0 ? 64 : 1024;
	if (nf_conntrack_enable() != 0)
		panic("nf_conntrack_enable failed");
	for (unsigned index = 0; index < sizeof(scenarios) / sizeof(scenarios[0]); index++) {
		if (strcmp(argv[1], scenarios[index].name) != 0)
			continue;
		scenarios[index].run();
		conntrack_flush();
		CHECK(pool_full());
		CHECK_EQ(pkt_pool_get_stats().free, POOL_SIZE);
		printf("%s: %d failures\n", argv[1], failures);
		free(table_memory);
		return failures != 0;
	}
	printf("unknown scenario %s\n", argv[1]);
	return 2;
}
