/* acpi.h - the static ACPI tables keel needs, found from the RSDP
 * (RSDP -> XSDT, or RSDT on ACPI 1.0 -> MADT, MCFG, FADT, HPET), every table
 * checksum-validated (ACPI 6.5 section 5.2). No AML. */
#ifndef KEEL_ACPI_H
#define KEEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/core/boot_info.h"

#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_CPUS 64
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_MCFG_SEGMENTS 8

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;  /* physical MMIO base */
	uint32_t gsi_base;
};

struct acpi_interrupt_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint16_t flags; /* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
};

struct acpi_mcfg_segment {
	uint64_t base;    /* ECAM base for bus 0 of this segment */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

struct acpi_info {
	bool present;
	uint8_t revision;          /* RSDP revision: 0 = ACPI 1.0 (RSDT), 2+ = XSDT */
	char oem_id[7];
	uint64_t lapic_address;
	bool has_8259;             /* MADT flags PCAT_COMPAT */
	unsigned cpu_count;
	uint8_t cpu_apic_ids[ACPI_MAX_CPUS];
	unsigned ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned override_count;
	struct acpi_interrupt_override overrides[ACPI_MAX_OVERRIDES];
	unsigned mcfg_count;
	struct acpi_mcfg_segment mcfg[ACPI_MAX_MCFG_SEGMENTS];
	/* FADT */
	uint32_t pm_timer_port;    /* 0 when absent */
	bool pm_timer_32bit;
	uint16_t sci_irq;
	uint64_t hpet_address;     /* 0 when there is no HPET table */
	unsigned tables_bad_checksum;
};

/* Locates the RSDP (from boot_info, else the EBDA and 0xE0000-0xFFFFF scan)
 * and parses the tables. Prints one summary line. Missing ACPI is not fatal. */
void acpi_init(const struct boot_info *info);
const struct acpi_info *acpi_get(void);

#endif
