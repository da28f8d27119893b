/* lease.c - applying a lease to the interface and taking it away
 * (net/dhcp/internal.h): the address with its connected route, then either
 * the classless static routes of option 121 or, without them, a default
 * route via option 3's first router (RFC 3442: a client that gets option
 * 121 MUST ignore option 3), then keel.route=; the MTU of option 26 (only
 * ever lowered: the device's frames cannot grow); the DNS servers kept for
 * dhcp_dns_servers. */
#include "net/dhcp/internal.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/ip_config.h"
#include "net/ipv4/route.h"

static void copy_lease(struct dhcp_lease *lease, const struct dhcp_reply *reply, uint64_t acquired_ns)
{
	*lease = (struct dhcp_lease){
		.address = reply->your_address,
		.netmask = reply->subnet_mask,
		.router = reply->router,
		.server_id = reply->server_id,
		.lease_s = reply->lease_s,
		.acquired_ns = acquired_ns,
		.dns_count = reply->dns_count,
		.mtu = reply->mtu,
		.has_classless_routes = reply->has_classless_routes,
		.route_count = reply->route_count,
	};
	for (unsigned i = 0; i < reply->dns_count; i++)
		lease->dns[i] = reply->dns[i];
	for (unsigned i = 0; i < reply->route_count; i++)
		lease->routes[i] = reply->routes[i];
	if (lease->netmask == 0)                /* RFC 2131 3.3 leaves it to the client: a host route */
		lease->netmask = 0xFFFFFFFFu;
	/* RFC 2131 4.4.5 defaults: T1 = 0.5, T2 = 0.875 of the lease; T1 < T2 < lease. */
	lease->rebinding_s = reply->has_rebinding && reply->rebinding_s < reply->lease_s ? reply->rebinding_s
											    : (uint32_t)((uint64_t)reply->lease_s * 7 / 8);
	lease->renewal_s = reply->has_renewal && reply->renewal_s < lease->rebinding_s ? reply->renewal_s
										       : lease->lease_s / 2;
	if (lease->renewal_s > lease->rebinding_s)
		lease->renewal_s = lease->rebinding_s;
}

static void add_classless_routes(struct dhcp_client *client)
{
	const struct dhcp_lease *lease = &client->lease;
	for (unsigned i = 0; i < lease->route_count; i++) {
		const struct dhcp_route *route = &lease->routes[i];
		if (route->prefix_length == 0 && route->router)
			client->interface->gateway = route->router;   /* what the device line shows as "gw" */
		if (route_add(route->prefix, route->prefix_length, route->router, client->interface) != 0) {
			char prefix[16];
			pr_warn("%s: dhcp: route %s/%u not added (table full)\n", client->interface->device->name,
				ipv4_address_format(route->prefix, prefix), route->prefix_length);
		}
	}
}

static void apply_mtu(struct dhcp_client *client)
{
	struct netdev *dev = client->interface->device;
	if (client->device_mtu == 0)
		client->device_mtu = (uint16_t)dev->mtu;
	uint16_t wanted = client->lease.mtu && client->lease.mtu < client->device_mtu ? client->lease.mtu
										 : client->device_mtu;
	if (dev->mtu != wanted) {
		dev->mtu = wanted;
		pr_info("%s: dhcp mtu %u\n", dev->name, wanted);
	}
}

static void print_bound(const struct dhcp_client *client, bool renewed)
{
	const struct dhcp_lease *lease = &client->lease;
	char address[16], via[16], server[16], dns[3 * 16 + 8] = "";
	ipv4_address_format(lease->address, address);
	ipv4_address_format(client->interface->gateway, via);
	ipv4_address_format(lease->server_id, server);
	pr_info("%s: dhcp %s %s/%d%s%s lease %u s server %s\n", client->interface->device->name,
		renewed ? "renewed" : "bound", address, ipv4_netmask_prefix_length(lease->netmask),
		client->interface->gateway ? " via " : "", client->interface->gateway ? via : "", lease->lease_s, server);
	if (renewed || lease->dns_count == 0)
		return;
	int length = 0;
	for (unsigned i = 0; i < lease->dns_count && length >= 0 && (size_t)length < sizeof(dns); i++) {
		char one[16];
		length += snprintf(dns + length, sizeof(dns) - (size_t)length, " %s", ipv4_address_format(lease->dns[i], one));
	}
	pr_info("%s: dhcp dns%s\n", client->interface->device->name, dns);
}

void dhcp_lease_apply(struct dhcp_client *client, const struct dhcp_reply *reply, bool renewed)
{
	copy_lease(&client->lease, reply, client->request_sent_ns);
	client->leased = true;
	if (!renewed) {
		const struct dhcp_lease *lease = &client->lease;
		be32 gateway = lease->has_classless_routes ? 0 : lease->router;
		net_interface_set_address(client->interface, lease->address, lease->netmask, gateway);
		add_classless_routes(client);
		route_add_from_cmdline(client->interface);
		apply_mtu(client);
	}
	print_bound(client, renewed);
	if (!renewed) {
		route_print_table();
		arp_announce(client->interface);      /* RFC 5227 2.3, once the address is ours */
	}
}

void dhcp_lease_remove(struct dhcp_client *client)
{
	if (!client->leased)
		return;
	client->leased = false;
	net_interface_set_address(client->interface, 0, 0, 0);
	client->lease.mtu = 0;
	apply_mtu(client);
	client->lease.dns_count = 0;
}
