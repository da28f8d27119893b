/* acpi_rsdp.c - see acpi_rsdp.h. GUIDs: UEFI 2.10 section 4.6.1.1; RSDP
 * layout and revisions: ACPI 6.5 section 5.2.5.3. */
#include <efi.h>
#include <efilib.h>

#include "boot/efi/acpi_rsdp.h"

#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_SIGNATURE_LENGTH 8
#define RSDP_REVISION_OFFSET 15
#define RSDP_ACPI1_LENGTH 20 /* up to and including RsdtAddress */
#define RSDP_ACPI2_LENGTH 36 /* adds Length, XsdtAddress, ExtendedChecksum */

static EFI_GUID acpi20_table_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_table_guid = ACPI_TABLE_GUID;

static const UINT8 *find_configuration_table(EFI_SYSTEM_TABLE *system_table, EFI_GUID *guid)
{
	for (UINTN i = 0; i < system_table->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *entry = &system_table->ConfigurationTable[i];
		if (CompareMem(&entry->VendorGuid, guid, sizeof(*guid)) == 0)
			return entry->VendorTable;
	}
	return NULL;
}

static BOOLEAN copy_rsdp(const UINT8 *rsdp, UINT32 length, struct boot_info *info)
{
	if (rsdp == NULL || CompareMem(rsdp, RSDP_SIGNATURE, RSDP_SIGNATURE_LENGTH) != 0)
		return FALSE;
	/* An "ACPI 2.0" entry pointing at a revision 0 RSDP has only 20 bytes. */
	if (rsdp[RSDP_REVISION_OFFSET] < 2)
		length = RSDP_ACPI1_LENGTH;
	CopyMem(info->rsdp, rsdp, length);
	info->rsdp_length = length;
	info->rsdp_phys = (UINT64)(UINTN)rsdp;
	return TRUE;
}

void acpi_rsdp_find(EFI_SYSTEM_TABLE *system_table, struct boot_info *info)
{
	_Static_assert(sizeof(info->rsdp) >= RSDP_ACPI2_LENGTH, "boot_info.rsdp holds an ACPI 2.0 RSDP");
	if (copy_rsdp(find_configuration_table(system_table, &acpi20_table_guid), RSDP_ACPI2_LENGTH, info))
		return;
	copy_rsdp(find_configuration_table(system_table, &acpi10_table_guid), RSDP_ACPI1_LENGTH, info);
}
