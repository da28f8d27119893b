/* interface.c - IPv4 configuration from `ip=` (net/ipv4/interface.h): each
 * static address is bound to its device at once and the routing table
 * (net/ipv4/route.h) filled with its connected route and the default route
 * via its gateway, then the keel.route= static routes; with ip=dhcp the
 * device is bound with no address (it then receives broadcasts only) and
 * net/dhcp sets the address and routes once leased. net_route() looks
 * destinations up. */
#include "net/ipv4/interface.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/ipv4/ip_config.h"
#include "net/ipv4/route.h"
#include "net/wire/ipv4.h"

CMDLINE_KEY("ip", "<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf> as Linux, or ip=dhcp; "
		  "repeatable, one per device");

static struct net_interface interfaces[NET_INTERFACES_MAX];
static unsigned interface_count;
static struct net_interface *dhcp_interface;

static struct netdev *find_device(const char *name)
{
	struct netdev *dev = netdev_first();
	if (name[0] == '\0')
		return dev;
	for (; dev; dev = dev->next)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}

/* What Linux's ipconfig installs: the connected route comes with the
 * address, then the default route via the gateway. */
static void add_connected_routes(struct net_interface *interface)
{
	route_flush_interface(interface);
	if (interface->address == 0)
		return;
	int prefix_length = ipv4_netmask_prefix_length(interface->netmask);
	if (prefix_length < 0) {
		pr_warn("net: %s: netmask is not contiguous: treating it as /32\n", interface->device->name);
		prefix_length = 32;
	}
	be32 network = interface->address & (prefix_length ? htonl(~0u << (32 - prefix_length)) : 0);
	route_add(network, (unsigned)prefix_length, 0, interface);
	if (interface->gateway)
		route_add(0, 0, interface->gateway, interface);
}

#define ADDRESS_WATCHERS_MAX 4
static net_interface_address_watcher address_watchers[ADDRESS_WATCHERS_MAX];
static unsigned address_watcher_count;

int net_interface_watch_address_removal(net_interface_address_watcher watcher)
{
	for (unsigned index = 0; index < address_watcher_count; index++)
		if (address_watchers[index] == watcher)
			return 0;
	if (address_watcher_count == ADDRESS_WATCHERS_MAX)
		return -1;
	address_watchers[address_watcher_count++] = watcher;
	return 0;
}

void net_interface_set_address(struct net_interface *interface, be32 address, be32 netmask, be32 gateway)
{
	be32 old_address = interface->address;
	interface->address = address;
	interface->netmask = address ? netmask : 0;
	interface->gateway = address ? gateway : 0;
	add_connected_routes(interface);
	/* After the change, as Linux's inetaddr_chain NETDEV_DOWN follows the removal. */
	if (old_address != 0 && old_address != address)
		for (unsigned index = 0; index < address_watcher_count; index++)
			address_watchers[index](interface, old_address);
}

/* The autoconf words Linux accepts; DHCP answers for all but RARP. */
static bool autoconf_is_dhcp(const struct ip_config *config)
{
	return strcmp(config->autoconf, "rarp") != 0;
}

/* One ip= value: a new interface, or a warning saying why not. */
static void configure_one(const char *text)
{
	struct ip_config config;
	const char *error = ip_config_parse(text, &config);
	if (error) {
		pr_warn("net: ip=%s is malformed (%s): ignored\n", text, error);
		return;
	}
	if (config.method == IP_CONFIG_AUTOCONF && !autoconf_is_dhcp(&config)) {
		pr_warn("net: ip=%s: RARP not implemented (ip=dhcp is): ignored\n", text);
		return;
	}
	if (config.method == IP_CONFIG_OFF)
		return;
	struct netdev *dev = find_device(config.device);
	if (dev == NULL) {
		pr_warn("net: ip=: no device %s: ip=%s ignored\n", config.device[0] ? config.device : "at all", text);
		return;
	}
	if (net_interface_of(dev) || interface_count == NET_INTERFACES_MAX) {
		pr_warn("net: ip=%s: %s\n", text, net_interface_of(dev) ? "device already configured: ignored" :
										 "too many interfaces: ignored");
		return;
	}
	bool by_dhcp = config.method == IP_CONFIG_AUTOCONF;
	if (by_dhcp && dhcp_interface) {
		pr_warn("net: ip=%s: DHCP runs on %s only: ignored\n", text, dhcp_interface->device->name);
		return;
	}
	struct net_interface *interface = &interfaces[interface_count++];
	*interface = (struct net_interface){ .device = dev };
	if (by_dhcp)
		dhcp_interface = interface;
	else
		net_interface_set_address(interface, config.client, config.netmask, config.gateway);
}

#define IP_VALUES_MAX 16

struct ip_values {
	const char *text[IP_VALUES_MAX];
	unsigned count;
};

static void collect_ip_key(const char *key, const char *value, void *context)
{
	struct ip_values *values = context;
	if (strcmp(key, "ip") != 0)
		return;
	if (values->count == IP_VALUES_MAX) {
		pr_warn("net: ip=%s: more than %u ip= values: ignored\n", value, IP_VALUES_MAX);
		return;
	}
	values->text[values->count++] = value;
}

/* The device an ip= value names (NULL: malformed, or no such device). */
static struct netdev *device_of(const char *text)
{
	struct ip_config config;
	return ip_config_parse(text, &config) == NULL ? find_device(config.device) : NULL;
}

/* As Linux, where each ip= overwrites the one before: of several values
 * for one device the last counts. */
static bool superseded(const struct ip_values *values, unsigned index)
{
	struct netdev *dev = device_of(values->text[index]);
	for (unsigned later = index + 1; dev && later < values->count; later++)
		if (device_of(values->text[later]) == dev)
			return true;
	return false;
}

void net_interface_configure(void)
{
	if (cmdline_get("ip") == NULL) {
		pr_info("net: no ip= on the command line: interfaces unconfigured\n");
		return;
	}
	struct ip_values values = { .count = 0 };
	cmdline_for_each_prefix("ip", collect_ip_key, &values);
	for (unsigned i = 0; i < values.count; i++) {
		if (superseded(&values, i))
			pr_info("net: ip=%s: replaced by a later ip= for the same device\n", values.text[i]);
		else
			configure_one(values.text[i]);
	}
	if (dhcp_interface == NULL || interface_count > 1) {
		route_add_from_cmdline(NULL);
		route_print_table();
	}
}

struct net_interface *net_interface_dhcp(void)
{
	return dhcp_interface;
}

struct net_interface *net_interface_of(const struct netdev *dev)
{
	for (unsigned i = 0; i < interface_count; i++)
		if (interfaces[i].device == dev)
			return &interfaces[i];
	return NULL;
}

struct net_interface *net_interface_next(const struct net_interface *previous)
{
	unsigned next = previous ? (unsigned)(previous - interfaces) + 1 : 0;
	return next < interface_count ? &interfaces[next] : NULL;
}

struct net_interface *net_interface_with_address(be32 address)
{
	for (unsigned i = 0; address && i < interface_count; i++)
		if (interfaces[i].address == address)
			return &interfaces[i];
	return NULL;
}

struct net_interface *net_interface_local(const struct netdev *dev, be32 destination)
{
	struct net_interface *interface = net_interface_of(dev);
	if (interface && (destination == interface->address || net_interface_is_broadcast(interface, destination)))
		return interface;
	return net_interface_with_address(destination);
}

struct net_interface *net_route(be32 destination, be32 *next_hop)
{
	/* The limited broadcast stays on the link (RFC 1122 3.3.6), whatever
	 * the table says: the DHCP interface's (it is what sends them), else
	 * the first. */
	if (destination == IPV4_ADDRESS_BROADCAST) {
		*next_hop = destination;
		return dhcp_interface ? dhcp_interface : net_interface_next(NULL);
	}
	const struct route *route = route_lookup(destination);
	if (route == NULL)
		return NULL;
	*next_hop = route->gateway ? route->gateway : destination;
	return route->interface;
}

bool net_interface_is_broadcast(const struct net_interface *interface, be32 address)
{
	return address == IPV4_ADDRESS_BROADCAST || address == (interface->address | ~interface->netmask);
}

void net_interface_describe(const struct netdev *dev, char *buffer, unsigned size)
{
	const struct net_interface *interface = net_interface_of(dev);
	if (interface == NULL) {
		snprintf(buffer, size, "unconfigured");
		return;
	}
	if (interface->address == 0) {
		snprintf(buffer, size, "dhcp, no address yet");
		return;
	}
	char address[16], gateway[16];
	int length = snprintf(buffer, size, "%s/%d", ipv4_address_format(interface->address, address),
			      ipv4_netmask_prefix_length(interface->netmask));
	if (interface->gateway && length > 0 && (unsigned)length < size)
		snprintf(buffer + length, size - (unsigned)length, " gw %s", ipv4_address_format(interface->gateway, gateway));
}
