/* interface.h - the IPv4 configuration of the devices (address, netmask,
 * gateway from `ip=`, or leased by net/dhcp) and the routing decision that
 * uses it. Every device an `ip=` names (repeatable, one per device; no
 * device field: eth0) becomes an interface; the others receive but own no
 * address. An interface waiting for DHCP has address 0: it takes
 * broadcasts only (net_interface_is_broadcast), and ARP neither answers nor
 * learns on it. Local addresses follow the weak host model (RFC 1122
 * 3.3.4.2, as Linux): a datagram for any interface's address is ours
 * whichever device it arrived on. */
#ifndef KEEL_NET_INTERFACE_H
#define KEEL_NET_INTERFACE_H

#include <stdbool.h>

#include "net/core/byteorder.h"
#include "net/core/netdev.h"

#define NET_INTERFACES_MAX 8

struct net_interface {
	struct netdev *device;
	be32 address;
	be32 netmask;
	be32 gateway;       /* 0: none */
};

/* Reads every ip= and binds each to its device (the named one, else eth0),
 * then adds the keel.route= routes that reach a configured interface. */
void net_interface_configure(void);
/* The interface ip=dhcp (or ip=:::::<dev>:dhcp) hands to net/dhcp, or NULL. */
struct net_interface *net_interface_dhcp(void);
/* Sets interface's address (0: takes it away) and replaces the interface's
 * own routes with its connected route and a default route via gateway (0:
 * none); other interfaces' routes stay. keel.route= and printing the table
 * are the caller's (route.h). */
void net_interface_set_address(struct net_interface *interface, be32 address, be32 netmask, be32 gateway);
/* Told after an interface's address went away or changed (DHCP renewing
 * with another address, a lease lost), with the address it had: Linux's
 * inetaddr notifier chain at NETDEV_DOWN, where NAT forgets the
 * masqueraded connections bound to that address. At most 4 watchers;
 * -1 when full, 0 (also when already watching). */
typedef void (*net_interface_address_watcher)(struct net_interface *interface, be32 old_address);
int net_interface_watch_address_removal(net_interface_address_watcher watcher);
/* The configured interface on dev, or NULL. */
struct net_interface *net_interface_of(const struct netdev *dev);
/* The configured interfaces in ip= order: start with NULL; NULL at the end. */
struct net_interface *net_interface_next(const struct net_interface *previous);
/* The interface whose address is address (never 0), or NULL. */
struct net_interface *net_interface_with_address(be32 address);
/* The interface a datagram received on dev for destination is delivered
 * to: dev's own when destination is its address or one of its broadcasts,
 * else the one owning destination (weak host); NULL: not ours. */
struct net_interface *net_interface_local(const struct netdev *dev, be32 destination);
/* Where a packet to destination goes: the interface, and in *next_hop the
 * destination itself when on-link, else the gateway. NULL: no route. */
struct net_interface *net_route(be32 destination, be32 *next_hop);
/* Limited (255.255.255.255) or this subnet's directed broadcast. */
bool net_interface_is_broadcast(const struct net_interface *interface, be32 address);
/* "10.99.0.2/24 gw 10.99.0.1", "unconfigured". */
void net_interface_describe(const struct netdev *dev, char *buffer, unsigned size);

#endif
