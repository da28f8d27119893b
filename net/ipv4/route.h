/* route.h - the IPv4 routing table: entries (prefix/length, gateway or
 * on-link, interface) chosen by longest-prefix match (RFC 1812 5.2.4.3),
 * the first added winning a tie. Filled when the interface is configured:
 * each interface's connected route from ip=, a default route via ip='s
 * gateway, then the static routes of
 * `keel.route=<prefix>/<length>[:<gateway>[:<device>]]` (repeatable, or
 * comma-separated; no gateway, or an empty one: on-link). The device is the
 * gateway's (the interface whose connected route holds it) unless named; an
 * on-link route without a device goes out of the first interface.
 * net_route() (interface.h) is the lookup the stack calls. */
#ifndef KEEL_NET_ROUTE_H
#define KEEL_NET_ROUTE_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/ipv4/interface.h"

#define ROUTE_TABLE_SIZE 32

struct route {
	be32 prefix;                    /* host bits zero */
	uint8_t prefix_length;          /* 0-32 */
	be32 gateway;                   /* 0: on-link, the destination is the next hop */
	struct net_interface *interface;
};

/* 0, or -1 when the table is full or the prefix has host bits set. */
int route_add(be32 prefix, unsigned prefix_length, be32 gateway, struct net_interface *interface);
/* The most specific route to destination, or NULL. */
const struct route *route_lookup(be32 destination);
void route_flush(void);
/* The index-th entry in the order they were added, or NULL past the end (for `ip route`). */
const struct route *route_at(unsigned index);
/* Removes interface's routes, keeping the others'. */
void route_flush_interface(const struct net_interface *interface);
/* Adds the keel.route= routes of the command line: with interface NULL,
 * every one whose interface has an address (warning about the malformed and
 * the unreachable, unless a DHCP interface may still make them reachable);
 * else only those that go out of interface (net/dhcp, once leased). */
void route_add_from_cmdline(struct net_interface *interface);
/* Prints the table, one "route: ..." line per entry, as `ip route` does. */
void route_print_table(void);

#endif
