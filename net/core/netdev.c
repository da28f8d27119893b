/* netdev.c - the device list, the NAPI poll step and the receive/transmit
 * boundary between drivers and the stack (contract in net/core/netdev.h). */
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

#include <stdio.h>
#include <string.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/sysctl.h"
#include "net/core/capture.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/core/qdisc.h"
#include "net/ethernet/ethernet.h"

/* Frames one device may hand up per poll before the others get a turn
 * (Linux's net.core.dev_weight). */
static int64_t net_dev_weight = NETDEV_POLL_BUDGET_DEFAULT;
SYSCTL_INTEGER("net.core.dev_weight", net_dev_weight, 1, 4096);

static struct netdev *device_list;

static bool ops_complete(const struct netdev_ops *ops)
{
	return ops && ops->open && ops->xmit && ops->poll && ops->irq_enable && ops->irq_disable;
}

/* A device without a bus position goes after every PCI device. */
static uint32_t sort_key(const struct netdev *dev)
{
	return dev->bus_position ? dev->bus_position : UINT32_MAX;
}

/* eth0, eth1, ... down the list; a device whose name changes says so. */
static void assign_names(void)
{
	unsigned index = 0;
	for (struct netdev *dev = device_list; dev; dev = dev->next, index++) {
		dev->index = index + 1;
		char name[NETDEV_NAME_LENGTH];
		snprintf(name, sizeof(name), "eth%u", index);
		if (strcmp(name, dev->name) == 0)
			continue;
		if (dev->name[0])
			pr_info("%s: renamed from %s\n", name, dev->name);
		memcpy(dev->name, name, sizeof(name));
	}
}

int netdev_register(struct netdev *dev)
{
	if (!ops_complete(dev->ops)) {
		pr_err("net: %s device without the full set of ops, not registered\n",
		       dev->driver_name ? dev->driver_name : "unnamed");
		return -1;
	}
	dev->name[0] = '\0';
	if (dev->mtu == 0)
		dev->mtu = ETHERNET_MTU;
	netdev_tx_queue_limits_init(dev);
	struct netdev **link = &device_list;
	while (*link && sort_key(*link) <= sort_key(dev))
		link = &(*link)->next;
	dev->next = *link;
	*link = dev;
	assign_names();
	pr_info("%s: registered %s %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", dev->name, dev->driver_name,
		dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], dev->mtu);
	return 0;
}

void netdev_add_driver_counter(struct netdev *dev, const char *name, const uint64_t *value)
{
	if (dev->driver_counter_count >= NETDEV_DRIVER_COUNTERS_MAX) {
		pr_warn("%s: no room for driver counter %s\n", dev->name, name);
		return;
	}
	dev->driver_counters[dev->driver_counter_count++] = (struct netdev_counter){ name, value };
}

struct netdev *netdev_first(void)
{
	return device_list;
}

struct netdev *netdev_find(const char *name)
{
	for (struct netdev *dev = device_list; dev; dev = dev->next)
		if (strcmp(dev->name, name) == 0)
			return dev;
	return NULL;
}

unsigned netdev_index(const struct netdev *dev)
{
	return dev->index;
}

/* Linux's default txqueuelen for Ethernet (ether_setup). */
#define NETDEV_TX_QUEUE_LENGTH 1000

unsigned netdev_tx_backlog_limit(void)
{
	return NETDEV_TX_QUEUE_LENGTH;
}

void netdev_set_link(struct netdev *dev, bool up, uint32_t speed_mbps)
{
	bool changed = dev->link_up != up || (up && dev->link_speed_mbps != speed_mbps);
	dev->link_up = up;
	dev->link_speed_mbps = up ? speed_mbps : 0;
	if (!changed)
		return;
	if (up && speed_mbps)
		pr_info("%s: link up, %u Mbps\n", dev->name, speed_mbps);
	else if (up)
		pr_info("%s: link up\n", dev->name);
	else
		pr_info("%s: link down\n", dev->name);
}

void netdev_schedule_poll(struct netdev *dev)
{
	dev->poll_scheduled = true;
}

bool netdev_poll_scheduled_any(void)
{
	for (struct netdev *dev = device_list; dev; dev = dev->next)
		if (dev->poll_scheduled)
			return true;
	return false;
}

bool netdev_poll_mode_any(void)
{
	for (struct netdev *dev = device_list; dev; dev = dev->next)
		if (dev->irq_mode == NETDEV_IRQ_POLL)
			return true;
	return false;
}

void netdev_receive(struct netdev *dev, struct pkt *pkt)
{
	if (dev->administratively_down) {
		net_drop(pkt, NET_DROP_DEVICE_DOWN);
		return;
	}
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += pkt_total_length(pkt);   /* a super-frame (gso_size) counts once, as on Linux */
	pkt->device = dev;
	/* Linux's packet taps (deliver_skb to ptype_all in
	 * __netif_receive_skb_core): the frame as the driver handed it up,
	 * before any layer judged it, so a capture shows what is dropped too. */
	capture_tap_if_active(dev, pkt, CAPTURE_RECEIVED);
	ethernet_input(dev, pkt);
}

/* The features and buffers are gso_device_takes' rule (what netdev_transmit
 * decides on); a frame of its own must also fit the MTU. Fragments are
 * never empty (pkt_append_fragment). */
bool netdev_tx_acceptable(const struct netdev *dev, const struct pkt *pkt)
{
	if (pkt->length < ETHERNET_HEADER_LENGTH || !gso_device_takes(dev, pkt))
		return false;
	return pkt->gso_size != 0 || pkt_total_length(pkt) <= ETHERNET_HEADER_LENGTH + ETHERNET_VLAN_TAG_LENGTH + dev->mtu;
}

int netdev_transmit(struct netdev *dev, struct pkt *pkt)
{
	if (dev->administratively_down) {
		net_drop(pkt, NET_DROP_DEVICE_DOWN);
		return -1;
	}
	pkt->device = dev;
	if (!gso_device_takes(dev, pkt) || qdisc_wants_segments(dev->qdisc, pkt)) {
		dev->tx_segmented_in_software++;
		return gso_transmit(dev, pkt, netdev_queue_transmit);
	}
	return netdev_queue_transmit(dev, pkt);
}

/* NAPI (netdev.h): a poll that used its whole budget leaves the device
 * scheduled; one that did less found the ring empty, so the device's
 * interrupts go back on. The flag is cleared before irq_enable so that an
 * interrupt arriving right after re-schedules rather than being lost. */
static unsigned poll_device(struct netdev *dev, int budget)
{
	int received = dev->ops->poll(dev, budget);
	dev->polls++;
	if (received >= budget) {
		dev->polls_budget_exhausted++;
		return (unsigned)received;
	}
	if (dev->irq_mode != NETDEV_IRQ_POLL) {
		dev->poll_scheduled = false;
		compiler_barrier();
		dev->ops->irq_enable(dev);
	}
	return received > 0 ? (unsigned)received : 0;
}

unsigned net_poll(void)
{
	unsigned processed = 0;
	for (struct netdev *dev = device_list; dev; dev = dev->next) {
		if (dev->poll_scheduled || dev->irq_mode == NETDEV_IRQ_POLL)
			processed += poll_device(dev, (int)net_dev_weight);
		if (dev->qdisc && qdisc_length(dev->qdisc) && !dev->qdisc->throttled)
			processed += netdev_queue_run(dev);
	}
	return processed;
}
