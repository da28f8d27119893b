/* e1000_irq.c - interrupt modes and handlers.
 *
 * Modes, best first: MSI-X (82574 only: RX queue 0, TX queue 0 and "other"
 * causes each on their own vector through IVAR, 82574 DS 7.4), MSI (one
 * message; only the 82574 has the capability, QEMU's 82540EM has none),
 * INTx (level triggered, possibly shared) and poll (no interrupts at all).
 * keel.irq= picks where to start; kernel/pci/interrupts.c falls back down
 * the list and allocates the vectors.
 *
 * NAPI: every handler masks all of the device's causes (IMC), remembers the
 * ICR bits it read for the poll (LSC, RXO) and schedules the poll; the net
 * loop calls irq_enable (IMS) once a poll finds the rings drained.
 *
 * Throttling: ITR (EITR per MSI-X vector on the 82574) spaces interrupts by
 * at least interval x 256 ns (8254x SDM 13.4.18). The default 196 is 50.2 us,
 * at most ~19900 interrupts/s: a flood costs the CPU a bounded interrupt
 * rate while a lone frame (a ping) still interrupts at once, since the
 * interval only holds back an interrupt that follows another within it.
 * (QEMU's e1000 model rounds any interval up to 500, 128 us.) RDTR/RADV
 * stay 0 (e1000_rx.c): a receive delay timer would add its delay to every
 * lone frame, which is what ITR avoids. keel.e1000.itr= overrides. */
#include "drivers/e1000/e1000.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/core/netdev_pci.h"

CMDLINE_KEY("keel.e1000.itr", "e1000/e1000e interrupt throttling interval in 256 ns units (default 196, about "
			      "20000 interrupts/s; 0 = no throttling)");

#define E1000_ITR_DEFAULT 196u  /* 50.2 us: 1e9 / (196 * 256) = 19930 interrupts/s */

/* Causes we enable in INTx/MSI mode (8254x SDM 13.4.17). */
#define E1000_LEGACY_CAUSES (E1000_INT_RXT0 | E1000_INT_RXDMT0 | E1000_INT_RXO | E1000_INT_TXDW | E1000_INT_LSC)
/* In MSI-X mode the queue causes replace RXT0/TXDW; LSC and RXO arrive
 * through OTHER (82574 DS 10.2.4) but must be enabled themselves too. */
#define E1000_MSIX_CAUSES (E1000_INT_RXQ0 | E1000_INT_TXQ0 | E1000_INT_OTHER | E1000_INT_LSC | E1000_INT_RXO)

static void schedule_poll(struct e1000 *nic)
{
	e1000_write32(nic, E1000_IMC, E1000_INT_ALL);
	nic->netdev.interrupts++;
	netdev_schedule_poll(&nic->netdev);
}

/* INTx and MSI: ICR says why (and is read-to-clear on the 8254x; the 82574
 * clears it on read only in some configurations, so the bits seen are also
 * written back, which clears them on both). On a shared INTx line an ICR
 * with none of our enabled causes means another device's interrupt. */
static void legacy_handler(void *context)
{
	struct e1000 *nic = context;
	uint32_t causes = e1000_read32(nic, E1000_ICR);
	if (!(causes & nic->interrupt_mask)) {
		nic->pending_causes |= causes;
		nic->counters.irq_not_ours++;
		return;
	}
	nic->pending_causes |= causes;
	schedule_poll(nic);
	e1000_write32(nic, E1000_ICR, causes);
}

/* MSI-X queue vectors: EIAC already cleared the cause in ICR, no read needed. */
static void msix_rx_handler(void *context)
{
	struct e1000 *nic = context;
	nic->counters.irq_rx++;
	schedule_poll(nic);
}

static void msix_tx_handler(void *context)
{
	struct e1000 *nic = context;
	nic->counters.irq_tx++;
	schedule_poll(nic);
}

/* MSI-X "other": OTHER is not auto-cleared (EIAC), so ICR still names the
 * real cause (LSC, RXO); read it and clear what was seen. */
static void msix_other_handler(void *context)
{
	struct e1000 *nic = context;
	uint32_t causes = e1000_read32(nic, E1000_ICR);
	nic->counters.irq_other++;
	nic->pending_causes |= causes;
	schedule_poll(nic);
	e1000_write32(nic, E1000_ICR, causes);
}

/* 82574 DS 7.4 / 10.2.4: IVAR maps each cause to a table entry; EIAC
 * makes the queue causes clear themselves in ICR (and, with CTRL_EXT.IAME
 * off, mask themselves in IMS) when their message is sent; PBA_SUPPORT
 * lets the device clear the MSI-X pending bits. */
static void msix_program_device(struct e1000 *nic)
{
	uint32_t ivar = (E1000_IVAR_VALID | E1000_MSIX_RX) << E1000_IVAR_RXQ0_SHIFT |
			(E1000_IVAR_VALID | E1000_MSIX_TX) << E1000_IVAR_TXQ0_SHIFT |
			(E1000_IVAR_VALID | E1000_MSIX_OTHER) << E1000_IVAR_OTHER_SHIFT |
			E1000_IVAR_TX_INT_EVERY_WRITEBACK;
	e1000_write32(nic, E1000_IVAR, ivar);
	e1000_write32(nic, E1000_EIAC, E1000_INT_RXQ0 | E1000_INT_TXQ0);
	uint32_t extended = e1000_read32(nic, E1000_CTRL_EXT);
	extended = (extended & ~(E1000_CTRL_EXT_IAME | E1000_CTRL_EXT_EIAME)) | E1000_CTRL_EXT_PBA_SUPPORT;
	e1000_write32(nic, E1000_CTRL_EXT, extended);
	for (unsigned entry = 0; entry < E1000_MSIX_ENTRIES; entry++)
		e1000_write32(nic, E1000_EITR(entry), nic->itr_interval);
}

/* The device's side of MSI-X, once the table entries are programmed. */
static int msix_attach(void *context)
{
	msix_program_device(context);
	return 0;
}

static enum pci_interrupt_mode allocate_interrupts(struct e1000 *nic)
{
	static const pci_interrupt_handler msix_handlers[E1000_MSIX_ENTRIES] = {
		[E1000_MSIX_RX] = msix_rx_handler,
		[E1000_MSIX_TX] = msix_tx_handler,
		[E1000_MSIX_OTHER] = msix_other_handler,
	};
	static const char *const msix_suffixes[E1000_MSIX_ENTRIES] = {
		[E1000_MSIX_RX] = "rx",
		[E1000_MSIX_TX] = "tx",
		[E1000_MSIX_OTHER] = "other",
	};
	const struct pci_interrupt_request request = {
		.name = nic->netdev.name,
		.context = nic,
		.msix_vectors = nic->model->family == E1000_FAMILY_82574 ? E1000_MSIX_ENTRIES : 0,
		.msix_handlers = msix_handlers,
		.msix_suffixes = msix_suffixes,
		.msix_attach = msix_attach,
		.msi = true,
		.shared_handler = legacy_handler,
		.shared_suffix = "irq",
	};
	return pci_interrupts_allocate(nic->pci, netdev_pci_requested_mode(), &request, &nic->interrupts);
}

static void print_mode(struct e1000 *nic)
{
	const struct pci_interrupts *interrupts = &nic->interrupts;
	char vectors[32] = "";
	int used = 0;
	for (unsigned i = 0; i < interrupts->vector_count; i++)
		used += snprintf(vectors + used, sizeof(vectors) - (size_t)used, "%s%d", i ? "," : "",
				 interrupts->vectors[i].vector);
	const char *mode = netdev_irq_mode_name(nic->netdev.irq_mode);
	if (used > 0)
		pr_info("%s: %s irq %s (vector%s %s), itr %u\n", nic->netdev.name, nic->netdev.driver_name, mode,
			interrupts->vector_count > 1 ? "s" : "", vectors, nic->itr_interval);
	else
		pr_info("%s: %s irq %s\n", nic->netdev.name, nic->netdev.driver_name, mode);
}

/* Sets up the mode keel.irq= asks for, or the next one that works. The
 * device's interrupts stay masked; open() unmasks them last. */
void e1000_irq_setup(struct e1000 *nic)
{
	uint64_t itr = cmdline_get_u64("keel.e1000.itr", E1000_ITR_DEFAULT);
	nic->itr_interval = itr > E1000_ITR_INTERVAL_MASK ? E1000_ITR_INTERVAL_MASK : (uint32_t)itr;
	e1000_write32(nic, E1000_ITR, nic->itr_interval);
	enum pci_interrupt_mode mode = allocate_interrupts(nic);
	nic->interrupt_mask = mode == PCI_INTERRUPT_MSIX ? E1000_MSIX_CAUSES
			      : mode == PCI_INTERRUPT_POLL ? 0 : E1000_LEGACY_CAUSES;
	nic->netdev.irq_mode = netdev_irq_mode_from_pci(mode);
	print_mode(nic);
}

void e1000_irq_enable(struct netdev *dev)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	if (dev->irq_mode != NETDEV_IRQ_POLL)
		e1000_write32(nic, E1000_IMS, nic->interrupt_mask);
}

void e1000_irq_disable(struct netdev *dev)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	if (dev->irq_mode != NETDEV_IRQ_POLL)
		e1000_write32(nic, E1000_IMC, E1000_INT_ALL);
}
