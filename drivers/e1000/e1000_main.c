/* e1000_main.c - probe, open and the netdev ops of the e1000/e1000e driver
 * (contract in e1000.h): which chips we drive, the order of bring-up, the
 * NAPI poll, the driver counters and the periodic statistics fold. */
#include "drivers/e1000/e1000.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"
#include "kernel/time/clock.h"
#include "net/core/netdev_driver.h"
#include "net/core/netdev_pci.h"
#include "net/wire/ethernet.h"

#include <stdlib.h>

#define PCI_VENDOR_INTEL 0x8086
#define E1000_MMIO_BAR 0
#define E1000_STATS_INTERVAL_NS NSEC_PER_SEC      /* 32-bit counters cannot wrap in a second */
#define E1000_POLL_LINK_INTERVAL_NS (100 * NSEC_PER_MSEC)
#define E1000_DEVICE_82547GI 0x1075
#define E1000_TSO_MAX_BYTES 65535u     /* an IPv4 datagram; PAYLEN (20 bits) allows more */

/* Copper parts whose init is the one in 8254x SDM 14 (QEMU: e1000 =
 * 82540EM, e1000-82544gc, e1000-82545em) and the 82574 (QEMU: e1000e).
 * Fiber/SerDes parts and the 82543 (TBI, no ASDE) are left out. */
static const struct e1000_model e1000_models[] = {
	{ 0x100E, "82540EM", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1015, "82540EM-LOM", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1016, "82540EP-LOM", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1017, "82540EP", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x101E, "82540EP-LP", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x100C, "82544GC", E1000_FAMILY_8254X, E1000_EERD_NONE },
	{ 0x100F, "82545EM", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1026, "82545GM", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1010, "82546EB", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1079, "82546GB", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_8 },
	{ 0x1076, "82541GI", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_2 },
	{ 0x107C, "82541PI", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_2 },
	{ 0x1075, "82547GI", E1000_FAMILY_8254X, E1000_EERD_ADDRESS_2 },
	{ 0x10D3, "82574L", E1000_FAMILY_82574, E1000_EERD_ADDRESS_2 },
	{ 0x10F6, "82574LA", E1000_FAMILY_82574, E1000_EERD_ADDRESS_2 },
};

void *e1000_ring_alloc(unsigned count)
{
	size_t bytes = (size_t)count * sizeof(struct e1000_rx_desc);
	uint64_t physical = pmm_alloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	/* Whole pages: the 128-byte alignment RDBAL/TDBAL want comes free. */
	return physical ? phys_to_virt(physical) : NULL;
}

/* Causes the interrupt handlers saw (LSC, RXO) are acted on here, in the
 * net loop; in poll mode STATUS is simply looked at every 100 ms. */
static void poll_link_and_causes(struct e1000 *nic)
{
	uint32_t causes = __atomic_exchange_n(&nic->pending_causes, 0, __ATOMIC_SEQ_CST);
	if (causes & E1000_INT_RXO)
		nic->counters.irq_rx_overrun++;
	bool check_link = causes & E1000_INT_LSC;
	if (nic->netdev.irq_mode == NETDEV_IRQ_POLL) {
		uint64_t now = clock_monotonic_ns();
		if (now >= nic->next_link_check_ns) {
			nic->next_link_check_ns = now + E1000_POLL_LINK_INTERVAL_NS;
			check_link = true;
		}
	}
	if (check_link)
		e1000_update_link(nic);
}

static int e1000_poll(struct netdev *dev, int budget)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	poll_link_and_causes(nic);
	int received = e1000_rx_poll(nic, budget);
	e1000_tx_reclaim(nic);
	return received;
}

static void stats_timer_expired(struct timer *timer, void *context)
{
	struct e1000 *nic = context;
	e1000_update_stats(nic);
	timer_arm(timer, clock_monotonic_ns() + E1000_STATS_INTERVAL_NS);
}

/* Bring-up after probe's reset (8254x SDM 14.4-14.5, 82574 DS 4.6):
 * rings first, then interrupts, then RX/TX on, then unmask. */
static int e1000_open(struct netdev *dev)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	if (e1000_rx_init(nic) != 0 || e1000_tx_init(nic) != 0) {
		pr_err("%s: no memory for the descriptor rings\n", dev->name);
		return -1;
	}
	e1000_irq_setup(nic);
	e1000_tx_enable(nic);
	e1000_rx_enable(nic);
	e1000_update_link(nic);
	timer_setup(&nic->stats_timer, stats_timer_expired, nic);
	timer_arm(&nic->stats_timer, clock_monotonic_ns() + E1000_STATS_INTERVAL_NS);
	e1000_irq_enable(dev);
	return 0;
}

static const struct netdev_ops e1000_ops = {
	.open = e1000_open,
	.xmit = e1000_xmit,
	.tx_ready = e1000_tx_ready,
	.poll = e1000_poll,
	.irq_enable = e1000_irq_enable,
	.irq_disable = e1000_irq_disable,
};

static void add_counters(struct e1000 *nic)
{
	struct netdev *dev = &nic->netdev;
	struct e1000_counters *counters = &nic->counters;
	netdev_add_driver_counter(dev, "rx_no_buffer", &counters->rx_no_buffer);
	netdev_add_driver_counter(dev, "rx_discard_multi_descriptor", &counters->rx_discard_multi_descriptor);
	netdev_add_driver_counter(dev, "rx_descriptor_errors", &counters->rx_descriptor_errors);
	netdev_add_driver_counter(dev, "rx_checksum_offloaded", &counters->rx_checksum_offloaded);
	netdev_add_driver_counter(dev, "rx_hw_no_descriptor", &counters->rx_hw_no_descriptor);
	netdev_add_driver_counter(dev, "tx_ring_full", &counters->tx_ring_full);
	netdev_add_driver_counter(dev, "tx_checksum_offloaded", &counters->tx_checksum_offloaded);
	netdev_add_driver_counter(dev, "tx_checksum_software", &counters->tx_checksum_software);
	netdev_add_driver_counter(dev, "tx_tso_packets", &counters->tx_tso_packets);
	netdev_add_driver_counter(dev, "tx_tso_segments", &counters->tx_tso_segments);
	netdev_add_driver_counter(dev, "tx_context_descriptors", &counters->tx_context_descriptors);
	netdev_add_driver_counter(dev, "tx_offload_rejected", &counters->tx_offload_rejected);
	netdev_add_driver_counter(dev, "irq_rx", &counters->irq_rx);
	netdev_add_driver_counter(dev, "irq_tx", &counters->irq_tx);
	netdev_add_driver_counter(dev, "irq_other", &counters->irq_other);
	netdev_add_driver_counter(dev, "irq_not_ours", &counters->irq_not_ours);
	netdev_add_driver_counter(dev, "irq_rx_overrun", &counters->irq_rx_overrun);
	netdev_add_driver_counter(dev, "link_changes", &counters->link_changes);
}

/* Every supported chip sums and gathers with context + data descriptors
 * (8254x SDM 3.3.5-3.3.7; 82574 DS 7.2). TSO (8254x SDM 3.5) too, except
 * on the 82547, whose TX FIFO stalls on large packets in half duplex
 * (errata; Linux leaves TSO off there as well). Scatter-gather needs a ring
 * that takes at least two buffers per pkt, TSO one that takes a 64 KB pkt
 * of 2 KB buffers in one go. */
static void set_offload_features(struct netdev *dev, const struct e1000_model *model)
{
	unsigned ring = netdev_tx_ring_size(E1000_RING_MINIMUM, E1000_RING_MAXIMUM);
	ring -= ring % E1000_RING_COUNT_MULTIPLE;
	dev->features = NETDEV_FEATURE_RX_CHECKSUM | NETDEV_FEATURE_TX_CHECKSUM;
	dev->tx_max_buffers = e1000_tx_max_buffers(ring);
	if (dev->tx_max_buffers >= 2)
		dev->features |= NETDEV_FEATURE_SCATTER_GATHER;
	uint32_t full_tso_buffers = (E1000_TSO_MAX_BYTES + PKT_DATA_SIZE - 1) / PKT_DATA_SIZE + 1;
	if (model->device_id != E1000_DEVICE_82547GI && dev->tx_max_buffers >= full_tso_buffers) {
		dev->features |= NETDEV_FEATURE_TSO4;
		dev->tso_max_bytes = E1000_TSO_MAX_BYTES;
	}
}

/* Probe of one function: BAR0 mapped, decoding and bus mastering on, global
 * reset, MAC-layer set-up (8254x SDM 14.3), MAC address, registration. */
static int e1000_attach(struct pci_device *pci, const struct e1000_model *model)
{
	struct e1000 *nic = calloc(1, sizeof(*nic));
	if (!nic)
		return -1;
	nic->pci = pci;
	nic->model = model;
	pci_enable_memory(pci);
	pci_enable_bus_master(pci);
	nic->registers = pci_map_bar(pci, E1000_MMIO_BAR);
	if (!nic->registers) {
		pr_warn("e1000: %02x:%02x.%u %s: BAR0 is not an assigned memory BAR, skipped\n", pci->address.bus,
			pci->address.slot, pci->address.function, model->name);
		goto free_nic;
	}
	if (e1000_reset(nic) != 0)
		goto free_nic;
	e1000_init_mac_layer(nic);
	if (e1000_read_mac_address(nic) != 0)
		goto free_nic;

	struct netdev *dev = &nic->netdev;
	dev->driver_name = model->family == E1000_FAMILY_82574 ? "e1000e" : "e1000";
	dev->ops = &e1000_ops;
	dev->mtu = ETHERNET_MTU;
	dev->bus_position = netdev_pci_position(pci);
	set_offload_features(dev, model);
	pr_info("e1000: %02x:%02x.%u Intel %s (8086:%04x)\n", pci->address.bus, pci->address.slot,
		pci->address.function, model->name, model->device_id);
	if (netdev_register(dev) != 0)
		goto free_nic;
	add_counters(nic);
	return 0;
free_nic:
	free(nic);
	return -1;
}

static const struct e1000_model *model_for(const struct pci_device *pci)
{
	if (pci->vendor_id != PCI_VENDOR_INTEL)
		return NULL;
	for (unsigned i = 0; i < sizeof(e1000_models) / sizeof(e1000_models[0]); i++)
		if (e1000_models[i].device_id == pci->device_id)
			return &e1000_models[i];
	return NULL;
}

static int e1000_probe(void)
{
	int registered = 0;
	struct pci_device *pci;
	pci_for_each_device(pci) {
		const struct e1000_model *model = model_for(pci);
		if (model && e1000_attach(pci, model) == 0)
			registered++;
	}
	return registered;
}

NETDEV_DRIVER("e1000", e1000_probe);
