/* netdev.c - the device list, the NAPI poll step and the receive/transmit
 * boundary between drivers and the stack (contract in net/core/netdev.h). */
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

#include <stdio.h>
#include <string.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/sysctl.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/ethernet/ethernet.h"

/* Frames one device may hand up per poll before the others get a turn
 * (Linux's net.core.dev_weight). */
static int64_t net_dev_weight = NETDEV_POLL_BUDGET_DEFAULT;
SYSCTL_INTEGER("net.core.dev_weight", net_dev_weight, 1, 4096);

/* Frames a device holds while its ring is full, as Linux's default
 * txqueuelen; each holds pool buffers, so the pool bounds it too. */
#define TX_BACKLOG_LIMIT 1000

static struct netdev *device_list;
static unsigned device_count;

static bool ops_complete(const struct netdev_ops *ops)
{
	return ops && ops->open && ops->xmit && ops->poll && ops->irq_enable && ops->irq_disable;
}

int netdev_register(struct netdev *dev)
{
	if (!ops_complete(dev->ops)) {
		pr_err("net: %s device without the full set of ops, not registered\n",
		       dev->driver_name ? dev->driver_name : "unnamed");
		return -1;
	}
	snprintf(dev->name, sizeof(dev->name), "eth%u", device_count);
	if (dev->mtu == 0)
		dev->mtu = ETHERNET_MTU;
	dev->next = NULL;
	pkt_queue_init(&dev->tx_backlog, TX_BACKLOG_LIMIT);
	struct netdev **link = &device_list;
	while (*link)
		link = &(*link)->next;
	*link = dev;
	device_count++;
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
	unsigned index = 1;
	for (const struct netdev *other = device_list; other && other != dev; other = other->next)
		index++;
	return index;
}

unsigned netdev_tx_backlog_limit(void)
{
	return TX_BACKLOG_LIMIT;
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
	dev->stats.rx_bytes += pkt->length;
	pkt->device = dev;
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

static int hand_to_driver(struct netdev *dev, struct pkt *pkt)
{
	uint32_t frames;
	uint64_t bytes;
	gso_wire_size(pkt, &frames, &bytes);
	if (dev->ops->xmit(dev, pkt) != 0)
		return -1;
	dev->stats.tx_packets += frames;
	dev->stats.tx_bytes += bytes;
	return 0;
}

/* Backlogged frames keep their order: a new one waits behind them. */
static int transmit_or_queue(struct netdev *dev, struct pkt *pkt)
{
	if (dev->ops->tx_ready == NULL || (dev->tx_backlog.count == 0 && dev->ops->tx_ready(dev, pkt)))
		return hand_to_driver(dev, pkt);
	if (pkt_queue_push(&dev->tx_backlog, pkt) != 0) {
		net_drop(NULL, NET_DROP_TX_BACKLOG_FULL);
		dev->stats.tx_dropped++;
		return 0;  /* counted here, not again as tx_failed */
	}
	dev->tx_backlogged++;
	return 0;
}

int netdev_transmit(struct netdev *dev, struct pkt *pkt)
{
	if (dev->administratively_down) {
		net_drop(pkt, NET_DROP_DEVICE_DOWN);
		return -1;
	}
	pkt->device = dev;
	if (!gso_device_takes(dev, pkt)) {
		dev->tx_segmented_in_software++;
		return gso_transmit(dev, pkt, transmit_or_queue);
	}
	return transmit_or_queue(dev, pkt);
}

static unsigned drain_backlog(struct netdev *dev)
{
	unsigned sent = 0;
	while (dev->tx_backlog.head && dev->ops->tx_ready(dev, dev->tx_backlog.head)) {
		if (hand_to_driver(dev, pkt_queue_pop(&dev->tx_backlog)) != 0)
			net_drop(NULL, NET_DROP_TX_FAILED);
		sent++;
	}
	return sent;
}

bool netdev_tx_backlog_any(void)
{
	for (struct netdev *dev = device_list; dev; dev = dev->next)
		if (dev->tx_backlog.count)
			return true;
	return false;
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
		if (dev->tx_backlog.count)
			processed += drain_backlog(dev);
	}
	return processed;
}
