/* conntrack_check.h - what the files of the conntrack host test
 * (test_conntrack.py's driver) share: CHECK/CHECK_EQ, packet builders
 * (IPv4 with TCP, UDP, ICMP echo and ICMP errors, checksums complete),
 * the paths a packet takes through the hooks, and the fake interfaces
 * and NAT rule lookup (conntrack_check_main.c). Each scenario is a
 * function named in CONNTRACK_CHECK_SCENARIOS, defined in one
 * conntrack_check_*.c. */
#ifndef KEEL_TESTS_CONNTRACK_CHECK_H
#define KEEL_TESTS_CONNTRACK_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/nat.h"
#include "tests/host/host_time_shim.h"

#define HOST_CHECK_SHARED
#include "tests/host/host_check.h"

#define CHECK_EQ(actual, expected)                                                                \
	do {                                                                                      \
		long long actual_value = (long long)(actual), expected_value = (long long)(expected); \
		if (actual_value != expected_value) {                                             \
			printf("FAIL: %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
			       #actual, actual_value, #expected, expected_value);                 \
			failures++;                                                               \
		}                                                                                 \
	} while (0)

#define SECOND 1000000000ull
/* Network order, as a constant expression (the host is little-endian x86). */
#define ADDRESS(a, b, c, d) __builtin_bswap32(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))
#define INSIDE_HOST ADDRESS(10, 97, 0, 2)
#define INSIDE_HOST2 ADDRESS(10, 97, 0, 3)
#define ROUTER_INSIDE ADDRESS(10, 97, 0, 1)
#define ROUTER_OUTSIDE ADDRESS(10, 98, 0, 1)
#define OUTSIDE_HOST ADDRESS(10, 98, 0, 2)

extern struct netdev inside_device, outside_device;
extern uint64_t drops[NET_DROP_REASON_TOTAL + 1];

/* What the fake rule engine answers at each hook (kind NONE: no rule). */
extern struct nat_range fake_nat_rules[NF_INET_HOOK_COUNT];
extern unsigned fake_nat_lookups;
/* What NAT registered with net_interface_watch_address_removal. */
extern net_interface_address_watcher address_watcher;

struct tcp_segment {
	be32 source, destination;
	uint16_t source_port, destination_port;
	uint32_t sequence, acknowledgment;
	uint8_t flags;
	uint16_t window;
	uint32_t payload_length;
	int8_t window_scale;     /* -1: no option; else a SYN's window scale option */
};
struct pkt *make_tcp(const struct tcp_segment *segment);
struct pkt *make_udp(be32 source, be32 destination, uint16_t source_port, uint16_t destination_port,
		     uint32_t payload_length, bool no_checksum);
struct pkt *make_icmp_echo(be32 source, be32 destination, uint8_t type, uint16_t identifier, uint16_t sequence);
/* An ICMP error from source to destination quoting the first quote_length bytes of quoted's datagram. */
struct pkt *make_icmp_error(be32 source, be32 destination, uint8_t type, uint8_t code, const struct pkt *quoted,
			    uint32_t quote_length);

enum path {
	PATH_FORWARD_OUT,   /* inside -> outside: prerouting, forward, postrouting */
	PATH_FORWARD_IN,    /* outside -> inside */
	PATH_LOCAL_IN,      /* from outside to the router: prerouting, input */
	PATH_LOCAL_OUT,     /* from the router out of the outside interface: output, postrouting */
};
/* Runs pkt along path; returns it (the caller reads and frees it) or NULL when a hook dropped it. */
struct pkt *pass(struct pkt *pkt, enum path path);
/* pass() then the pkt's conntrack_state, freeing it; 0xFF when dropped. */
uint8_t pass_state(struct pkt *pkt, enum path path);

/* Full checksum checks of a built or translated packet at pkt->data. */
bool ipv4_checksum_valid(const struct pkt *pkt);
bool transport_checksum_valid(const struct pkt *pkt);
/* The entry of tuple (either direction), or NULL. */
struct nf_conn *entry_of_flow(be32 source, be32 destination, uint8_t protocol, uint16_t source_port,
			      uint16_t destination_port);
/* Every entry back in the pool? (after conntrack_flush and every pkt freed) */
bool pool_full(void);

#define CONNTRACK_CHECK_SCENARIOS(X) \
	X(tuple) X(tcp_handshake) X(tcp_window) X(tcp_window_scale) X(tcp_super_segment) X(tcp_flags) X(tcp_rst) X(tcp_reopen) \
	X(udp) X(icmp) X(related) X(timeouts) X(unconfirmed) X(clash) X(fragments) X(table_full) X(table_full_assured) \
	X(print) X(nat_port_kept) X(nat_collision) X(nat_exhausted) X(nat_checksum) X(nat_partial) \
	X(nat_icmp_error) X(nat_dnat) X(nat_redirect_masquerade) X(nat_address_change)

#define DECLARE_SCENARIO(name) void scenario_##name(void);
CONNTRACK_CHECK_SCENARIOS(DECLARE_SCENARIO)

#endif
