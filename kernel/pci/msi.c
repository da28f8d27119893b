/* msi.c - message signalled interrupts: MSI (PCI Local Bus 3.0 section
 * 6.8.1) with a single message, and MSI-X (section 6.8.2) with its table and
 * pending bit array in memory BARs. The message itself is an x86 LAPIC
 * address / data pair (Intel SDM vol 3A section 11.11). A function uses at
 * most one of INTx, MSI and MSI-X (section 6.8), so enabling one turns the
 * others off. */
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#define MSIX_PBA_BITS_PER_QWORD 64

static uint32_t msi_address(uint32_t destination_apic_id)
{
	return MSI_ADDRESS_BASE | destination_apic_id << MSI_ADDRESS_DESTINATION_SHIFT;
}

static uint16_t msi_data(uint8_t vector)
{
	return vector | MSI_DATA_DELIVERY_FIXED | MSI_DATA_TRIGGER_EDGE;
}

int pci_msi_enable(struct pci_device *device, uint8_t vector, uint32_t destination_apic_id)
{
	uint8_t capability = device->msi_offset;
	if (!capability || destination_apic_id > MSI_ADDRESS_DESTINATION_MAX)
		return -1;
	if (device->msix_enabled)
		pci_msix_disable(device);
	/* Off while reprogramming; one message (Multiple Message Enable = 0). */
	uint16_t control = pci_read16(device, capability + PCI_MSI_CONTROL);
	control &= ~(PCI_MSI_CONTROL_ENABLE | PCI_MSI_CONTROL_MULTIPLE_ENABLE_MASK);
	pci_write16(device, capability + PCI_MSI_CONTROL, control);
	bool is_64bit = control & PCI_MSI_CONTROL_64BIT;
	pci_write32(device, capability + PCI_MSI_ADDRESS_LOW, msi_address(destination_apic_id));
	if (is_64bit)
		pci_write32(device, capability + PCI_MSI_ADDRESS_HIGH, 0);
	pci_write16(device, capability + (is_64bit ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), msi_data(vector));
	if (control & PCI_MSI_CONTROL_PER_VECTOR_MASK) {
		uint16_t mask = capability + (is_64bit ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);
		pci_write32(device, mask, pci_read32(device, mask) & ~1u);
	}
	pci_command_update(device, PCI_COMMAND_INTX_DISABLE, 0);
	pci_write16(device, capability + PCI_MSI_CONTROL, control | PCI_MSI_CONTROL_ENABLE);
	device->msi_enabled = true;
	return 0;
}

void pci_msi_disable(struct pci_device *device)
{
	uint8_t capability = device->msi_offset;
	if (!capability)
		return;
	uint16_t control = pci_read16(device, capability + PCI_MSI_CONTROL);
	pci_write16(device, capability + PCI_MSI_CONTROL, control & ~PCI_MSI_CONTROL_ENABLE);
	pci_command_update(device, 0, PCI_COMMAND_INTX_DISABLE);
	device->msi_enabled = false;
}

/* Maps the MSI-X table or PBA: the register names a BAR (BIR) and an offset
 * in it; the structure must lie inside an assigned memory BAR. */
static volatile void *map_msix_structure(struct pci_device *device, uint32_t location, uint64_t size)
{
	unsigned bar_index = location & PCI_MSIX_BIR_MASK;
	uint64_t offset = location & PCI_MSIX_OFFSET_MASK;
	if (bar_index >= PCI_MAX_BARS)
		return NULL;
	const struct pci_bar *bar = &device->bars[bar_index];
	bool memory = bar->type == PCI_BAR_MEMORY32 || bar->type == PCI_BAR_MEMORY64;
	if (!memory || bar->base == 0 || offset + size > bar->size) {
		pr_warn("pci: %02x:%02x.%u: MSI-X structure at BAR%u+%#llx is not in an assigned memory BAR\n",
			device->address.bus, device->address.slot, device->address.function, bar_index,
			(unsigned long long)offset);
		return NULL;
	}
	return ioremap(bar->base + offset, size);
}

static volatile void *msix_entry(const struct pci_device *device, unsigned entry)
{
	return (volatile uint8_t *)device->msix_table + entry * PCI_MSIX_ENTRY_SIZE;
}

static void msix_set_masked(struct pci_device *device, unsigned entry, bool masked)
{
	volatile void *registers = msix_entry(device, entry);
	uint32_t control = mmio_read32(registers, PCI_MSIX_ENTRY_VECTOR_CONTROL);
	control = masked ? control | PCI_MSIX_ENTRY_MASKED : control & ~PCI_MSIX_ENTRY_MASKED;
	mmio_write32(registers, PCI_MSIX_ENTRY_VECTOR_CONTROL, control);
	/* Read back so the write has reached the device before we go on. */
	(void)mmio_read32(registers, PCI_MSIX_ENTRY_VECTOR_CONTROL);
}

static bool msix_map(struct pci_device *device)
{
	uint8_t capability = device->msix_offset;
	uint16_t control = pci_read16(device, capability + PCI_MSIX_CONTROL);
	device->msix_table_size = (control & PCI_MSIX_CONTROL_TABLE_SIZE_MASK) + 1;
	uint64_t pba_size = (device->msix_table_size + MSIX_PBA_BITS_PER_QWORD - 1) / MSIX_PBA_BITS_PER_QWORD * 8;
	device->msix_table = map_msix_structure(device, pci_read32(device, capability + PCI_MSIX_TABLE),
						(uint64_t)device->msix_table_size * PCI_MSIX_ENTRY_SIZE);
	device->msix_pba = map_msix_structure(device, pci_read32(device, capability + PCI_MSIX_PBA), pba_size);
	return device->msix_table && device->msix_pba;
}

/* Enabled with the function mask set while every entry gets its own mask
 * bit, so no half-written entry can fire; then the function mask is lifted. */
int pci_msix_enable(struct pci_device *device)
{
	uint8_t capability = device->msix_offset;
	if (!capability)
		return -1;
	if (device->msix_enabled)
		return 0;
	if (!msix_map(device))
		return -1;
	if (device->msi_enabled)
		pci_msi_disable(device);
	pci_enable_memory(device);
	uint16_t control = pci_read16(device, capability + PCI_MSIX_CONTROL);
	pci_write16(device, capability + PCI_MSIX_CONTROL,
		    control | PCI_MSIX_CONTROL_ENABLE | PCI_MSIX_CONTROL_FUNCTION_MASK);
	for (unsigned entry = 0; entry < device->msix_table_size; entry++)
		msix_set_masked(device, entry, true);
	pci_command_update(device, PCI_COMMAND_INTX_DISABLE, 0);
	pci_write16(device, capability + PCI_MSIX_CONTROL,
		    (control | PCI_MSIX_CONTROL_ENABLE) & ~PCI_MSIX_CONTROL_FUNCTION_MASK);
	device->msix_enabled = true;
	return 0;
}

/* The entry is masked while its address and data change (section 6.8.2.9:
 * software must not change an unmasked entry), then its mask bit is put back. */
int pci_msix_set_vector(struct pci_device *device, unsigned entry, uint8_t vector, uint32_t destination_apic_id)
{
	if (!device->msix_enabled || entry >= device->msix_table_size || destination_apic_id > MSI_ADDRESS_DESTINATION_MAX)
		return -1;
	volatile void *registers = msix_entry(device, entry);
	bool was_masked = mmio_read32(registers, PCI_MSIX_ENTRY_VECTOR_CONTROL) & PCI_MSIX_ENTRY_MASKED;
	msix_set_masked(device, entry, true);
	mmio_write32(registers, PCI_MSIX_ENTRY_ADDRESS_LOW, msi_address(destination_apic_id));
	mmio_write32(registers, PCI_MSIX_ENTRY_ADDRESS_HIGH, 0);
	mmio_write32(registers, PCI_MSIX_ENTRY_DATA, msi_data(vector));
	if (!was_masked)
		msix_set_masked(device, entry, false);
	return 0;
}

int pci_msix_mask_entry(struct pci_device *device, unsigned entry)
{
	if (!device->msix_enabled || entry >= device->msix_table_size)
		return -1;
	msix_set_masked(device, entry, true);
	return 0;
}

int pci_msix_unmask_entry(struct pci_device *device, unsigned entry)
{
	if (!device->msix_enabled || entry >= device->msix_table_size)
		return -1;
	msix_set_masked(device, entry, false);
	return 0;
}

void pci_msix_disable(struct pci_device *device)
{
	uint8_t capability = device->msix_offset;
	if (!capability || !device->msix_enabled)
		return;
	for (unsigned entry = 0; entry < device->msix_table_size; entry++)
		msix_set_masked(device, entry, true);
	uint16_t control = pci_read16(device, capability + PCI_MSIX_CONTROL);
	pci_write16(device, capability + PCI_MSIX_CONTROL,
		    control & ~(PCI_MSIX_CONTROL_ENABLE | PCI_MSIX_CONTROL_FUNCTION_MASK));
	pci_command_update(device, 0, PCI_COMMAND_INTX_DISABLE);
	device->msix_enabled = false;
}
