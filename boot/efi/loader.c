/* loader.c - BOOTX64.EFI: a GNU-EFI application that carries the keel kernel
 * (boot/efi/efi.mk links $(BUILD)/keel64.elf into it) and starts it.
 *
 * Steps: place the kernel at its physical address (1 MiB), fill a struct
 * boot_info (kernel/core/boot_info.h) in LoaderData memory with the loader name,
 * command line and ACPI RSDP, take the final memory map and exit boot
 * services, then call the kernel's 64-bit entry with the SysV ABI. The
 * kernel copies boot_info before it touches any usable page, and runs on
 * the firmware's identity-mapped page tables until it installs its own. */
#include <efi.h>
#include <efilib.h>

#include "boot/efi/acpi_rsdp.h"
#include "boot/efi/command_line.h"
#include "boot/efi/kernel_image.h"
#include "boot/efi/memory_map.h"

#define LOADER_NAME "keel-efi"
#define BOOT_INFO_HIGHEST_ADDRESS 0xFFFFFFFFull

/* The kernel's entry contract (kernel/core/boot_info.h); the firmware's calls are
 * ms_abi, this one is not. */
typedef void __attribute__((sysv_abi, noreturn)) (*kernel_entry_fn)(const struct boot_info *info);

EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *system_table);

static void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* "keel-efi on <firmware vendor>", ASCII only. */
static void set_loader_name(EFI_SYSTEM_TABLE *system_table, struct boot_info *info)
{
	static const char prefix[] = LOADER_NAME " on ";
	UINTN length = sizeof(prefix) - 1;
	CopyMem(info->loader_name, prefix, length);
	const CHAR16 *vendor = system_table->FirmwareVendor ? system_table->FirmwareVendor : L"unknown firmware";
	for (UINTN i = 0; vendor[i] && length + 1 < sizeof(info->loader_name); i++)
		info->loader_name[length++] = vendor[i] >= 0x20 && vendor[i] < 0x7F ? (char)vendor[i] : '?';
	info->loader_name[length] = '\0';
}

/* LoaderData below 4 GiB: the kernel's boot page tables map only the first
 * 4 GiB (boot/entry.asm), and it copies the structure before it reuses any
 * usable page (kernel/core/boot.c). */
static struct boot_info *allocate_boot_info(void)
{
	EFI_PHYSICAL_ADDRESS address = BOOT_INFO_HIGHEST_ADDRESS;
	if (EFI_ERROR(BS->AllocatePages(AllocateMaxAddress, EfiLoaderData, EFI_SIZE_TO_PAGES(sizeof(struct boot_info)),
					&address)))
		return NULL;
	struct boot_info *info = (struct boot_info *)(UINTN)address;
	ZeroMem(info, sizeof(*info));
	info->magic = BOOT_INFO_MAGIC;
	info->path = BOOT_PATH_EFI;
	return info;
}

EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *system_table)
{
	InitializeLib(image_handle, system_table);
	UINTN kernel_size = (UINTN)(keel_kernel_elf_end - keel_kernel_elf_start);
	Print(L"%a: loading kernel (%lu bytes) ...\r\n", LOADER_NAME, (UINT64)kernel_size);

	struct boot_info *info = allocate_boot_info();
	if (info == NULL) {
		Print(L"%a: error: no memory for the boot information\r\n", LOADER_NAME);
		return EFI_OUT_OF_RESOURCES;
	}
	const struct keel_header *header;
	EFI_STATUS status = kernel_image_load(keel_kernel_elf_start, kernel_size, &header);
	if (EFI_ERROR(status)) {
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(UINTN)info, EFI_SIZE_TO_PAGES(sizeof(*info)));
		return status;
	}
	set_loader_name(system_table, info);
	acpi_rsdp_find(system_table, info);
	command_line_read(image_handle, info->cmdline, sizeof(info->cmdline));
	Print(L"%a: kernel at %lx-%lx, entry %lx, command line '%a'\r\n", LOADER_NAME, header->image_start,
	      header->image_end, header->entry64, info->cmdline);

	status = memory_map_exit_boot_services(image_handle, info);
	if (EFI_ERROR(status))
		halt_forever(); /* the console may be gone already (memory_map.h) */
	kernel_entry_fn enter_kernel = (kernel_entry_fn)(UINTN)header->entry64;
	enter_kernel(info);
}
