/* net.c - network bring-up (contract in net/net.h), and net_wait_once
 * (net/socket/sock.h): the socket layer's way into the kernel loop. This is
 * the one file that names every layer: net/core, the devices' root qdiscs
 * (sched), the addresses (ipv4), the devices' ARP announcements
 * (ethernet), TCP, the DHCP client (its first DISCOVER as soon as the
 * devices are open), the in-stack services, and with ip=dhcp the wait for
 * a lease before the app starts. */
#include "net/net.h"

#include "kernel/console/printk.h"
#include "kernel/core/loop.h"
#include "kernel/core/sysctl.h"
#include "net/core/netdev.h"
#include "net/core/runtime.h"
#include "net/core/service.h"
#include "net/dhcp/dhcp.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/devconf.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/reassembly.h"
#include "net/netfilter/nft.h"
#include "net/sched/sched.h"
#include "net/socket/sock.h"
#include "net/socket/socket.h"
#include "net/tcp/tcp.h"

static bool network_ready;

static void print_device(struct netdev *dev)
{
	char address[64];
	net_interface_describe(dev, address, sizeof(address));
	pr_info("%s: %s %02x:%02x:%02x:%02x:%02x:%02x irq %s, %s\n", dev->name, dev->driver_name, dev->mac[0],
		dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], netdev_irq_mode_name(dev->irq_mode),
		address);
}

static void open_devices(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (dev->ops->open(dev) != 0) {
			pr_err("%s: open failed, device unused\n", dev->name);
			continue;
		}
		print_device(dev);
		struct net_interface *interface = net_interface_of(dev);
		if (interface && interface->address)
			arp_announce(interface);
	}
}

void net_init(void)
{
	int devices = net_core_init();
	if (devices < 0)
		return;
	if (devices == 0)
		pr_info("net: no network device found\n");
	qdisc_init();
	/* The devices exist: their net.ipv4.conf.<dev>.* take default's values,
	 * then the command line's settings of them (Linux applies sysctl.* after
	 * the drivers probed). */
	ipv4_devconf_init();
	sysctl_apply_cmdline_templates();
	net_interface_configure();
	nft_boot_load();          /* the rules are in place before any device opens */
	open_devices();
	net_core_start();
	/* Secrets, sysctls and timers now rather than on the first segment. */
	arp_init();
	ip_reassembly_stats_init();
	tcp_init();
	socket_stats_init();
	dhcp_start();
	net_services_start();
	network_ready = true;
	dhcp_wait_for_lease();
}

void net_announce_ready(void)
{
	socket_announce_ready(network_ready ? "" : " (no network)");
}

void net_wait_once(uint64_t deadline_ns)
{
	kernel_loop_wait_once(deadline_ns);
}
