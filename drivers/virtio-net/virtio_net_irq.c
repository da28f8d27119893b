/* virtio_net_irq.c - interrupt modes of virtio-net and NAPI masking.
 *
 * MSI-X: table entry 0 for configuration changes, 1 for the receive queue,
 * 2 for the transmit queue (4.1.5.1.2: msix_config / queue_msix_vector, read
 * back to see the device took them). INTx: one level-triggered line whose
 * handler reads the ISR byte (which clears it and lowers the line, 4.1.4.5);
 * 0 means another function on the line. Virtio has no plain MSI. Poll: no
 * vector at all, notifications kept off. virtio-mmio: one level-triggered
 * IOAPIC input (the GSI of its virtio_mmio.device= entry, kernel/arch/x86/
 * gsi.h) with the INTx handler (InterruptACK lowers it); shown as "intx".
 *
 * "Masking" for NAPI is used buffer notification suppression on both queues
 * (2.7.7) rather than the MSI-X mask bits: it costs no register access, and
 * with EVENT_IDX the device sends at most one interrupt per enable anyway. */
#include "drivers/virtio-net/virtio_net.h"
#include "drivers/virtio-net/virtio_pci_regs.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "net/core/netdev_pci.h"

void virtio_net_irq_disable(struct netdev *dev)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	virtqueue_disable_notifications(&vn->rx_queue);
	virtqueue_disable_notifications(&vn->tx_queue);
}

/* NAPI complete: notifications back on, then one more look at both used rings
 * (2.7.14): buffers used before the device saw the enable raise nothing, so
 * if there are any we stay scheduled. Both queues at once: where a device
 * barrier is installed, one status read per poll, not one per queue. */
void virtio_net_irq_enable(struct netdev *dev)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	if (dev->irq_mode == NETDEV_IRQ_POLL)
		return;
	struct virtqueue *const queues[] = { &vn->rx_queue, &vn->tx_queue };
	if (virtqueue_enable_notifications_all(queues, 2) || vn->config_changed) {
		virtio_net_irq_disable(dev);
		netdev_schedule_poll(dev);
	}
}

static void schedule_poll(struct virtio_net *vn)
{
	vn->netdev.interrupts++;
	virtio_net_irq_disable(&vn->netdev);
	netdev_schedule_poll(&vn->netdev);
}

static void config_interrupt(void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_config++;
	vn->config_changed = true;
	schedule_poll(vn);
}

static void rx_interrupt(void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_rx++;
	schedule_poll(vn);
}

static void tx_interrupt(void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_tx++;
	schedule_poll(vn);
}

static void intx_interrupt(void *context)
{
	struct virtio_net *vn = context;
	uint8_t isr = vn->transport.ops->read_isr(&vn->transport);
	if (isr == 0) {
		vn->counters.interrupts_intx_not_ours++;
		return;
	}
	vn->counters.interrupts_intx++;
	if (isr & VIRTIO_ISR_CONFIG)
		vn->config_changed = true;
	schedule_poll(vn);
}

/* virtio-mmio's line is not shared, but a spurious level (an ACK racing the
 * next event) still reads status 0: counted like INTx's. */
static void mmio_interrupt(void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_mmio++;
	intx_interrupt(vn);
}

static const pci_interrupt_handler msix_handlers[VIRTIO_NET_MSIX_ENTRIES] = {
	[VIRTIO_NET_MSIX_CONFIG] = config_interrupt,
	[VIRTIO_NET_MSIX_RX] = rx_interrupt,
	[VIRTIO_NET_MSIX_TX] = tx_interrupt,
};
static const char *const msix_suffixes[VIRTIO_NET_MSIX_ENTRIES] = {
	[VIRTIO_NET_MSIX_CONFIG] = "config",
	[VIRTIO_NET_MSIX_RX] = "rx",
	[VIRTIO_NET_MSIX_TX] = "tx",
};

/* The device's side: which table entry each source uses (read back: a
 * device out of vectors answers VIRTIO_MSI_NO_VECTOR). */
static int route_sources(struct virtio_net *vn, bool attach)
{
	struct virtio_pci_device *transport = &vn->transport;
	uint16_t config = attach ? VIRTIO_NET_MSIX_CONFIG : VIRTIO_MSI_NO_VECTOR;
	uint16_t rx = attach ? VIRTIO_NET_MSIX_RX : VIRTIO_MSI_NO_VECTOR;
	uint16_t tx = attach ? VIRTIO_NET_MSIX_TX : VIRTIO_MSI_NO_VECTOR;
	int failed = transport->ops->set_config_vector(transport, config);
	failed |= transport->ops->set_queue_vector(transport, VIRTIO_NET_QUEUE_RX, rx);
	failed |= transport->ops->set_queue_vector(transport, VIRTIO_NET_QUEUE_TX, tx);
	return failed ? -1 : 0;
}

static int msix_attach(void *context)
{
	struct virtio_net *vn = context;
	if (route_sources(vn, true) == 0)
		return 0;
	route_sources(vn, false);  /* before MSI-X goes off: the legacy vector registers vanish with it */
	return -1;
}

void virtio_net_release_interrupts(struct virtio_net *vn)
{
	if (!vn->transport.pci) {
		gsi_interrupt_detach(&vn->mmio_irq);
		vn->netdev.irq_mode = NETDEV_IRQ_POLL;
		return;
	}
	if (vn->netdev.irq_mode == NETDEV_IRQ_MSIX)
		route_sources(vn, false);
	pci_interrupts_release(vn->transport.pci, &vn->interrupts);
	vn->netdev.irq_mode = NETDEV_IRQ_POLL;
}

/* Anything but keel.irq=poll gets the line; without one (no IOAPIC
 * described, e.g. microvm with acpi=off) the device is polled. */
static void setup_mmio_interrupt(struct virtio_net *vn)
{
	vn->netdev.irq_mode = NETDEV_IRQ_POLL;
	if (netdev_requested_irq_mode() == NETDEV_IRQ_POLL)
		return;
	char name[GSI_INTERRUPT_NAME_LENGTH];
	snprintf(name, sizeof(name), "%s-mmio", vn->netdev.name);
	if (gsi_interrupt_attach(&vn->mmio_irq, vn->transport.gsi, mmio_interrupt, vn, name) != 0) {
		pr_warn("%s: virtio-mmio GSI %u not routable, falling back to poll\n", vn->netdev.name,
			vn->transport.gsi);
		return;
	}
	vn->netdev.irq_mode = NETDEV_IRQ_INTX;
}

/* Virtio has no plain MSI (virtio-pci's vector registers name MSI-X entries). */
void virtio_net_setup_interrupts(struct virtio_net *vn)
{
	if (!vn->transport.pci) {
		setup_mmio_interrupt(vn);
		return;
	}
	const struct pci_interrupt_request request = {
		.name = vn->netdev.name,
		.context = vn,
		.msix_vectors = VIRTIO_NET_MSIX_ENTRIES,
		.msix_handlers = msix_handlers,
		.msix_suffixes = msix_suffixes,
		.msix_attach = msix_attach,
		.msi = false,
		.shared_handler = intx_interrupt,
		.shared_suffix = "intx",
	};
	enum pci_interrupt_mode mode =
		pci_interrupts_allocate(vn->transport.pci, netdev_pci_requested_mode(), &request, &vn->interrupts);
	vn->netdev.irq_mode = netdev_irq_mode_from_pci(mode);
}
