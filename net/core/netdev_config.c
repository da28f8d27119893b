/* netdev_config.c - the command-line knobs drivers ask about: interrupt
 * mode (keel.irq=) and ring sizes (keel.rxring=, keel.txring=); and the
 * per-device MTU (keel.mtu=) applied once the devices are registered. */
#include "net/core/netdev.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/power_of_two.h"
#include "kernel/pci/interrupts.h"
#include "net/core/netdev_pci.h"
#include "net/core/pkt.h"

CMDLINE_KEY("keel.irq", "NIC interrupt mode: msix, msi, intx or poll (default: the best the device supports)");
CMDLINE_KEY("keel.rxring", "RX descriptors per NIC (default 256)");
CMDLINE_KEY("keel.txring", "TX descriptors per NIC (default 256)");
CMDLINE_KEY("keel.mtu", "<device>:<mtu> a device's MTU, as ip link set dev <device> mtu <mtu> (repeatable; only lowers)");
CMDLINE_KEY("keel.tso", "TCP segmentation offload: on (default, where the NIC has it) or off (as ethtool -K tso off)");

#define RING_SIZE_DEFAULT 256

/* keel.irq= names the PCI interrupt modes, in the same order (netdev_pci.h
 * asserts it): the names are kernel/pci's. */
const char *netdev_irq_mode_name(enum netdev_irq_mode mode)
{
	return pci_interrupt_mode_name((enum pci_interrupt_mode)mode);
}

static enum netdev_irq_mode parse_irq_mode(void)
{
	const char *value = cmdline_get("keel.irq");
	if (value == NULL || value[0] == '\0')
		return NETDEV_IRQ_MSIX;
	for (unsigned mode = NETDEV_IRQ_MSIX; mode <= NETDEV_IRQ_POLL; mode++)
		if (strcmp(value, netdev_irq_mode_name((enum netdev_irq_mode)mode)) == 0)
			return (enum netdev_irq_mode)mode;
	pr_warn("net: keel.irq=%s is not msix, msi, intx or poll: using the best mode each device supports\n", value);
	return NETDEV_IRQ_MSIX;
}

/* Parsed once, so an invalid value is warned about once. */
enum netdev_irq_mode netdev_requested_irq_mode(void)
{
	static bool parsed;
	static enum netdev_irq_mode requested;
	if (!parsed) {
		requested = parse_irq_mode();
		parsed = true;
	}
	return requested;
}

/* Without keel.rxring=/txring=, a ring holds at most a quarter of the
 * packet pool (a power of two): the RX ring is filled with pool buffers at
 * open, and a pool sized down to a small machine's memory (pkt_pool.c) must
 * keep buffers for TX, TCP and reassembly. */
static unsigned ring_size_default(void)
{
	unsigned size = round_down_power_of_two(pkt_pool_get_stats().total / 4);
	if (size > RING_SIZE_DEFAULT)
		size = RING_SIZE_DEFAULT;
	static bool reported;
	if (size != RING_SIZE_DEFAULT && !reported) {
		reported = true;
		pr_info("net: rings of %u descriptors for a pool of %u buffers (keel.rxring=, keel.txring= override)\n",
			size, pkt_pool_get_stats().total);
	}
	return size;
}

static unsigned ring_size(const char *key, unsigned minimum, unsigned maximum)
{
	bool given = cmdline_has(key);
	uint64_t size = given ? cmdline_get_u64(key, RING_SIZE_DEFAULT) : ring_size_default();
	uint64_t clamped = size < minimum ? minimum : size > maximum ? maximum : size;
	if (clamped != size && given)
		pr_warn("net: %s=%llu out of this device's range [%u, %u], using %llu\n", key,
			(unsigned long long)size, minimum, maximum, (unsigned long long)clamped);
	return (unsigned)clamped;
}

unsigned netdev_rx_ring_size(unsigned minimum, unsigned maximum)
{
	return ring_size("keel.rxring", minimum, maximum);
}

unsigned netdev_tx_ring_size(unsigned minimum, unsigned maximum)
{
	return ring_size("keel.txring", minimum, maximum);
}

/* keel.tso=off keeps TCP to one segment per pkt even on a TSO device (the
 * way to compare, or to work around a device whose TSO misbehaves). */
bool netdev_tso_usable(const struct netdev *dev)
{
	static int enabled = -1;
	if (enabled < 0) {
		const char *value = cmdline_get("keel.tso");
		enabled = value == NULL || strcmp(value, "on") == 0 || strcmp(value, "1") == 0;
		if (value && enabled == 0 && strcmp(value, "off") != 0 && strcmp(value, "0") != 0)
			pr_warn("net: keel.tso=%s is not on or off: TSO off\n", value);
	}
	uint32_t needed = NETDEV_FEATURE_TSO4 | NETDEV_FEATURE_SCATTER_GATHER | NETDEV_FEATURE_TX_CHECKSUM;
	return enabled && dev && (dev->features & needed) == needed && dev->tso_max_bytes && dev->tx_max_buffers > 1;
}

/* keel.mtu=<device>:<mtu>: what `ip link set dev <device> mtu <mtu>` does,
 * at boot. Only down from what the driver registered (its buffers are
 * sized for that), and not below RFC 791's 68. */
#define MTU_MINIMUM 68

static void apply_one_mtu(const char *key, const char *value, void *context)
{
	if (strcmp(key, "keel.mtu") != 0)
		return;
	const char *colon = strchr(value, ':');
	char *end = NULL;
	unsigned long mtu = colon ? strtoul(colon + 1, &end, 10) : 0;
	struct netdev *dev = netdev_first();
	while (dev && colon && (strlen(dev->name) != (size_t)(colon - value) ||
				strncmp(dev->name, value, (size_t)(colon - value)) != 0))
		dev = dev->next;
	if (colon == NULL || end == colon + 1 || *end != '\0' || dev == NULL) {
		pr_warn("net: keel.mtu=%s is not <device>:<mtu> for a device present: ignored\n", value);
		return;
	}
	if (mtu < MTU_MINIMUM || mtu > dev->mtu) {
		pr_warn("net: keel.mtu=%s out of %s's range [%u, %u]: ignored\n", value, dev->name, MTU_MINIMUM, dev->mtu);
		return;
	}
	dev->mtu = (uint32_t)mtu;
	pr_info("%s: mtu %u (keel.mtu=)\n", dev->name, dev->mtu);
}

void netdev_apply_mtu_cmdline(void)
{
	cmdline_for_each_prefix("keel.mtu", apply_one_mtu, NULL);
}
