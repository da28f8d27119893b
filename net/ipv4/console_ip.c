/* console_ip.c - `ip addr`, `ip route [show]`, `ip route get ADDRESS` and
 * iproute2's answer to an unknown object, on the operator console
 * (kernel/console/command.h). Output as iproute2 6.1 prints it, trailing
 * blanks included (every attribute is printed followed by a blank), so
 * scripts that parse Linux's output parse keel's. `ip route get` asks
 * net_route(), the lookup IPv4 output itself makes. */
#include <stdbool.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/core/console_link.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ip_config.h"
#include "net/ipv4/route.h"

static unsigned prefix_length_of(be32 netmask)
{
	unsigned length = 0;
	for (uint32_t mask = ntohl(netmask); mask & 0x80000000u; mask <<= 1)
		length++;
	return length;
}

/* ip addr [show [dev] NAME] */
static int ip_addr_command(struct console_output *out, int argc, char **argv)
{
	struct netdev *only;
	if (netdev_console_named_device(out, argc, argv, &only) != 0)
		return 1;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (only && dev != only)
			continue;
		netdev_console_print_link(out, dev, false);
		const struct net_interface *interface = net_interface_of(dev);
		if (!interface || !interface->address)
			continue;
		char address[16], broadcast[16];
		ipv4_address_format(interface->address, address);
		ipv4_address_format(interface->address | ~interface->netmask, broadcast);
		console_printf(out, "    inet %s/%u brd %s scope global %s\n", address, prefix_length_of(interface->netmask),
			       broadcast, dev->name);
		console_puts(out, "       valid_lft forever preferred_lft forever\n");
	}
	return 0;
}
CONSOLE_COMMAND("ip addr", "ip addr [show [dev] NAME]", ip_addr_command);
CONSOLE_COMMAND("ip address", "(the same)", ip_addr_command);

/* The connected route of an interface: on-link, its own subnet. */
static bool is_connected(const struct route *route)
{
	const struct net_interface *interface = route->interface;
	return route->gateway == 0 && interface->address &&
	       route->prefix == (interface->address & interface->netmask) &&
	       route->prefix_length == prefix_length_of(interface->netmask);
}

static void print_route(struct console_output *out, const struct route *route)
{
	char prefix[16], gateway[16], source[16];
	ipv4_address_format(route->prefix, prefix);
	ipv4_address_format(route->gateway, gateway);
	ipv4_address_format(route->interface->address, source);
	const char *device = route->interface->device->name;
	if (route->prefix_length == 0)
		console_puts(out, "default ");
	else if (route->prefix_length == 32)
		console_printf(out, "%s ", prefix);
	else
		console_printf(out, "%s/%u ", prefix, route->prefix_length);
	if (route->gateway)
		console_printf(out, "via %s ", gateway);
	console_printf(out, "dev %s ", device);
	if (is_connected(route))
		console_printf(out, "proto kernel scope link src %s ", source);
	else if (!route->gateway)
		console_puts(out, "scope link ");
	if (!route->interface->device->link_up || route->interface->device->administratively_down)
		console_puts(out, "linkdown ");
	console_puts(out, "\n");
}

/* Linux lists the main table in the FIB's key order: by prefix, then by
 * length. The table is a handful of entries: a selection sort on output. */
static void print_routes(struct console_output *out)
{
	const struct route *previous = NULL;
	for (;;) {
		const struct route *next = NULL;
		for (unsigned i = 0; route_at(i); i++) {
			const struct route *candidate = route_at(i);
			uint64_t key = (uint64_t)ntohl(candidate->prefix) << 8 | candidate->prefix_length;
			uint64_t floor = previous ? ((uint64_t)ntohl(previous->prefix) << 8 | previous->prefix_length) : 0;
			bool after_previous = !previous || key > floor || (key == floor && candidate > previous);
			uint64_t best = next ? ((uint64_t)ntohl(next->prefix) << 8 | next->prefix_length) : UINT64_MAX;
			if (after_previous && (key < best || (key == best && candidate < next)))
				next = candidate;
		}
		if (!next)
			return;
		print_route(out, next);
		previous = next;
	}
}

/* ip route get ADDRESS: "10.99.0.1 dev eth0 src 10.99.0.2 uid 0 " then "    cache ". */
static int route_get(struct console_output *out, const char *text)
{
	be32 destination;
	if (!ipv4_address_parse(text, strlen(text), &destination)) {
		console_printf(out, "Error: any valid prefix is expected rather than \"%s\".\n", text);
		return 1;
	}
	be32 next_hop;
	const struct net_interface *interface = net_route(destination, &next_hop);
	if (!interface || !interface->device) {
		console_puts(out, "RTNETLINK answers: Network is unreachable\n");
		return 2;
	}
	char address[16], gateway[16], source[16];
	ipv4_address_format(destination, address);
	ipv4_address_format(next_hop, gateway);
	ipv4_address_format(interface->address, source);
	bool local = destination == interface->address;
	console_printf(out, "%s%s ", local ? "local " : "", address);
	if (next_hop != destination)
		console_printf(out, "via %s ", gateway);
	console_printf(out, "dev %s src %s uid 0 \n", interface->device->name, source);
	console_puts(out, local ? "    cache <local> \n" : "    cache \n");
	return 0;
}

/* ip route [show|list] | ip route get ADDRESS */
static int ip_route_command(struct console_output *out, int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-')
		i++;
	if (i >= argc || console_word_matches(argv[i], "show") || console_word_matches(argv[i], "list")) {
		print_routes(out);
		return 0;
	}
	if (console_word_matches(argv[i], "get")) {
		if (i + 1 >= argc) {
			console_puts(out, "need at least a destination address\n");
			return 1;
		}
		return route_get(out, argv[i + 1]);
	}
	console_printf(out, "Command \"%s\" is unknown, try \"ip route help\".\n", argv[i]);
	return 1;
}
CONSOLE_COMMAND("ip route", "ip route [show] | ip route get ADDRESS", ip_route_command);

/* `ip` with no object keel knows: iproute2's words. */
static int ip_unknown_object(struct console_output *out, int argc, char **argv)
{
	int i = 1;
	while (i < argc && argv[i][0] == '-')
		i++;
	if (i >= argc || strcmp(argv[i], "help") == 0) {
		console_puts(out, "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
				  "where  OBJECT := { link | address | route | neigh }\n"
				  "       OPTIONS := { -s[tatistics] }\n");
		return i >= argc ? 255 : 0;
	}
	console_printf(out, "Object \"%s\" is unknown, try \"ip help\".\n", argv[i]);
	return 1;
}
CONSOLE_COMMAND("ip", "ip help", ip_unknown_object);
