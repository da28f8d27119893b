/* lifecycle.c - the DHCP client's place in the system (contract in
 * net/dhcp/dhcp.h): started by the bring-up, waited for before the app
 * starts, asked for the DNS servers, and releasing its lease on an orderly
 * shutdown (RFC 2131 4.4.6; kernel_shutdown's notifiers, never on panic). */
#include "net/dhcp/dhcp.h"

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/loop.h"
#include "kernel/core/panic.h"
#include "kernel/time/clock.h"
#include "net/dhcp/internal.h"
#include "net/ipv4/ip_config.h"

CMDLINE_KEY("keel.dhcp.timeout", "<seconds>: start the app without a DHCP lease after this long (default 60)");

#define WAIT_DEFAULT_S 60

static bool running;

static void release_on_shutdown(void)
{
	struct dhcp_client *client = &dhcp_client;
	if (!client->leased)
		return;
	char address[16];
	dhcp_send_release(client);
	pr_info("%s: dhcp released %s\n", client->interface->device->name,
		ipv4_address_format(client->lease.address, address));
}

void dhcp_start(void)
{
	struct net_interface *interface = net_interface_dhcp();
	if (interface == NULL)
		return;
	dhcp_client.interface = interface;
	running = dhcp_client_open(&dhcp_client);
	if (running)
		kernel_shutdown_notifier_register(release_on_shutdown);
}

void dhcp_wait_for_lease(void)
{
	if (!running)
		return;
	uint64_t timeout_s = cmdline_get_u64("keel.dhcp.timeout", WAIT_DEFAULT_S);
	uint64_t deadline = clock_monotonic_ns() + timeout_s * NSEC_PER_SEC;
	while (!dhcp_client.leased && clock_monotonic_ns() < deadline)
		kernel_loop_wait_once(deadline);
	if (!dhcp_client.leased)
		pr_warn("%s: dhcp: no lease after %llu s: starting without an address, still trying\n",
			dhcp_client.interface->device->name, (unsigned long long)timeout_s);
}

unsigned dhcp_dns_servers(be32 *servers, unsigned max)
{
	if (!dhcp_client.leased)
		return 0;
	unsigned count = dhcp_client.lease.dns_count < max ? dhcp_client.lease.dns_count : max;
	for (unsigned i = 0; i < count; i++)
		servers[i] = dhcp_client.lease.dns[i];
	return count;
}
