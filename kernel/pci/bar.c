/* bar.c - base address registers: decoding the type, sizing, mapping.
 * Sizing follows PCI Local Bus 3.0 section 6.2.5.1: write all ones, read back
 * the bits the device lets software set, restore; done with I/O and memory
 * decoding off so the device never answers at the all-ones address. */
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

static unsigned bar_count(const struct pci_device *device)
{
	switch (device->header_type) {
	case PCI_HEADER_TYPE_ENDPOINT: return PCI_ENDPOINT_BAR_COUNT;
	case PCI_HEADER_TYPE_BRIDGE: return PCI_BRIDGE_BAR_COUNT;
	default: return 0; /* CardBus bridges: their socket register is not a resource we use */
	}
}

/* Writes all ones to the BAR at offset, returns what reads back, restores. */
static uint32_t probe_writable_bits(struct pci_device *device, uint16_t offset, uint32_t original)
{
	pci_write32(device, offset, 0xFFFFFFFFu);
	uint32_t writable = pci_read32(device, offset);
	pci_write32(device, offset, original);
	return writable;
}

static uint64_t lowest_set_bit(uint64_t value)
{
	return value & -value;
}

/* Decodes BAR index (and index + 1 for a 64-bit BAR); returns how many BAR
 * registers it used. Decoding must already be off. */
static unsigned decode_one(struct pci_device *device, unsigned index, unsigned count)
{
	uint16_t offset = PCI_BAR0 + 4 * index;
	uint32_t original = pci_read32(device, offset);
	uint32_t writable = probe_writable_bits(device, offset, original);
	struct pci_bar *bar = &device->bars[index];
	if (original & PCI_BAR_SPACE_IO) {
		/* Upper 16 bits may be hard-wired to 0 (64 KiB I/O space): the lowest
		 * writable address bit is the size either way. */
		bar->type = PCI_BAR_IO;
		bar->base = original & PCI_BAR_IO_ADDRESS_MASK;
		bar->size = lowest_set_bit(writable & PCI_BAR_IO_ADDRESS_MASK);
	} else if ((original & PCI_BAR_MEMORY_TYPE_MASK) == PCI_BAR_MEMORY_TYPE_64 && index + 1 < count) {
		uint32_t original_high = pci_read32(device, offset + 4);
		uint32_t writable_high = probe_writable_bits(device, offset + 4, original_high);
		bar->type = PCI_BAR_MEMORY64;
		bar->base = (uint64_t)original_high << 32 | (original & PCI_BAR_MEMORY_ADDRESS_MASK);
		bar->size = lowest_set_bit((uint64_t)writable_high << 32 | (writable & PCI_BAR_MEMORY_ADDRESS_MASK));
		bar->prefetchable = original & PCI_BAR_MEMORY_PREFETCHABLE;
		if (bar->size == 0)
			bar->type = PCI_BAR_NONE;
		return 2;
	} else {
		bar->type = PCI_BAR_MEMORY32;
		bar->base = original & PCI_BAR_MEMORY_ADDRESS_MASK;
		bar->size = lowest_set_bit(writable & PCI_BAR_MEMORY_ADDRESS_MASK);
		bar->prefetchable = original & PCI_BAR_MEMORY_PREFETCHABLE;
	}
	if (bar->size == 0)
		*bar = (struct pci_bar){ 0 };
	return 1;
}

/* A host bridge's command register may gate the CPU's own path to memory on
 * some chipsets, so its decoding is left alone (Linux does the same). */
static bool decoding_may_be_disabled(const struct pci_device *device)
{
	return !(device->class_code == PCI_CLASS_BRIDGE && device->subclass == PCI_SUBCLASS_BRIDGE_HOST);
}

void pci_bars_decode(struct pci_device *device)
{
	unsigned count = bar_count(device);
	if (count == 0)
		return;
	uint64_t flags = interrupts_save();
	uint16_t command = pci_read16(device, PCI_COMMAND);
	if (decoding_may_be_disabled(device))
		pci_write16(device, PCI_COMMAND, command & ~(PCI_COMMAND_IO_SPACE | PCI_COMMAND_MEMORY_SPACE));
	for (unsigned index = 0; index < count;)
		index += decode_one(device, index, count);
	pci_write16(device, PCI_COMMAND, command);
	interrupts_restore(flags);
}

volatile void *pci_map_bar(struct pci_device *device, unsigned bar_index)
{
	if (bar_index >= PCI_MAX_BARS)
		return NULL;
	const struct pci_bar *bar = &device->bars[bar_index];
	if ((bar->type != PCI_BAR_MEMORY32 && bar->type != PCI_BAR_MEMORY64) || bar->base == 0)
		return NULL;
	volatile void *mapped = ioremap(bar->base, bar->size);
	if (!mapped)
		pr_warn("pci: %02x:%02x.%u: cannot map BAR%u at %#llx\n", device->address.bus, device->address.slot,
			device->address.function, bar_index, (unsigned long long)bar->base);
	return mapped;
}

uint16_t pci_io_bar(const struct pci_device *device, unsigned bar_index)
{
	if (bar_index >= PCI_MAX_BARS || device->bars[bar_index].type != PCI_BAR_IO)
		return 0;
	return (uint16_t)device->bars[bar_index].base;
}
