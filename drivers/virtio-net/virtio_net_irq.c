/* virtio_net_irq.c - interrupt modes of virtio-net and NAPI masking.
 *
 * MSI-X: table entry 0 for configuration changes, 1 for the receive queue,
 * 2 for the transmit queue (4.1.5.1.2: msix_config / queue_msix_vector, read
 * back to see the device took them). INTx: one level-triggered line whose
 * handler reads the ISR byte (which clears it and lowers the line, 4.1.4.5);
 * 0 means another function on the line. Virtio has no plain MSI. Poll: no
 * vector at all, notifications kept off.
 *
 * "Masking" for NAPI is used buffer notification suppression on both queues
 * (2.7.7) rather than the MSI-X mask bits: it costs no register access, and
 * with EVENT_IDX the device sends at most one interrupt per enable anyway. */
#include "drivers/virtio-net/virtio_net.h"
#include "drivers/virtio-net/virtio_pci_regs.h"

#include <stdio.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"

void virtio_net_irq_disable(struct netdev *dev)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	virtqueue_disable_notifications(&vn->rx_queue);
	virtqueue_disable_notifications(&vn->tx_queue);
}

/* NAPI complete: notifications back on, then one more look at both used rings
 * (2.7.14): buffers used before the device saw the enable raise nothing, so
 * if there are any we stay scheduled. */
void virtio_net_irq_enable(struct netdev *dev)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	if (dev->irq_mode == NETDEV_IRQ_POLL)
		return;
	bool rx_pending = virtqueue_enable_notifications(&vn->rx_queue);
	bool tx_pending = virtqueue_enable_notifications(&vn->tx_queue);
	if (rx_pending || tx_pending || vn->config_changed) {
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

static void config_interrupt(struct interrupt_frame *frame, void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_config++;
	vn->config_changed = true;
	schedule_poll(vn);
}

static void rx_interrupt(struct interrupt_frame *frame, void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_rx++;
	schedule_poll(vn);
}

static void tx_interrupt(struct interrupt_frame *frame, void *context)
{
	struct virtio_net *vn = context;
	vn->counters.interrupts_tx++;
	schedule_poll(vn);
}

static void intx_interrupt(struct interrupt_frame *frame, void *context)
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

static const interrupt_handler msix_handlers[VIRTIO_NET_MSIX_ENTRIES] = {
	[VIRTIO_NET_MSIX_CONFIG] = config_interrupt,
	[VIRTIO_NET_MSIX_RX] = rx_interrupt,
	[VIRTIO_NET_MSIX_TX] = tx_interrupt,
};
static const char *const msix_suffixes[VIRTIO_NET_MSIX_ENTRIES] = {
	[VIRTIO_NET_MSIX_CONFIG] = "config",
	[VIRTIO_NET_MSIX_RX] = "rx",
	[VIRTIO_NET_MSIX_TX] = "tx",
};

static int allocate_vector(struct virtio_net *vn, unsigned slot, interrupt_handler handler, const char *suffix)
{
	snprintf(vn->interrupt_names[slot], sizeof vn->interrupt_names[slot], "%s-%s", vn->netdev.name, suffix);
	vn->interrupt_vectors[slot] = interrupt_vector_alloc(handler, vn, vn->interrupt_names[slot]);
	return vn->interrupt_vectors[slot];
}

static void free_vectors(struct virtio_net *vn)
{
	for (unsigned slot = 0; slot < VIRTIO_NET_MSIX_ENTRIES; slot++) {
		if (vn->interrupt_vectors[slot] >= 0)
			interrupt_vector_free(vn->interrupt_vectors[slot]);
		vn->interrupt_vectors[slot] = -1;
	}
}

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

static const char *setup_msix(struct virtio_net *vn)
{
	struct pci_device *pci = vn->transport.pci;
	if (!pci->msix_offset)
		return "no MSI-X capability";
	if (pci_msix_enable(pci) != 0)
		return "MSI-X table not usable";
	if (pci->msix_table_size < VIRTIO_NET_MSIX_ENTRIES) {
		pci_msix_disable(pci);
		return "fewer than 3 MSI-X entries";
	}
	for (unsigned entry = 0; entry < VIRTIO_NET_MSIX_ENTRIES; entry++) {
		int vector = allocate_vector(vn, entry, msix_handlers[entry], msix_suffixes[entry]);
		if (vector < 0 || pci_msix_set_vector(pci, entry, (uint8_t)vector, lapic_id()) != 0)
			goto undo;
	}
	if (route_sources(vn, true) != 0)
		goto undo;
	for (unsigned entry = 0; entry < VIRTIO_NET_MSIX_ENTRIES; entry++)
		pci_msix_unmask_entry(pci, entry);
	return NULL;

undo:
	route_sources(vn, false);  /* before MSI-X goes off: the legacy vector registers vanish with it */
	free_vectors(vn);
	pci_msix_disable(pci);
	return "device refused the vectors";
}

static const char *setup_intx(struct virtio_net *vn)
{
	if (allocate_vector(vn, 0, intx_interrupt, "intx") < 0)
		return "no free vector";
	if (pci_intx_route(vn->transport.pci, (uint8_t)vn->interrupt_vectors[0]) != 0) {
		free_vectors(vn);
		return "no INTx routing";
	}
	return NULL;
}

void virtio_net_release_interrupts(struct virtio_net *vn)
{
	struct pci_device *pci = vn->transport.pci;
	if (vn->netdev.irq_mode == NETDEV_IRQ_MSIX) {
		route_sources(vn, false);
		pci_msix_disable(pci);
	}
	free_vectors(vn);
	vn->netdev.irq_mode = NETDEV_IRQ_POLL;
}

void virtio_net_setup_interrupts(struct virtio_net *vn)
{
	struct netdev *dev = &vn->netdev;
	enum netdev_irq_mode mode = netdev_requested_irq_mode();
	const char *failure;
	if (mode == NETDEV_IRQ_MSIX) {
		if ((failure = setup_msix(vn)) == NULL)
			goto done;
		pr_warn("%s: msix not available (%s), trying intx\n", dev->name, failure);
		mode = NETDEV_IRQ_INTX;
	}
	if (mode == NETDEV_IRQ_MSI) {
		pr_warn("%s: msi not available (virtio-pci has MSI-X only), trying intx\n", dev->name);
		mode = NETDEV_IRQ_INTX;
	}
	if (mode == NETDEV_IRQ_INTX) {
		if ((failure = setup_intx(vn)) == NULL)
			goto done;
		pr_warn("%s: intx not available (%s), using poll\n", dev->name, failure);
		mode = NETDEV_IRQ_POLL;
	}
done:
	dev->irq_mode = mode;
}
