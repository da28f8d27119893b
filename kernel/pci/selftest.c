/* selftest.c - self tests of the PCI module.
 *   pci: every recorded function still answers with its IDs (through the
 *        mechanism in use and through port 0xCF8), BARs are powers of two and
 *        aligned to their size, and a config write reads back.
 *   msi: MSI and MSI-X programming round-trips on the first function that
 *        has each capability. No interrupt is provoked (that needs a driver);
 *        a no-op handler owns the vector in case a device fires anyway. */
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/core/selftest.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#include <stddef.h>

static const char *check_ids(const struct pci_device *device)
{
	uint32_t ids = (uint32_t)device->device_id << 16 | device->vendor_id;
	if (pci_read32(device, PCI_VENDOR_ID) != ids)
		return "vendor/device ID changed on re-read";
	if (pci_config_read32_legacy(device->address, PCI_VENDOR_ID) != ids)
		return "port 0xCF8 disagrees with the config mechanism in use";
	return NULL;
}

static const char *check_bars(const struct pci_device *device)
{
	for (unsigned index = 0; index < PCI_MAX_BARS; index++) {
		const struct pci_bar *bar = &device->bars[index];
		if (bar->type == PCI_BAR_NONE)
			continue;
		if (bar->size == 0 || (bar->size & (bar->size - 1)) != 0)
			return "BAR size is not a power of two";
		if (bar->base & (bar->size - 1))
			return "BAR base is not aligned to its size";
	}
	return NULL;
}

/* Interrupt Line is a plain read/write scratch register in every header. */
static const char *check_config_write(void)
{
	struct pci_device *device;
	pci_for_each_device(device) {
		if (device->interrupt_pin == 0)
			continue;
		uint8_t original = pci_read8(device, PCI_INTERRUPT_LINE);
		uint8_t pattern = original ^ 0xFF;
		pci_write8(device, PCI_INTERRUPT_LINE, pattern);
		uint8_t written = pci_read8(device, PCI_INTERRUPT_LINE);
		pci_write8(device, PCI_INTERRUPT_LINE, original);
		if (written != pattern || pci_read8(device, PCI_INTERRUPT_LINE) != original)
			return "Interrupt Line write did not read back";
		return NULL;
	}
	return NULL;
}

static const char *pci_selftest(void)
{
	if (pci_device_count() == 0)
		return "no PCI function found";
	const struct pci_device *first = pci_device_at(0);
	if (first->address.bus != 0 || first->address.slot != 0 || first->address.function != 0)
		return "no host bridge at 00:00.0";
	struct pci_device *device;
	pci_for_each_device(device) {
		const char *failure = check_ids(device);
		if (!failure)
			failure = check_bars(device);
		if (failure) {
			pr_info("selftest: pci: %02x:%02x.%u: %s\n", device->address.bus, device->address.slot,
				device->address.function, failure);
			return failure;
		}
	}
	return check_config_write();
}
SELFTEST("pci", pci_selftest);

static void ignore_interrupt(struct interrupt_frame *frame, void *context)
{
	(void)frame;
	(void)context;
}

static struct pci_device *first_with(uint8_t capability_id)
{
	struct pci_device *device;
	pci_for_each_device(device) {
		if (pci_find_capability(device, capability_id))
			return device;
	}
	return NULL;
}

static const char *check_msi(struct pci_device *device, uint8_t vector)
{
	uint8_t capability = device->msi_offset;
	uint32_t destination = lapic_id();
	if (pci_msi_enable(device, vector, destination) != 0)
		return "pci_msi_enable failed";
	uint16_t control = pci_read16(device, capability + PCI_MSI_CONTROL);
	bool is_64bit = control & PCI_MSI_CONTROL_64BIT;
	uint32_t address = pci_read32(device, capability + PCI_MSI_ADDRESS_LOW);
	uint16_t data = pci_read16(device, capability + (is_64bit ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32));
	bool intx_off = pci_read16(device, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
	pci_msi_disable(device);
	if (!(control & PCI_MSI_CONTROL_ENABLE) || !intx_off)
		return "MSI enable or INTx disable bit not set";
	if (address != (MSI_ADDRESS_BASE | destination << MSI_ADDRESS_DESTINATION_SHIFT) || data != vector)
		return "MSI address/data did not read back";
	if (pci_read16(device, capability + PCI_MSI_CONTROL) & PCI_MSI_CONTROL_ENABLE)
		return "MSI still enabled after pci_msi_disable";
	return NULL;
}

static bool entry_masked(const struct pci_device *device, unsigned entry)
{
	volatile void *registers = (volatile uint8_t *)device->msix_table + entry * PCI_MSIX_ENTRY_SIZE;
	return mmio_read32(registers, PCI_MSIX_ENTRY_VECTOR_CONTROL) & PCI_MSIX_ENTRY_MASKED;
}

static const char *check_msix_entry(struct pci_device *device, unsigned entry, uint8_t vector)
{
	uint32_t destination = lapic_id();
	if (pci_msix_set_vector(device, entry, vector, destination) != 0)
		return "pci_msix_set_vector failed";
	volatile void *registers = (volatile uint8_t *)device->msix_table + entry * PCI_MSIX_ENTRY_SIZE;
	if (mmio_read32(registers, PCI_MSIX_ENTRY_ADDRESS_LOW) != (MSI_ADDRESS_BASE | destination << MSI_ADDRESS_DESTINATION_SHIFT) ||
	    mmio_read32(registers, PCI_MSIX_ENTRY_ADDRESS_HIGH) != 0 || mmio_read32(registers, PCI_MSIX_ENTRY_DATA) != vector)
		return "MSI-X entry did not read back";
	if (!entry_masked(device, entry))
		return "MSI-X entry not masked after enable";
	pci_msix_unmask_entry(device, entry);
	bool unmasked = !entry_masked(device, entry);
	pci_msix_mask_entry(device, entry);
	if (!unmasked || !entry_masked(device, entry))
		return "MSI-X mask bit did not follow mask/unmask";
	return NULL;
}

static const char *check_msix(struct pci_device *device, uint8_t vector)
{
	if (pci_msix_enable(device) != 0)
		return "pci_msix_enable failed";
	const char *failure = check_msix_entry(device, 0, vector);
	if (!failure)
		failure = check_msix_entry(device, device->msix_table_size - 1, vector);
	if (!failure && pci_msix_set_vector(device, device->msix_table_size, vector, 0) == 0)
		failure = "entry past the table accepted";
	uint16_t control = pci_read16(device, device->msix_offset + PCI_MSIX_CONTROL);
	if (!failure && (!(control & PCI_MSIX_CONTROL_ENABLE) || (control & PCI_MSIX_CONTROL_FUNCTION_MASK)))
		failure = "MSI-X control not enabled-and-unmasked";
	pci_msix_disable(device);
	if (!failure && (pci_read16(device, device->msix_offset + PCI_MSIX_CONTROL) & PCI_MSIX_CONTROL_ENABLE))
		failure = "MSI-X still enabled after pci_msix_disable";
	return failure;
}

/* Runs check on device with the command register restored afterwards. */
static const char *run_on(struct pci_device *device, const char *(*check)(struct pci_device *, uint8_t),
			  uint8_t vector, const char *kind)
{
	if (!device)
		return NULL;
	pr_info("selftest: msi: %s on %02x:%02x.%u %04x:%04x\n", kind, device->address.bus, device->address.slot,
		device->address.function, device->vendor_id, device->device_id);
	uint16_t command = pci_read16(device, PCI_COMMAND);
	const char *failure = check(device, vector);
	pci_write16(device, PCI_COMMAND, command);
	return failure;
}

static const char *msi_selftest(void)
{
	struct pci_device *msi_device = first_with(PCI_CAP_ID_MSI);
	struct pci_device *msix_device = first_with(PCI_CAP_ID_MSIX);
	if (!msi_device && !msix_device) {
		pr_info("selftest: msi: no function with MSI or MSI-X, nothing to check\n");
		return NULL;
	}
	int vector = interrupt_vector_alloc(ignore_interrupt, NULL, "pci-selftest");
	if (vector < 0)
		return "no free vector";
	const char *failure = run_on(msi_device, check_msi, vector, "MSI");
	if (!failure)
		failure = run_on(msix_device, check_msix, vector, "MSI-X");
	interrupt_vector_free(vector);
	return failure;
}
SELFTEST("msi", msi_selftest);
