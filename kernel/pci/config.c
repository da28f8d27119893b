/* config.c - configuration space access. ECAM (PCI Express Base 4.0
 * section 7.2.2) when the ACPI MCFG table describes segment 0, else
 * configuration mechanism #1 (PCI Local Bus 3.0 section 3.2.2.3.2), which
 * every PC chipset keeps and which reaches only the first 256 bytes. */
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

static volatile uint8_t *ecam_base;   /* address of bus 0 (may lie below the mapping) */
static uint8_t ecam_start_bus, ecam_end_bus;

static uint32_t legacy_address(struct pci_address address, uint16_t offset)
{
	return PCI_LEGACY_ENABLE | (uint32_t)address.bus << 16 | (uint32_t)address.slot << 11 |
	       (uint32_t)address.function << 8 | (offset & 0xFC);
}

/* Mechanism #1 is two port accesses: interrupts stay off between them so an
 * interrupt handler's own access cannot change the address in between. */
static uint32_t legacy_read(struct pci_address address, uint16_t offset, unsigned width)
{
	uint64_t flags = interrupts_save();
	outl(PCI_LEGACY_ADDRESS_PORT, legacy_address(address, offset));
	uint16_t port = PCI_LEGACY_DATA_PORT + (offset & 3);
	uint32_t value = width == 1 ? inb(port) : width == 2 ? inw(port) : inl(port);
	interrupts_restore(flags);
	return value;
}

static void legacy_write(struct pci_address address, uint16_t offset, unsigned width, uint32_t value)
{
	uint64_t flags = interrupts_save();
	outl(PCI_LEGACY_ADDRESS_PORT, legacy_address(address, offset));
	uint16_t port = PCI_LEGACY_DATA_PORT + (offset & 3);
	if (width == 1)
		outb(port, value);
	else if (width == 2)
		outw(port, value);
	else
		outl(port, value);
	interrupts_restore(flags);
}

static volatile uint8_t *ecam_function(struct pci_address address)
{
	if (address.bus < ecam_start_bus || address.bus > ecam_end_bus)
		return NULL;
	return ecam_base + ((uint64_t)address.bus << PCI_ECAM_BUS_SHIFT) +
	       ((uint32_t)address.slot << PCI_ECAM_SLOT_SHIFT) + ((uint32_t)address.function << PCI_ECAM_FUNCTION_SHIFT);
}

static bool access_valid(struct pci_address address, uint16_t offset, unsigned width)
{
	unsigned limit = ecam_base ? PCI_ECAM_SPACE_SIZE : PCI_LEGACY_SPACE_SIZE;
	return (offset & (width - 1)) == 0 && offset + width <= limit && address.slot < PCI_SLOTS_PER_BUS &&
	       address.function < PCI_FUNCTIONS_PER_SLOT;
}

static uint32_t config_read(struct pci_address address, uint16_t offset, unsigned width)
{
	uint32_t all_ones = width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1;
	if (!access_valid(address, offset, width))
		return all_ones;
	if (!ecam_base)
		return legacy_read(address, offset, width);
	volatile uint8_t *function = ecam_function(address);
	if (!function)
		return all_ones;
	return width == 1 ? mmio_read8(function, offset) : width == 2 ? mmio_read16(function, offset)
								   : mmio_read32(function, offset);
}

static void config_write(struct pci_address address, uint16_t offset, unsigned width, uint32_t value)
{
	if (!access_valid(address, offset, width))
		return;
	if (!ecam_base) {
		legacy_write(address, offset, width, value);
		return;
	}
	volatile uint8_t *function = ecam_function(address);
	if (!function)
		return;
	if (width == 1)
		mmio_write8(function, offset, value);
	else if (width == 2)
		mmio_write16(function, offset, value);
	else
		mmio_write32(function, offset, value);
}

uint8_t pci_config_read8(struct pci_address address, uint16_t offset) { return config_read(address, offset, 1); }
uint16_t pci_config_read16(struct pci_address address, uint16_t offset) { return config_read(address, offset, 2); }
uint32_t pci_config_read32(struct pci_address address, uint16_t offset) { return config_read(address, offset, 4); }
void pci_config_write8(struct pci_address address, uint16_t offset, uint8_t value) { config_write(address, offset, 1, value); }
void pci_config_write16(struct pci_address address, uint16_t offset, uint16_t value) { config_write(address, offset, 2, value); }
void pci_config_write32(struct pci_address address, uint16_t offset, uint32_t value) { config_write(address, offset, 4, value); }

uint32_t pci_config_read32_legacy(struct pci_address address, uint16_t offset)
{
	if ((offset & 3) || offset >= PCI_LEGACY_SPACE_SIZE)
		return 0xFFFFFFFFu;
	return legacy_read(address, offset, 4);
}

const char *pci_config_mechanism_name(void)
{
	return ecam_base ? "ECAM" : "legacy";
}

static const struct acpi_mcfg_segment *find_segment0(const struct acpi_info *acpi)
{
	for (unsigned i = 0; i < acpi->mcfg_count && i < ACPI_MAX_MCFG_SEGMENTS; i++) {
		const struct acpi_mcfg_segment *segment = &acpi->mcfg[i];
		if (segment->segment != 0) {
			pr_info("pci: ignoring MCFG segment %u (only segment 0 is scanned)\n", segment->segment);
			continue;
		}
		bool aligned = (segment->base & ((1ull << PCI_ECAM_BUS_SHIFT) - 1)) == 0 && segment->base != 0;
		if (aligned && segment->start_bus == 0 && segment->end_bus >= segment->start_bus)
			return segment;
		pr_warn("pci: MCFG segment 0 (base %#llx, buses %u-%u) is misaligned or misses bus 0, ignored\n",
			(unsigned long long)segment->base, segment->start_bus, segment->end_bus);
	}
	return NULL;
}

/* Maps the segment's buses (1 MiB each; identity, uncached, 2 MiB pages when
 * aligned) and checks that ECAM finds a host bridge at 00:00.0 with the IDs
 * mechanism #1 reads: a wrong MCFG base is then a warning, not an empty bus. */
static bool ecam_try(const struct acpi_mcfg_segment *segment)
{
	uint64_t first = segment->base + ((uint64_t)segment->start_bus << PCI_ECAM_BUS_SHIFT);
	uint64_t size = (uint64_t)(segment->end_bus - segment->start_bus + 1) << PCI_ECAM_BUS_SHIFT;
	if (!ioremap(first, size)) {
		pr_warn("pci: cannot map ECAM at %#llx, using legacy ports\n", (unsigned long long)first);
		return false;
	}
	struct pci_address host_bridge = { 0, 0, 0 };
	uint32_t legacy_ids = legacy_read(host_bridge, PCI_VENDOR_ID, 4);
	ecam_base = (volatile uint8_t *)(uintptr_t)segment->base;
	ecam_start_bus = segment->start_bus;
	ecam_end_bus = segment->end_bus;
	uint32_t ecam_ids = pci_config_read32(host_bridge, PCI_VENDOR_ID);
	bool ecam_sane = (ecam_ids & 0xFFFF) != PCI_VENDOR_NONE && (ecam_ids & 0xFFFF) != 0;
	bool legacy_absent = (legacy_ids & 0xFFFF) == PCI_VENDOR_NONE;
	if (!ecam_sane || (!legacy_absent && ecam_ids != legacy_ids)) {
		pr_warn("pci: ECAM at %#llx reads %08x for 00:00.0 where port 0xCF8 reads %08x, using legacy ports\n",
			(unsigned long long)segment->base, ecam_ids, legacy_ids);
		ecam_base = NULL;
		return false;
	}
	return true;
}

void pci_config_init(void)
{
	const struct acpi_mcfg_segment *segment = find_segment0(acpi_get());
	if (segment && ecam_try(segment)) {
		pr_info("pci: config access via ECAM at %#llx (buses %u-%u)\n", (unsigned long long)segment->base,
			segment->start_bus, segment->end_bus);
		return;
	}
	pr_info("pci: config access via legacy port 0xCF8\n");
}
