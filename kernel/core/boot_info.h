/* boot_info.h - the one normalized description of the machine that every boot
 * path (multiboot1, multiboot2, PVH, the GNU-EFI loader) fills before the kernel runs.
 *
 * Contract: the structure is self-contained (no pointers into loader memory), so
 * the kernel copies it once on entry and may then reuse every page the loader
 * reported as usable. Shared by the kernel and boot/efi/loader.c: keep it free of
 * kernel-only types. */
#ifndef KEEL_BOOT_INFO_H
#define KEEL_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC 0x6b65656c426f6f74ull /* "keelBoot" */
#define BOOT_INFO_MAX_MEM_REGIONS 256
#define BOOT_INFO_MAX_MODULES 8
#define BOOT_INFO_CMDLINE_MAX 2048

enum boot_path {
	BOOT_PATH_MULTIBOOT1 = 1,
	BOOT_PATH_MULTIBOOT2 = 2,
	BOOT_PATH_EFI = 3,
	BOOT_PATH_PVH = 4,   /* x86/HVM direct boot (QEMU microvm, Firecracker) */
};

/* Mirrors the ACPI / e820 address range types (ACPI 6.5 section 15.3). */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum boot_mem_type */
	uint32_t reserved;
};

struct boot_module {
	uint64_t start; /* physical, inclusive */
	uint64_t end;   /* physical, exclusive */
	char name[64];
};

struct boot_info {
	uint64_t magic;      /* BOOT_INFO_MAGIC */
	uint32_t path;       /* enum boot_path */
	uint32_t mem_region_count;
	uint64_t entry_tsc;  /* TSC read at the first kernel instruction */
	char loader_name[64];
	char cmdline[BOOT_INFO_CMDLINE_MAX];
	/* ACPI RSDP: a copy of the structure (the loader's copy may live in memory
	 * we later reuse) and its physical address when the loader knows it. */
	uint64_t rsdp_phys;
	uint32_t rsdp_length; /* 0: no RSDP from the loader, the kernel scans for it */
	uint8_t rsdp[36];
	uint32_t module_count;
	struct boot_module modules[BOOT_INFO_MAX_MODULES];
	struct boot_mem_region mem_regions[BOOT_INFO_MAX_MEM_REGIONS];
};

/* Placed in the kernel image (section .keel_header, within its first 64 KiB)
 * so the EFI loader can find the 64-bit entry without parsing symbols. */
#define KEEL_HEADER_MAGIC 0x3152444848454b4bull /* "KKEHHDR1" */
struct keel_header {
	uint64_t magic;
	uint64_t entry64; /* void entry64(const struct boot_info *info), SysV ABI */
	uint64_t image_start; /* physical load range of the whole image incl. bss */
	uint64_t image_end;
};

#endif
