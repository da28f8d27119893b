/* interface.h - the IPv4 configuration of a device (address, netmask,
 * gateway from `ip=`, or leased by net/dhcp) and the routing decision that
 * uses it. One interface is configured; the others receive but own no
 * address. An interface waiting for DHCP has address 0: it takes broadcasts
 * only (net_interface_is_broadcast), and ARP neither answers nor learns on it. */
#ifndef KEEL_NET_INTERFACE_H
#define KEEL_NET_INTERFACE_H

#include <stdbool.h>

#include "net/core/byteorder.h"
#include "net/core/netdev.h"

struct net_interface {
	struct netdev *device;
	be32 address;
	be32 netmask;
	be32 gateway;       /* 0: none */
};

/* Reads ip= and binds it to its device (the named one, else the first). */
void net_interface_configure(void);
/* The interface ip=dhcp (or ip=:::::<dev>:dhcp) hands to net/dhcp, or NULL. */
struct net_interface *net_interface_dhcp(void);
/* Sets interface's address (0: takes it away) and replaces the routing
 * table with the connected route and a default route via gateway (0: none).
 * keel.route= and printing the table are the caller's (route.h). */
void net_interface_set_address(struct net_interface *interface, be32 address, be32 netmask, be32 gateway);
/* The configured interface on dev, or NULL. */
struct net_interface *net_interface_of(const struct netdev *dev);
/* Where a packet to destination goes: the interface, and in *next_hop the
 * destination itself when on-link, else the gateway. NULL: no route. */
struct net_interface *net_route(be32 destination, be32 *next_hop);
/* Limited (255.255.255.255) or this subnet's directed broadcast. */
bool net_interface_is_broadcast(const struct net_interface *interface, be32 address);
/* "10.99.0.2/24 gw 10.99.0.1", "unconfigured". */
void net_interface_describe(const struct netdev *dev, char *buffer, unsigned size);

#endif
