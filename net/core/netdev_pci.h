/* netdev_pci.h - what PCI NIC drivers share between the stack's netdev
 * interface and kernel/pci: keel.irq= names the same modes, in the same
 * order, as the PCI interrupt helper (kernel/pci/interrupts.h); a device's
 * PCI address orders the ethN names. */
#ifndef KEEL_NET_CORE_NETDEV_PCI_H
#define KEEL_NET_CORE_NETDEV_PCI_H

#include "kernel/pci/interrupts.h"
#include "kernel/pci/pci.h"
#include "net/core/netdev.h"

_Static_assert((int)NETDEV_IRQ_MSIX == (int)PCI_INTERRUPT_MSIX, "keel.irq= modes are the PCI modes");
_Static_assert((int)NETDEV_IRQ_MSI == (int)PCI_INTERRUPT_MSI, "keel.irq= modes are the PCI modes");
_Static_assert((int)NETDEV_IRQ_INTX == (int)PCI_INTERRUPT_INTX, "keel.irq= modes are the PCI modes");
_Static_assert((int)NETDEV_IRQ_POLL == (int)PCI_INTERRUPT_POLL, "keel.irq= modes are the PCI modes");

/* netdev.bus_position of a PCI device: its bus, slot, function, plus one. */
static inline uint32_t netdev_pci_position(const struct pci_device *pci)
{
	return ((uint32_t)pci->address.bus << 16 | (uint32_t)pci->address.slot << 8 | pci->address.function) + 1;
}

/* The mode keel.irq= asks for. */
static inline enum pci_interrupt_mode netdev_pci_requested_mode(void)
{
	return (enum pci_interrupt_mode)netdev_requested_irq_mode();
}

static inline enum netdev_irq_mode netdev_irq_mode_from_pci(enum pci_interrupt_mode mode)
{
	return (enum netdev_irq_mode)mode;
}

#endif
