/* route.h - the IPv4 routing table: entries (prefix/length, gateway or
 * on-link, interface) chosen by longest-prefix match (RFC 1812 5.2.4.3),
 * the first added winning a tie. Filled when the interface is configured:
 * its connected route from ip=, a default route via ip='s gateway, then the
 * static routes of `keel.route=<prefix>/<length>[:<gateway>]` (repeatable,
 * or comma-separated; no gateway: on-link). net_route() (interface.h) is the
 * lookup the stack calls. */
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
/* Adds every keel.route= of the command line via interface (the gateway
 * must be reachable on-link); warns about and skips malformed ones. */
void route_add_from_cmdline(struct net_interface *interface);
/* Prints the table, one "route: ..." line per entry, as `ip route` does. */
void route_print_table(void);

#endif
