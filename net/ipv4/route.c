/* route.c - the routing table (contract in net/ipv4/route.h). A small array
 * scanned in full: a handful of routes, looked up once per datagram sent. */
#include "net/ipv4/route.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/ipv4/ip_config.h"

CMDLINE_KEY("keel.route", "<prefix>/<length>[:<gateway>[:<device>]][,...] static IPv4 routes (repeatable; no gateway: on-link)");

#define ROUTE_TEXT_MAX 64

static struct route routes[ROUTE_TABLE_SIZE];
static unsigned route_count;

static be32 prefix_mask(unsigned prefix_length)
{
	return prefix_length == 0 ? 0 : htonl(~0u << (32 - prefix_length));
}

int route_add(be32 prefix, unsigned prefix_length, be32 gateway, struct net_interface *interface)
{
	if (route_count == ROUTE_TABLE_SIZE || prefix_length > 32 || interface == NULL)
		return -1;
	if ((prefix & ~prefix_mask(prefix_length)) != 0)
		return -1;
	routes[route_count++] = (struct route){ prefix, (uint8_t)prefix_length, gateway, interface };
	return 0;
}

const struct route *route_lookup(be32 destination)
{
	const struct route *best = NULL;
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *route = &routes[i];
		if (((destination ^ route->prefix) & prefix_mask(route->prefix_length)) != 0)
			continue;
		if (best == NULL || route->prefix_length > best->prefix_length)
			best = route;
	}
	return best;
}

const struct route *route_at(unsigned index)
{
	return index < route_count ? &routes[index] : NULL;
}

void route_flush(void)
{
	route_count = 0;
}

void route_flush_interface(const struct net_interface *interface)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < route_count; i++)
		if (routes[i].interface != interface)
			routes[kept++] = routes[i];
	route_count = kept;
}

/* One keel.route= entry, parsed. */
struct route_text {
	be32 prefix, gateway;
	unsigned prefix_length;
	char device[NETDEV_NAME_LENGTH];     /* "": the gateway's, or the first interface */
};

/* "<prefix>/<length>[:<gateway>[:<device>]]" in copy (modified). Returns
 * NULL or why it is malformed. */
static const char *parse_route(char *copy, struct route_text *parsed)
{
	char *slash = strchr(copy, '/');
	if (slash == NULL)
		return "no /<length>";
	char *colon = strchr(slash, ':');
	char *device = colon ? strchr(colon + 1, ':') : NULL;
	if (device) {
		*device++ = '\0';
		if (strlen(device) >= sizeof(parsed->device) || device[0] == '\0')
			return "bad device";
		strcpy(parsed->device, device);
	}
	if (!ipv4_address_parse(copy, (size_t)(slash - copy), &parsed->prefix))
		return "bad prefix";
	char *end;
	unsigned long value = strtoul(slash + 1, &end, 10);
	if (end == slash + 1 || value > 32 || (colon ? end != colon : *end != '\0'))
		return "bad prefix length";
	parsed->prefix_length = (unsigned)value;
	parsed->gateway = 0;
	if (colon && colon[1] != '\0' && !ipv4_address_parse(colon + 1, strlen(colon + 1), &parsed->gateway))
		return "bad gateway";
	return NULL;
}

/* The interface a parsed route goes out of: the named device's, the one
 * whose connected route holds the gateway, or the first. NULL: none (yet). */
static struct net_interface *route_interface(const struct route_text *parsed)
{
	if (parsed->device[0]) {
		for (struct net_interface *interface = net_interface_next(NULL); interface;
		     interface = net_interface_next(interface))
			if (strcmp(interface->device->name, parsed->device) == 0)
				return interface;
		return NULL;
	}
	if (parsed->gateway) {
		const struct route *via = route_lookup(parsed->gateway);
		return via && via->gateway == 0 ? via->interface : NULL;
	}
	return net_interface_next(NULL);
}

/* Why a route via interface cannot be added, or NULL. */
static const char *gateway_problem(const struct route_text *parsed, const struct net_interface *interface)
{
	if (parsed->gateway == 0)
		return NULL;
	const struct route *via = route_lookup(parsed->gateway);
	if (via == NULL || via->gateway != 0 || via->interface != interface)
		return "gateway not on-link";
	return NULL;
}

static void add_one(const char *text, size_t length, struct net_interface *only)
{
	char copy[ROUTE_TEXT_MAX];
	struct route_text parsed = { 0 };
	const char *error = length >= sizeof(copy) ? "too long" : NULL;
	if (error == NULL) {
		memcpy(copy, text, length);
		copy[length] = '\0';
		error = parse_route(copy, &parsed);
	}
	struct net_interface *interface = error ? NULL : route_interface(&parsed);
	bool addressed = interface && interface->address;
	if (only && (error || interface != only || !addressed))
		return;                                 /* another interface's, or warned about at boot */
	if (error == NULL && !addressed) {
		if (net_interface_dhcp() && (interface == NULL || interface == net_interface_dhcp()))
			return;                         /* may be reachable once leased: added then */
		error = interface ? "device has no address" : parsed.device[0] ? "no such interface" : "gateway not on-link";
	}
	if (error == NULL)
		error = gateway_problem(&parsed, interface);
	if (error == NULL && route_add(parsed.prefix, parsed.prefix_length, parsed.gateway, interface) != 0)
		error = route_count == ROUTE_TABLE_SIZE ? "table full" : "host bits set in prefix";
	if (error)
		pr_warn("route: keel.route=%.*s ignored (%s)\n", (int)length, text, error);
}

static void visit_route_key(const char *key, const char *value, void *context)
{
	if (strcmp(key, "keel.route") != 0)
		return;
	while (*value) {
		const char *comma = strchr(value, ',');
		size_t length = comma ? (size_t)(comma - value) : strlen(value);
		if (length)
			add_one(value, length, context);
		value += length + (comma ? 1 : 0);
	}
}

void route_add_from_cmdline(struct net_interface *interface)
{
	cmdline_for_each_prefix("keel.route", visit_route_key, interface);
}

void route_print_table(void)
{
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *route = &routes[i];
		char prefix[16], gateway[16];
		const char *device = route->interface->device->name;
		ipv4_address_format(route->prefix, prefix);
		ipv4_address_format(route->gateway, gateway);
		if (route->prefix_length == 0 && route->gateway)
			pr_info("route: default via %s dev %s\n", gateway, device);
		else if (route->gateway)
			pr_info("route: %s/%u via %s dev %s\n", prefix, route->prefix_length, gateway, device);
		else
			pr_info("route: %s/%u dev %s scope link\n", prefix, route->prefix_length, device);
	}
}
