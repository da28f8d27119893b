/* acpi_rsdp.h - the ACPI RSDP from the EFI configuration table.
 *
 * Contract: acpi_rsdp_find() copies the RSDP into info (rsdp, rsdp_phys,
 * rsdp_length 36 for the ACPI 2.0+ table, 20 for the ACPI 1.0 one) and
 * leaves rsdp_length 0 when the firmware publishes neither; checksums are
 * the kernel's to verify. */
#ifndef KEEL_EFI_ACPI_RSDP_H
#define KEEL_EFI_ACPI_RSDP_H

#include <efi.h>

#include "kernel/core/boot_info.h"

void acpi_rsdp_find(EFI_SYSTEM_TABLE *system_table, struct boot_info *info);

#endif
