/* virtio_net.c - virtio-net over PCI and virtio-mmio: probe (PCI: modern
 * capabilities first, else the legacy I/O interface of a transitional
 * device; MMIO: the virtio_mmio.device= command line entries), device
 * initialization (virtio 1.2 section 3.1.1) up to FEATURES_OK at probe time,
 * queues and DRIVER_OK when the stack opens the device, and link status
 * (VIRTIO_NET_F_STATUS, 5.1.4). Receive and transmit are in
 * virtio_net_rxtx.c, interrupt modes in virtio_net_irq.c. */
#include "drivers/virtio-net/virtio_net.h"
#include "drivers/virtio-net/virtio_pci_regs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/power_of_two.h"
#include "kernel/time/clock.h"
#include "net/core/netdev_driver.h"
#include "net/core/netdev_pci.h"
#include "net/wire/ethernet.h"

/* What we implement (5.1.3). HOST_TSO4 (the device segments our TCP
 * super-segments) and INDIRECT_DESC (a chained pkt takes one ring slot,
 * 2.7.5.3) on transmit; GUEST_TSO4 on receive (the device hands us TCP
 * super-frames of up to 64 KB, virtio_net_rx_offload.c), not GUEST_ECN,
 * TSO6 or UFO, not CTRL_VQ / MQ (one queue pair, no control queue).
 * A backend without a vnet header (QEMU's socket/dgram netdevs) offers
 * neither CSUM nor HOST_TSO4, and then the stack gets neither. */
#define VIRTIO_NET_WANTED_FEATURES                                                                  \
	(VIRTIO_FEATURE(VIRTIO_NET_F_MAC) | VIRTIO_FEATURE(VIRTIO_NET_F_STATUS) |                    \
	 VIRTIO_FEATURE(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_FEATURE(VIRTIO_NET_F_CSUM) |                \
	 VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_FEATURE(VIRTIO_RING_F_EVENT_IDX) |          \
	 VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4) | VIRTIO_FEATURE(VIRTIO_RING_F_INDIRECT_DESC) |      \
	 VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4))
/* Modern: VERSION_1 is mandatory (6.1). Legacy: we put header and frame in
 * one descriptor, which a legacy device accepts only with ANY_LAYOUT (5.1.6.6). */
#define VIRTIO_NET_MODERN_REQUIRED VIRTIO_FEATURE(VIRTIO_F_VERSION_1)
#define VIRTIO_NET_LEGACY_REQUIRED VIRTIO_FEATURE(VIRTIO_F_ANY_LAYOUT)

#define VIRTIO_NET_TSO_MAX_BYTES 65535u     /* an IPv4 datagram */
#define VIRTIO_NET_RING_MINIMUM 2
/* virtio-net reports no speed without VIRTIO_NET_F_SPEED_DUPLEX; 0 = unknown. */
#define VIRTIO_NET_SPEED_UNKNOWN 0
#define VIRTIO_NET_LINK_POLL_NS 1000000000ull
#define MAC_LOCALLY_ADMINISTERED 0x02

static int virtio_net_open(struct netdev *dev);

static const struct netdev_ops virtio_net_ops = {
	.open = virtio_net_open,
	.xmit = virtio_net_xmit,
	.tx_ready = virtio_net_tx_ready,
	.poll = virtio_net_poll,
	.irq_enable = virtio_net_irq_enable,
	.irq_disable = virtio_net_irq_disable,
};

static void fail_device(struct virtio_net *vn, const char *reason)
{
	pr_warn("virtio-net: %s: %s, device not used\n", vn->transport.location, reason);
	virtio_pci_add_status(&vn->transport, VIRTIO_STATUS_FAILED);
}

/* 3.1.1 steps 4-6: read the offer, accept our subset, and (modern) have the
 * device confirm it with FEATURES_OK. */
static int negotiate_features(struct virtio_net *vn)
{
	struct virtio_pci_device *transport = &vn->transport;
	uint64_t offered = transport->ops->device_features(transport);
	uint64_t required = transport->modern ? VIRTIO_NET_MODERN_REQUIRED : VIRTIO_NET_LEGACY_REQUIRED;
	if ((offered & required) != required) {
		fail_device(vn, transport->modern ? "modern device without VERSION_1" : "legacy device without ANY_LAYOUT");
		return -1;
	}
	uint64_t wanted = VIRTIO_NET_WANTED_FEATURES | required;
	/* MAC and STATUS live in the device configuration: no structure, no feature. */
	if (transport->modern && !transport->device_config)
		wanted &= ~(VIRTIO_FEATURE(VIRTIO_NET_F_MAC) | VIRTIO_FEATURE(VIRTIO_NET_F_STATUS));
	vn->features = offered & wanted;
	/* 5.1.3.1: HOST_TSO4 only together with CSUM. */
	if (!(vn->features & VIRTIO_FEATURE(VIRTIO_NET_F_CSUM)))
		vn->features &= ~VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4);
	/* 5.1.3.1: GUEST_TSO4 only together with GUEST_CSUM; and only with
	 * MRG_RXBUF, since our 2 KB buffers take a super-frame only as a
	 * chain (without it 5.1.6.3.1 wants 65562-byte buffers). */
	uint64_t guest_tso_needs = VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_MRG_RXBUF);
	if ((vn->features & guest_tso_needs) != guest_tso_needs)
		vn->features &= ~VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4);
	transport->ops->set_driver_features(transport, vn->features);
	if (!transport->modern)
		return 0;  /* legacy devices have no FEATURES_OK (3.1.2) */
	virtio_pci_add_status(transport, VIRTIO_STATUS_FEATURES_OK);
	if (!(transport->ops->get_status(transport) & VIRTIO_STATUS_FEATURES_OK)) {
		fail_device(vn, "device refused our features (FEATURES_OK did not stick)");
		return -1;
	}
	return 0;
}

/* 2.5.1: a configuration read is consistent when the generation did not move. */
static void read_mac(struct virtio_net *vn)
{
	struct virtio_pci_device *transport = &vn->transport;
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_MAC)) {
		/* 5.1.5: without VIRTIO_NET_F_MAC the driver picks a random address. */
		uint64_t random = rdtsc();
		for (unsigned i = 0; i < ETHERNET_ADDRESS_LENGTH; i++)
			vn->netdev.mac[i] = (uint8_t)(random >> (8 * i));
		vn->netdev.mac[0] = (vn->netdev.mac[0] & 0xFE) | MAC_LOCALLY_ADMINISTERED;
		return;
	}
	uint8_t generation;
	do {
		generation = transport->ops->config_generation(transport);
		for (unsigned i = 0; i < ETHERNET_ADDRESS_LENGTH; i++)
			vn->netdev.mac[i] = transport->ops->config_read8(transport, VIRTIO_NET_CONFIG_MAC + i);
	} while (generation != transport->ops->config_generation(transport));
}

static bool device_link_up(struct virtio_net *vn)
{
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_STATUS))
		return true;  /* 5.1.4: without STATUS the link is assumed up */
	struct virtio_pci_device *transport = &vn->transport;
	return transport->ops->config_read16(transport, VIRTIO_NET_CONFIG_STATUS) & VIRTIO_NET_S_LINK_UP;
}

static void virtio_net_update_link(struct virtio_net *vn)
{
	bool up = device_link_up(vn);
	if (up != vn->netdev.link_up)
		vn->counters.link_changes++;
	netdev_set_link(&vn->netdev, up, VIRTIO_NET_SPEED_UNKNOWN);
}

/* A configuration change interrupt: link status, or (2.1.2) the device
 * telling us it hit an error it cannot recover from without a reset. */
void virtio_net_config_changed(struct virtio_net *vn)
{
	uint8_t status = vn->transport.ops->get_status(&vn->transport);
	if ((status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) && !vn->needs_reset_reported) {
		vn->needs_reset_reported = true;
		pr_err("%s: virtio device reports DEVICE_NEEDS_RESET (status %#x)\n", vn->netdev.name, status);
	}
	virtio_net_update_link(vn);
}

static void add_counters(struct virtio_net *vn)
{
	struct netdev *dev = &vn->netdev;
	struct virtio_net_counters *c = &vn->counters;
	netdev_add_driver_counter(dev, "rx_no_buffer", &c->rx_no_buffer);
	netdev_add_driver_counter(dev, "rx_merged_dropped", &c->rx_merged_dropped);
	netdev_add_driver_counter(dev, "rx_gso_packets", &c->rx_gso_packets);
	netdev_add_driver_counter(dev, "rx_gso_bad_type", &c->rx_gso_bad_type);
	netdev_add_driver_counter(dev, "rx_gso_ecn", &c->rx_gso_ecn);
	netdev_add_driver_counter(dev, "rx_gso_bad_size", &c->rx_gso_bad_size);
	netdev_add_driver_counter(dev, "rx_gso_bad_header_length", &c->rx_gso_bad_header_length);
	netdev_add_driver_counter(dev, "rx_gso_not_tcp", &c->rx_gso_not_tcp);
	netdev_add_driver_counter(dev, "rx_bad_length", &c->rx_bad_length);
	netdev_add_driver_counter(dev, "rx_bad_checksum_request", &c->rx_bad_checksum_request);
	netdev_add_driver_counter(dev, "rx_checksum_completed", &c->rx_checksum_completed);
	netdev_add_driver_counter(dev, "rx_bad_used_entries", &vn->rx_queue.bad_used_entries);
	netdev_add_driver_counter(dev, "tx_ring_full", &c->tx_ring_full);
	netdev_add_driver_counter(dev, "tx_checksum_software", &c->tx_checksum_software);
	netdev_add_driver_counter(dev, "tx_tso_packets", &c->tx_tso_packets);
	netdev_add_driver_counter(dev, "tx_multi_buffer", &c->tx_multi_buffer);
	netdev_add_driver_counter(dev, "tx_offload_rejected", &c->tx_offload_rejected);
	netdev_add_driver_counter(dev, "tx_bad_used_entries", &vn->tx_queue.bad_used_entries);
	netdev_add_driver_counter(dev, "notifications_sent", &c->notifications_sent);
	netdev_add_driver_counter(dev, "notifications_suppressed", &c->notifications_suppressed);
	netdev_add_driver_counter(dev, "tx_forced_notifications", &c->tx_forced_notifications);
	netdev_add_driver_counter(dev, "device_barriers", &c->device_barriers);
	netdev_add_driver_counter(dev, "interrupts_config", &c->interrupts_config);
	netdev_add_driver_counter(dev, "interrupts_rx", &c->interrupts_rx);
	netdev_add_driver_counter(dev, "interrupts_tx", &c->interrupts_tx);
	netdev_add_driver_counter(dev, "interrupts_intx", &c->interrupts_intx);
	netdev_add_driver_counter(dev, "interrupts_intx_not_ours", &c->interrupts_intx_not_ours);
	netdev_add_driver_counter(dev, "interrupts_mmio", &c->interrupts_mmio);
	netdev_add_driver_counter(dev, "link_changes", &c->link_changes);
}

static int queue_size_for(struct virtio_net *vn, uint16_t index, unsigned (*configured)(unsigned, unsigned));

/* Chains of up to VIRTIO_NET_TX_BUFFERS_MAX buffers: in one indirect table,
 * or else in at most a quarter of the TX ring, so a few pkts fit at once.
 * Scatter-gather only with CSUM (a chained pkt cannot be summed here), TSO
 * only when a 64 KB pkt of 2 KB buffers fits in one chain. */
static void set_transmit_offloads(struct virtio_net *vn)
{
	struct netdev *dev = &vn->netdev;
	unsigned buffers = VIRTIO_NET_TX_BUFFERS_MAX;
	if (!virtio_net_has_feature(vn, VIRTIO_RING_F_INDIRECT_DESC)) {
		int ring = queue_size_for(vn, VIRTIO_NET_QUEUE_TX, netdev_tx_ring_size);
		unsigned quarter = ring > 0 ? (unsigned)ring / 4 : 1;
		if (quarter < buffers)
			buffers = quarter;
	}
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_CSUM) || buffers < 2)
		return;
	dev->features |= NETDEV_FEATURE_SCATTER_GATHER;
	dev->tx_max_buffers = (uint16_t)buffers;
	unsigned full_tso_buffers = (VIRTIO_NET_TSO_MAX_BYTES + PKT_DATA_SIZE - 1) / PKT_DATA_SIZE + 1;
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_HOST_TSO4) && buffers >= full_tso_buffers) {
		dev->features |= NETDEV_FEATURE_TSO4;
		dev->tso_max_bytes = VIRTIO_NET_TSO_MAX_BYTES;
	}
}

static void fill_netdev(struct virtio_net *vn)
{
	struct netdev *dev = &vn->netdev;
	dev->driver_name = "virtio-net";
	dev->ops = &virtio_net_ops;
	dev->mtu = ETHERNET_MTU;
	vn->header_size = (vn->transport.modern || virtio_net_has_feature(vn, VIRTIO_NET_F_MRG_RXBUF))
				  ? sizeof(struct virtio_net_header)
				  : VIRTIO_NET_HEADER_LEGACY_SIZE;
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_CSUM))
		dev->features |= NETDEV_FEATURE_TX_CHECKSUM;
	set_transmit_offloads(vn);
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_GUEST_CSUM))
		dev->features |= NETDEV_FEATURE_RX_CHECKSUM;
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_GUEST_TSO4))
		dev->features |= NETDEV_FEATURE_RX_GRO_HW;
	read_mac(vn);
	add_counters(vn);
}

/* Modern when the capabilities are there and usable; a transitional device
 * whose modern BAR the firmware left unassigned still has the legacy one. */
static int init_transport(struct virtio_net *vn, struct pci_device *pci)
{
	snprintf(vn->transport.location, sizeof(vn->transport.location), "%02x:%02x.%u", pci->address.bus,
		 pci->address.slot, pci->address.function);
	if (virtio_pci_has_modern_capabilities(pci)) {
		pci_enable_memory(pci);
		if (virtio_pci_modern_init(&vn->transport, pci) == 0)
			return 0;
		if (pci->device_id != VIRTIO_PCI_DEVICE_NET_TRANSITIONAL)
			return -1;
		pr_warn("virtio-net: %02x:%02x.%u: falling back to the legacy interface\n", pci->address.bus,
			pci->address.slot, pci->address.function);
	}
	return virtio_pci_legacy_init(&vn->transport, pci);
}

/* 3.1.1 steps 1-6 and the device configuration, on a transport already
 * found; the rest waits for open. Frees vn on failure. */
static int attach(struct virtio_net *vn)
{
	vn->mmio_irq.vector = -1;
	if (virtio_pci_reset(&vn->transport) != 0) {
		fail_device(vn, "reset did not complete");
		goto free_state;
	}
	virtio_pci_add_status(&vn->transport, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_pci_add_status(&vn->transport, VIRTIO_STATUS_DRIVER);
	if (negotiate_features(vn) != 0)
		goto free_state;
	fill_netdev(vn);
	if (netdev_register(&vn->netdev) != 0)
		goto reset_device;
	pr_info("%s: virtio-net %s, %s interface, features %#llx, header %u bytes\n", vn->netdev.name,
		vn->transport.location, vn->transport.ops->name, (unsigned long long)vn->features, vn->header_size);
	return 0;

reset_device:
	virtio_pci_reset(&vn->transport);
free_state:
	free(vn);
	return -1;
}

static bool is_virtio_net(const struct pci_device *pci)
{
	return pci->vendor_id == VIRTIO_PCI_VENDOR_ID && (pci->device_id == VIRTIO_PCI_DEVICE_NET_TRANSITIONAL ||
							   pci->device_id == VIRTIO_PCI_DEVICE_NET_MODERN);
}

static int attach_pci(struct pci_device *pci)
{
	struct virtio_net *vn = calloc(1, sizeof *vn);
	if (!vn)
		return -1;
	if (init_transport(vn, pci) != 0) {
		free(vn);
		return -1;
	}
	pci_enable_bus_master(pci);
	vn->netdev.bus_position = netdev_pci_position(pci);
	return attach(vn);
}

/* One virtio_mmio.device= word (Linux's syntax; QEMU's microvm with
 * acpi=off and Firecracker append them). */
static void attach_mmio(const char *key, const char *value, void *context)
{
	int *attached = context;
	struct virtio_mmio_location location;
	if (strcmp(key, "virtio_mmio.device") != 0)
		return;
	if (virtio_mmio_parse(value, &location) != 0) {
		pr_warn("virtio-mmio: malformed virtio_mmio.device=%s (want <size>@<base>:<gsi>), ignored\n", value);
		return;
	}
	struct virtio_net *vn = calloc(1, sizeof *vn);
	if (!vn)
		return;
	if (virtio_mmio_init(&vn->transport, &location) != 0) {
		free(vn);
		return;
	}
	if (attach(vn) == 0)
		(*attached)++;
}

static int virtio_net_probe(void)
{
	struct pci_device *pci;
	int attached = 0;
	pci_for_each_device(pci) {
		if (is_virtio_net(pci) && attach_pci(pci) == 0)
			attached++;
	}
	cmdline_for_each_prefix("virtio_mmio.device", attach_mmio, &attached);
	return attached;
}
NETDEV_DRIVER("virtio-net", virtio_net_probe);

/* Modern devices take any power of two up to their maximum (4.1.4.3.2);
 * legacy devices only their own size. */
static int queue_size_for(struct virtio_net *vn, uint16_t index, unsigned (*configured)(unsigned, unsigned))
{
	uint16_t maximum = vn->transport.ops->queue_max_size(&vn->transport, index);
	if (maximum == 0 || maximum < VIRTIO_NET_RING_MINIMUM)
		return -1;
	if (!vn->transport.modern)
		return maximum;
	return (int)round_down_power_of_two(configured(VIRTIO_NET_RING_MINIMUM, maximum));
}

static int setup_queue(struct virtio_net *vn, struct virtqueue *queue, uint16_t index,
		       unsigned (*configured)(unsigned, unsigned))
{
	int size = queue_size_for(vn, index, configured);
	bool event_index = virtio_net_has_feature(vn, VIRTIO_RING_F_EVENT_IDX);
	if (size < 0 || virtqueue_init(queue, index, (uint16_t)size, event_index) != 0)
		return -1;
	if (vn->transport.ops->queue_activate(&vn->transport, queue) != 0) {
		virtqueue_destroy(queue);
		return -1;
	}
	uint16_t maximum = vn->transport.ops->queue_max_size(&vn->transport, index);
	if (index == VIRTIO_NET_QUEUE_RX)
		vn->netdev.rings = (struct netdev_rings){ (uint32_t)size, vn->netdev.rings.tx, maximum, vn->netdev.rings.tx_maximum };
	else if (index == VIRTIO_NET_QUEUE_TX)
		vn->netdev.rings = (struct netdev_rings){ vn->netdev.rings.rx, (uint32_t)size, vn->netdev.rings.rx_maximum, maximum };
	return 0;
}

static void link_poll_timer(struct timer *timer, void *context)
{
	struct virtio_net *vn = context;
	virtio_net_update_link(vn);
	timer_arm(timer, clock_monotonic_ns() + VIRTIO_NET_LINK_POLL_NS);
}

/* 3.1.1 steps 7-8: interrupts (MSI-X vectors are per queue, so first),
 * queues, receive buffers, DRIVER_OK. */
static int virtio_net_open(struct netdev *dev)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	virtio_net_setup_interrupts(vn);
	if (setup_queue(vn, &vn->rx_queue, VIRTIO_NET_QUEUE_RX, netdev_rx_ring_size) != 0 ||
	    setup_queue(vn, &vn->tx_queue, VIRTIO_NET_QUEUE_TX, netdev_tx_ring_size) != 0 ||
	    (virtio_net_has_feature(vn, VIRTIO_RING_F_INDIRECT_DESC) &&
	     virtqueue_enable_indirect(&vn->tx_queue, VIRTIO_NET_TX_BUFFERS_MAX) != 0)) {
		fail_device(vn, "cannot set up the virtqueues");
		virtio_net_release_interrupts(vn);
		return -1;
	}
	virtio_net_setup_ordering(vn);
	if (dev->irq_mode == NETDEV_IRQ_POLL)
		virtio_net_irq_disable(dev);
	virtio_net_rx_fill(vn);
	virtio_pci_add_status(&vn->transport, VIRTIO_STATUS_DRIVER_OK);
	/* Buffers made available before DRIVER_OK may not have been looked at. */
	vn->transport.ops->notify(&vn->transport, &vn->rx_queue);
	pr_info("%s: virtio-net rx ring %u, tx ring %u, irq %s\n", dev->name, vn->rx_queue.size, vn->tx_queue.size,
		netdev_irq_mode_name(dev->irq_mode));
	virtio_net_update_link(vn);
	if (dev->irq_mode == NETDEV_IRQ_POLL && virtio_net_has_feature(vn, VIRTIO_NET_F_STATUS)) {
		timer_setup(&vn->link_timer, link_poll_timer, vn);
		timer_arm(&vn->link_timer, clock_monotonic_ns() + VIRTIO_NET_LINK_POLL_NS);
	}
	return 0;
}
