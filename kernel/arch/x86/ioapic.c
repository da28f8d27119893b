/* ioapic.c - the IOAPICs the MADT lists (kernel/arch/x86/apic.h): every redirection
 * entry masked at init, then routed one GSI at a time by drivers. ISA IRQs
 * map to GSIs through the MADT's interrupt source overrides.
 * References: 82093AA IOAPIC datasheet 3.1-3.2 (registers, redirection
 * table); ACPI 6.5 5.2.12.5 (overrides, MPS INTI flags in Table 5.26). */
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"

/* Indirect access: write a register index to IOREGSEL, then use IOWIN. */
#define IOAPIC_MMIO_SIZE 0x20
#define IOAPIC_REGISTER_SELECT 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_VERSION_MAX_ENTRY_SHIFT 16 /* bits 16-23: entries - 1 */
#define IOAPIC_REDIRECTION_TABLE 0x10     /* entry n: low 0x10+2n, high 0x11+2n */

/* Redirection entry, low dword; delivery mode 000 (fixed), physical destination. */
#define REDIRECTION_POLARITY_LOW (1u << 13)
#define REDIRECTION_TRIGGER_LEVEL (1u << 15)
#define REDIRECTION_MASKED (1u << 16)
#define REDIRECTION_DESTINATION_SHIFT 24 /* high dword: APIC id in bits 56-63 */

/* [ACPI 6.5 Table 5.26] MPS INTI flags. */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_ACTIVE_HIGH 0x1
#define INTI_POLARITY_ACTIVE_LOW 0x3
#define INTI_TRIGGER_SHIFT 2
#define INTI_TRIGGER_MASK 0x3
#define INTI_TRIGGER_EDGE 0x1
#define INTI_TRIGGER_LEVEL 0x3

struct ioapic {
	volatile void *registers;
	uint32_t gsi_base;
	unsigned entry_count;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned ioapic_count;

/* Callers hold interrupts off: IOREGSEL/IOWIN is a two-step sequence. */
static uint32_t ioapic_read(const struct ioapic *ioapic, uint32_t reg)
{
	mmio_write32(ioapic->registers, IOAPIC_REGISTER_SELECT, reg);
	return mmio_read32(ioapic->registers, IOAPIC_WINDOW);
}

static void ioapic_write(const struct ioapic *ioapic, uint32_t reg, uint32_t value)
{
	mmio_write32(ioapic->registers, IOAPIC_REGISTER_SELECT, reg);
	mmio_write32(ioapic->registers, IOAPIC_WINDOW, value);
}

static uint32_t redirection_low(unsigned entry) { return IOAPIC_REDIRECTION_TABLE + 2 * entry; }
static uint32_t redirection_high(unsigned entry) { return IOAPIC_REDIRECTION_TABLE + 2 * entry + 1; }

static struct ioapic *ioapic_for_gsi(uint32_t gsi, unsigned *entry)
{
	for (unsigned i = 0; i < ioapic_count; i++) {
		struct ioapic *ioapic = &ioapics[i];
		if (gsi >= ioapic->gsi_base && gsi - ioapic->gsi_base < ioapic->entry_count) {
			*entry = gsi - ioapic->gsi_base;
			return ioapic;
		}
	}
	return NULL;
}

static void ioapic_add(const struct acpi_ioapic *description)
{
	struct ioapic *ioapic = &ioapics[ioapic_count];
	ioapic->registers = ioremap(description->address, IOAPIC_MMIO_SIZE);
	if (ioapic->registers == NULL) {
		pr_warn("ioapic: cannot map id %u at 0x%x\n", description->id, description->address);
		return;
	}
	uint64_t flags = interrupts_save();
	uint32_t version = ioapic_read(ioapic, IOAPIC_VERSION);
	ioapic->gsi_base = description->gsi_base;
	ioapic->entry_count = ((version >> IOAPIC_VERSION_MAX_ENTRY_SHIFT) & 0xFF) + 1;
	for (unsigned entry = 0; entry < ioapic->entry_count; entry++) {
		ioapic_write(ioapic, redirection_low(entry), REDIRECTION_MASKED);
		ioapic_write(ioapic, redirection_high(entry), 0);
	}
	interrupts_restore(flags);
	ioapic_count++;
	pr_info("ioapic: id %u at 0x%x, version 0x%x, GSI %u-%u, all masked\n", description->id,
		description->address, version & 0xFF, ioapic->gsi_base, ioapic->gsi_base + ioapic->entry_count - 1);
}

/* Without an override, ISA IRQ n is GSI n, edge-triggered, active high;
 * "conforming" (0) in an override's flags means those same ISA defaults. */
static uint32_t ioapic_isa_irq_to_gsi(uint8_t isa_irq, enum irq_trigger *trigger, enum irq_polarity *polarity)
{
	const struct acpi_info *acpi = acpi_get();
	*trigger = IRQ_TRIGGER_EDGE;
	*polarity = IRQ_POLARITY_HIGH;
	for (unsigned i = 0; i < acpi->override_count; i++) {
		const struct acpi_interrupt_override *override = &acpi->overrides[i];
		if (override->isa_irq != isa_irq)
			continue;
		if ((override->flags & INTI_POLARITY_MASK) == INTI_POLARITY_ACTIVE_LOW)
			*polarity = IRQ_POLARITY_LOW;
		if (((override->flags >> INTI_TRIGGER_SHIFT) & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
			*trigger = IRQ_TRIGGER_LEVEL;
		return override->gsi;
	}
	return isa_irq;
}

void ioapic_init(void)
{
	const struct acpi_info *acpi = acpi_get();
	if (acpi->ioapic_count == 0) {
		pr_warn("ioapic: none described by ACPI: no IOAPIC routing\n");
		return;
	}
	for (unsigned i = 0; i < acpi->ioapic_count; i++)
		ioapic_add(&acpi->ioapics[i]);
	for (unsigned i = 0; i < acpi->override_count; i++) {
		enum irq_trigger trigger;
		enum irq_polarity polarity;
		uint8_t isa_irq = acpi->overrides[i].isa_irq;
		uint32_t gsi = ioapic_isa_irq_to_gsi(isa_irq, &trigger, &polarity);
		pr_debug("ioapic: ISA IRQ %u -> GSI %u, %s, active %s\n", isa_irq, gsi,
			 trigger == IRQ_TRIGGER_LEVEL ? "level" : "edge", polarity == IRQ_POLARITY_LOW ? "low" : "high");
	}
}

int ioapic_route(uint32_t gsi, uint8_t vector, enum irq_trigger trigger, enum irq_polarity polarity,
		 uint32_t destination_apic_id)
{
	unsigned entry;
	struct ioapic *ioapic = ioapic_for_gsi(gsi, &entry);
	if (ioapic == NULL)
		return -1;
	uint32_t low = vector;
	if (trigger == IRQ_TRIGGER_LEVEL)
		low |= REDIRECTION_TRIGGER_LEVEL;
	if (polarity == IRQ_POLARITY_LOW)
		low |= REDIRECTION_POLARITY_LOW;
	uint64_t flags = interrupts_save();
	/* Mask while the two halves disagree, so no half-written route fires. */
	ioapic_write(ioapic, redirection_low(entry), REDIRECTION_MASKED);
	ioapic_write(ioapic, redirection_high(entry), destination_apic_id << REDIRECTION_DESTINATION_SHIFT);
	ioapic_write(ioapic, redirection_low(entry), low);
	interrupts_restore(flags);
	return 0;
}
