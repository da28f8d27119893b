/* tables.h - the byte layouts of the static ACPI tables keel reads, each
 * mirroring the ACPI 6.5 section named beside it (PCI Firmware 3.3 for MCFG,
 * IA-PC HPET 1.0a for the HPET table). Only acpi.c includes this. */
#ifndef KEEL_ACPI_TABLES_H
#define KEEL_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_RSDP_SIGNATURE "RSD PTR "
#define ACPI_RSDP_V1_LENGTH 20 /* the part the ACPI 1.0 checksum covers */

/* [ACPI 6.5 5.2.5.3] Root System Description Pointer. */
struct __attribute__((packed)) acpi_rsdp {
	char signature[8];
	uint8_t checksum;          /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;          /* 0: ACPI 1.0; 2: ACPI 2.0+ with the fields below */
	uint32_t rsdt_address;
	uint32_t length;           /* of the whole structure (revision >= 2) */
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* over `length` bytes */
	uint8_t reserved[3];
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");

/* [ACPI 6.5 5.2.6] System Description Table header, common to every table. */
struct __attribute__((packed)) acpi_table_header {
	char signature[4];
	uint32_t length;           /* including this header */
	uint8_t revision;
	uint8_t checksum;          /* whole table sums to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
};
_Static_assert(sizeof(struct acpi_table_header) == 36, "SDT header layout");

/* [ACPI 6.5 5.2.3.2] Generic Address Structure. */
enum acpi_address_space { ACPI_SPACE_MEMORY = 0, ACPI_SPACE_IO = 1 };
struct __attribute__((packed)) acpi_generic_address {
	uint8_t address_space;     /* enum acpi_address_space */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};
_Static_assert(sizeof(struct acpi_generic_address) == 12, "GAS layout");

/* [ACPI 6.5 5.2.12] Multiple APIC Description Table: header, then a list of
 * variable-length interrupt controller structures. */
#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* dual 8259 present (Table 5.20) */
struct __attribute__((packed)) acpi_madt {
	struct acpi_table_header header;
	uint32_t local_apic_address;
	uint32_t flags;
};
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT layout");

/* [ACPI 6.5 Table 5.21] Interrupt controller structure types keel reads. */
enum acpi_madt_entry_type {
	MADT_LOCAL_APIC = 0,
	MADT_IO_APIC = 1,
	MADT_INTERRUPT_OVERRIDE = 2,
	MADT_LOCAL_APIC_ADDRESS_OVERRIDE = 5,
	MADT_LOCAL_X2APIC = 9,
};

struct __attribute__((packed)) acpi_madt_entry_header {
	uint8_t type;
	uint8_t length;
};

#define ACPI_MADT_CPU_ENABLED (1u << 0) /* Table 5.23 Local APIC flags */

/* [ACPI 6.5 5.2.12.2] Processor Local APIC. */
struct __attribute__((packed)) acpi_madt_local_apic {
	struct acpi_madt_entry_header header;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
};
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT local APIC layout");

/* [ACPI 6.5 5.2.12.3] I/O APIC. */
struct __attribute__((packed)) acpi_madt_io_apic {
	struct acpi_madt_entry_header header;
	uint8_t io_apic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
};
_Static_assert(sizeof(struct acpi_madt_io_apic) == 12, "MADT IOAPIC layout");

/* [ACPI 6.5 5.2.12.5] Interrupt Source Override. */
struct __attribute__((packed)) acpi_madt_interrupt_override {
	struct acpi_madt_entry_header header;
	uint8_t bus;               /* 0: ISA */
	uint8_t source;            /* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;            /* MPS INTI flags, Table 5.26 */
};
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10, "MADT override layout");

/* [ACPI 6.5 5.2.12.8] Local APIC Address Override (64-bit). */
struct __attribute__((packed)) acpi_madt_local_apic_address_override {
	struct acpi_madt_entry_header header;
	uint16_t reserved;
	uint64_t address;
};
_Static_assert(sizeof(struct acpi_madt_local_apic_address_override) == 12, "MADT LAPIC override layout");

/* [ACPI 6.5 5.2.12.12] Processor Local x2APIC. */
struct __attribute__((packed)) acpi_madt_local_x2apic {
	struct acpi_madt_entry_header header;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
};
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT x2APIC layout");

/* [PCI Firmware 3.3 4.1.2] MCFG: header, 8 reserved bytes, then allocations. */
struct __attribute__((packed)) acpi_mcfg_allocation {
	uint64_t base_address;
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
	uint32_t reserved;
};
_Static_assert(sizeof(struct acpi_mcfg_allocation) == 16, "MCFG allocation layout");
#define ACPI_MCFG_ALLOCATIONS_OFFSET 44

/* [ACPI 6.5 5.2.9 Table 5.9] FADT, up to the fields keel reads. Older (ACPI
 * 1.0) FADTs end after `flags`; fields past the table's length are absent. */
#define ACPI_FADT_TMR_VAL_EXT (1u << 8) /* PM timer is 32 bits wide (Table 5.10) */
struct __attribute__((packed)) acpi_fadt {
	struct acpi_table_header header;
	uint32_t firmware_control;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_interrupt;
	uint32_t smi_command;
	uint8_t acpi_enable, acpi_disable, s4bios_request, pstate_control;
	uint32_t pm1a_event_block, pm1b_event_block;
	uint32_t pm1a_control_block, pm1b_control_block;
	uint32_t pm2_control_block;
	uint32_t pm_timer_block;
	uint32_t gpe0_block, gpe1_block;
	uint8_t pm1_event_length, pm1_control_length, pm2_control_length, pm_timer_length;
	uint8_t gpe0_block_length, gpe1_block_length, gpe1_base, cstate_control;
	uint16_t p_level2_latency, p_level3_latency;
	uint16_t flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alarm, month_alarm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_generic_address reset_register;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t fadt_minor_version;
	uint64_t x_firmware_control;
	uint64_t x_dsdt;
	struct acpi_generic_address x_pm1a_event_block, x_pm1b_event_block;
	struct acpi_generic_address x_pm1a_control_block, x_pm1b_control_block;
	struct acpi_generic_address x_pm2_control_block;
	struct acpi_generic_address x_pm_timer_block;
};
_Static_assert(offsetof(struct acpi_fadt, sci_interrupt) == 46, "FADT SCI_INT offset");
_Static_assert(offsetof(struct acpi_fadt, pm_timer_block) == 76, "FADT PM_TMR_BLK offset");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT Flags offset");
_Static_assert(offsetof(struct acpi_fadt, x_pm_timer_block) == 208, "FADT X_PM_TMR_BLK offset");

/* [IA-PC HPET 1.0a 3.2.4] HPET description table. */
struct __attribute__((packed)) acpi_hpet {
	struct acpi_table_header header;
	uint32_t event_timer_block_id;
	struct acpi_generic_address base_address;
	uint8_t hpet_number;
	uint16_t minimum_tick;
	uint8_t page_protection;
};
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table layout");

#endif
