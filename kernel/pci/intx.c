/* intx.c - legacy INTx# interrupts through the IOAPIC.
 *
 * Which interrupt controller input a function's INTA#-INTD# pin reaches is
 * board wiring that ACPI describes only in AML (_PRT objects and the PCI
 * interrupt link devices they name, ACPI 6.5 section 6.2.13), and keel has
 * no AML interpreter. The firmware (SeaBIOS, OVMF) did that routing when it
 * programmed the chipset's PIRQ router, and wrote the resulting ISA IRQ into
 * the function's Interrupt Line register (PCI Local Bus 3.0 section 6.2.4).
 * The IOAPIC's first 16 inputs are wired like the 8259's, so that IRQ, after
 * the MADT's interrupt source overrides, is the GSI (a firmware running in
 * APIC mode may write a GSI above 15 directly). On QEMU's PIIX and ICH9 the
 * routed IRQ does reach the IOAPIC at that input. Line 0 (the PIT) and 0xFF
 * mean the firmware routed nothing. */
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/console/printk.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#define PCI_INTERRUPT_LINE_UNKNOWN 0xFF
/* MPS INTI flags in a MADT override (ACPI 6.5 table 5.26). */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_HIGH 0x1
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_MASK 0xC
#define INTI_TRIGGER_EDGE 0x4
#define INTI_TRIGGER_LEVEL 0xC

struct intx_route {
	uint32_t gsi;
	enum irq_trigger trigger;
	enum irq_polarity polarity;
};

/* PCI INTx# is level triggered and active low (PCI Local Bus 3.0 section
 * 2.2.6); an override for the IRQ that says otherwise wins, because it
 * describes what the board (or QEMU, which declares active high) really does. */
static struct intx_route route_for_line(uint8_t line)
{
	struct intx_route route = { line, IRQ_TRIGGER_LEVEL, IRQ_POLARITY_LOW };
	const struct acpi_info *acpi = acpi_get();
	for (unsigned i = 0; i < acpi->override_count && i < ACPI_MAX_OVERRIDES; i++) {
		const struct acpi_interrupt_override *override = &acpi->overrides[i];
		if (override->isa_irq != line)
			continue;
		route.gsi = override->gsi;
		if ((override->flags & INTI_POLARITY_MASK) == INTI_POLARITY_HIGH)
			route.polarity = IRQ_POLARITY_HIGH;
		if ((override->flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_EDGE)
			route.trigger = IRQ_TRIGGER_EDGE;
	}
	return route;
}

int pci_intx_route(struct pci_device *device, uint8_t vector)
{
	uint8_t line = device->interrupt_line;
	if (device->interrupt_pin == 0)
		return -1;
	if (line == 0 || line == PCI_INTERRUPT_LINE_UNKNOWN) {
		pr_warn("pci: %02x:%02x.%u: firmware left no interrupt line (%u), INTx not routed\n",
			device->address.bus, device->address.slot, device->address.function, line);
		return -1;
	}
	struct intx_route route = route_for_line(line);
	if (ioapic_route(route.gsi, vector, route.trigger, route.polarity, lapic_id()) != 0) {
		pr_warn("pci: %02x:%02x.%u: no IOAPIC serves GSI %u\n", device->address.bus, device->address.slot,
			device->address.function, route.gsi);
		return -1;
	}
	pci_command_update(device, 0, PCI_COMMAND_INTX_DISABLE);
	return 0;
}
