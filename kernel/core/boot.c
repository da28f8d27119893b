/* boot.c - turns what each loader hands over into the one struct boot_info
 * (kernel/core/boot_info.h), then calls kmain. Multiboot info layouts: Multiboot
 * 0.6.96 section 3.3 and Multiboot2 1.6 section 3.6; PVH: struct hvm_start_info
 * of the x86/HVM direct boot ABI (Xen public/arch-x86/hvm/start_info.h), whose
 * magic boot/entry.asm's PVH entry passes in place of a multiboot one. The loader's structures
 * are read once here and never again: their pages become usable memory. */
#include "kernel/arch/x86/cpu.h"
#include "kernel/core/boot_info.h"
#include "kernel/core/kmain.h"

#include <string.h>

#define MULTIBOOT1_LOADER_MAGIC 0x2BADB002u
#define MULTIBOOT2_LOADER_MAGIC 0x36D76289u
#define PVH_START_INFO_MAGIC 0x336ec578u
#define PVH_VERSION_MEMORY_MAP 1 /* start info version 1 added memmap_paddr/entries */
#define ACPI_RSDP_V1_LENGTH 20
#define ACPI_RSDP_REVISION_OFFSET 15
#define ACPI_RSDP_LENGTH_OFFSET 20

#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODULES (1u << 3)
#define MB1_INFO_MEMORY_MAP (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)

struct __attribute__((packed)) multiboot1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t module_count, module_address;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_address;
	uint32_t drives_length, drives_address;
	uint32_t config_table;
	uint32_t loader_name;
};

struct __attribute__((packed)) multiboot1_mmap_entry {
	uint32_t size; /* of the rest of the entry, not counting this field */
	uint64_t base;
	uint64_t length;
	uint32_t type;
};

struct __attribute__((packed)) multiboot1_module {
	uint32_t start, end, string, reserved;
};

enum multiboot2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MEMORY_MAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct multiboot2_tag {
	uint32_t type;
	uint32_t size;
};

struct multiboot2_memory_map {
	uint32_t type, size;
	uint32_t entry_size, entry_version;
	/* entries follow */
};

struct __attribute__((packed)) multiboot2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

/* The layouts of start_info.h: all addresses physical, little-endian. */
struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t module_count;
	uint64_t modules_address;  /* array of struct pvh_module */
	uint64_t cmdline_address;  /* NUL-terminated, 0 = none */
	uint64_t rsdp_address;     /* 0 = none */
	uint64_t memory_map_address;    /* version >= 1 */
	uint32_t memory_map_entries;    /* version >= 1 */
	uint32_t reserved;
};

struct pvh_module {
	uint64_t address;
	uint64_t size;
	uint64_t cmdline_address;
	uint64_t reserved;
};

struct pvh_memory_map_entry {
	uint64_t address;
	uint64_t size;
	uint32_t type;  /* the e820 types: 1 = RAM, 2 = reserved, 3 = ACPI, ... */
	uint32_t reserved;
};

extern uint64_t boot_entry_tsc;
static struct boot_info boot_info;

void boot_multiboot_main(uint32_t magic, uint32_t info_physical);
void boot_efi_main(const struct boot_info *loader_info);

extern uintptr_t __stack_chk_guard;

/* A per-boot stack canary. The functions that call this must not check the
 * canary themselves (no_stack_protector) since it changes under them; they
 * never return, so nothing checks the old value. RDRAND when the CPU has it
 * (CPUID.01H:ECX bit 30), mixed with the TSC at entry. */
static void stack_protector_init(uint64_t entry_tsc)
{
	uint32_t eax, ebx, ecx, edx;
	uint64_t random = 0;
	cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	if (ecx & (1u << 30)) {
		uint8_t ok = 0;
		for (int attempt = 0; attempt < 10 && !ok; attempt++)
			__asm__ volatile("rdrand %0; setc %1" : "=r"(random), "=qm"(ok));
	}
	uint64_t mixed = (random ^ entry_tsc ^ rdtsc()) * 0x9E3779B97F4A7C15ull;
	/* A zero low byte stops string overflows from reproducing the canary. */
	__stack_chk_guard = (uintptr_t)(mixed & ~0xFFull);
}

static uint32_t normalize_memory_type(uint32_t type)
{
	return type >= BOOT_MEM_USABLE && type <= BOOT_MEM_BAD ? type : BOOT_MEM_RESERVED;
}

static void add_memory_region(uint64_t base, uint64_t length, uint32_t type)
{
	if (length == 0 || boot_info.mem_region_count == BOOT_INFO_MAX_MEM_REGIONS)
		return;
	boot_info.mem_regions[boot_info.mem_region_count++] =
		(struct boot_mem_region){ base, length, normalize_memory_type(type), 0 };
}

static void add_module(uint64_t start, uint64_t end, const char *name)
{
	if (boot_info.module_count == BOOT_INFO_MAX_MODULES)
		return;
	struct boot_module *module = &boot_info.modules[boot_info.module_count++];
	module->start = start;
	module->end = end;
	strlcpy(module->name, name ? name : "", sizeof(module->name));
}

static void parse_multiboot1(const struct multiboot1_info *info)
{
	boot_info.path = BOOT_PATH_MULTIBOOT1;
	if (info->flags & MB1_INFO_CMDLINE)
		strlcpy(boot_info.cmdline, (const char *)(uintptr_t)info->cmdline, sizeof(boot_info.cmdline));
	if (info->flags & MB1_INFO_LOADER_NAME)
		strlcpy(boot_info.loader_name, (const char *)(uintptr_t)info->loader_name, sizeof(boot_info.loader_name));
	if (info->flags & MB1_INFO_MEMORY_MAP) {
		uintptr_t cursor = info->mmap_address;
		uintptr_t end = cursor + info->mmap_length;
		while (cursor + sizeof(struct multiboot1_mmap_entry) <= end) {
			const struct multiboot1_mmap_entry *entry = (const void *)cursor;
			add_memory_region(entry->base, entry->length, entry->type);
			cursor += entry->size + sizeof(entry->size);
		}
	}
	if (info->flags & MB1_INFO_MODULES) {
		const struct multiboot1_module *modules = (const void *)(uintptr_t)info->module_address;
		for (uint32_t i = 0; i < info->module_count; i++)
			add_module(modules[i].start, modules[i].end, (const char *)(uintptr_t)modules[i].string);
	}
}

static void parse_multiboot2_memory_map(const struct multiboot2_memory_map *map)
{
	if (map->entry_size < sizeof(struct multiboot2_mmap_entry))
		return;
	uintptr_t cursor = (uintptr_t)(map + 1);
	uintptr_t end = (uintptr_t)map + map->size;
	for (; cursor + map->entry_size <= end; cursor += map->entry_size) {
		const struct multiboot2_mmap_entry *entry = (const void *)cursor;
		add_memory_region(entry->base, entry->length, entry->type);
	}
}

static void parse_multiboot2(uintptr_t info)
{
	boot_info.path = BOOT_PATH_MULTIBOOT2;
	uint32_t total_size = *(const uint32_t *)info;
	uintptr_t cursor = info + 8;
	uintptr_t end = info + total_size;
	while (cursor + sizeof(struct multiboot2_tag) <= end) {
		const struct multiboot2_tag *tag = (const void *)cursor;
		if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
			break;
		const char *payload = (const char *)(tag + 1);
		size_t payload_size = tag->size - sizeof(*tag);
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(boot_info.cmdline, payload, sizeof(boot_info.cmdline));
			break;
		case MB2_TAG_LOADER_NAME:
			strlcpy(boot_info.loader_name, payload, sizeof(boot_info.loader_name));
			break;
		case MB2_TAG_MODULE: {
			const uint32_t *range = (const uint32_t *)payload;
			add_module(range[0], range[1], payload + 8);
			break;
		}
		case MB2_TAG_MEMORY_MAP:
			parse_multiboot2_memory_map((const struct multiboot2_memory_map *)tag);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* Prefer the ACPI 2.0+ RSDP when the loader gives both. */
			if (boot_info.rsdp_length == 0 || tag->type == MB2_TAG_ACPI_NEW) {
				size_t length = payload_size < sizeof(boot_info.rsdp) ? payload_size : sizeof(boot_info.rsdp);
				memcpy(boot_info.rsdp, payload, length);
				boot_info.rsdp_length = (uint32_t)length;
			}
			break;
		}
		cursor += (tag->size + 7) & ~7u; /* tags are 8-byte aligned */
	}
}

/* The RSDP is 20 bytes in revision 0 and its own length field later (ACPI
 * 6.5 section 5.2.5.3); copy it since its page may become free memory. */
static void copy_rsdp(uint64_t address)
{
	const uint8_t *rsdp = (const uint8_t *)(uintptr_t)address;
	uint32_t length = ACPI_RSDP_V1_LENGTH;
	if (rsdp[ACPI_RSDP_REVISION_OFFSET] >= 2)
		memcpy(&length, rsdp + ACPI_RSDP_LENGTH_OFFSET, sizeof(length));
	if (length < ACPI_RSDP_V1_LENGTH || length > sizeof(boot_info.rsdp))
		length = length < ACPI_RSDP_V1_LENGTH ? ACPI_RSDP_V1_LENGTH : sizeof(boot_info.rsdp);
	memcpy(boot_info.rsdp, rsdp, length);
	boot_info.rsdp_length = length;
	boot_info.rsdp_phys = address;
}

static void parse_pvh(const struct pvh_start_info *info)
{
	boot_info.path = BOOT_PATH_PVH;
	strlcpy(boot_info.loader_name, "pvh", sizeof(boot_info.loader_name));
	if (info->cmdline_address)
		strlcpy(boot_info.cmdline, (const char *)(uintptr_t)info->cmdline_address, sizeof(boot_info.cmdline));
	if (info->version >= PVH_VERSION_MEMORY_MAP && info->memory_map_address) {
		const struct pvh_memory_map_entry *map = (const void *)(uintptr_t)info->memory_map_address;
		for (uint32_t i = 0; i < info->memory_map_entries && i < BOOT_INFO_MAX_MEM_REGIONS; i++)
			add_memory_region(map[i].address, map[i].size, map[i].type);
	}
	if (info->rsdp_address)
		copy_rsdp(info->rsdp_address);
	const struct pvh_module *modules = (const void *)(uintptr_t)info->modules_address;
	for (uint32_t i = 0; modules && i < info->module_count && i < BOOT_INFO_MAX_MODULES; i++)
		add_module(modules[i].address, modules[i].address + modules[i].size,
			   (const char *)(uintptr_t)modules[i].cmdline_address);
}

__attribute__((no_stack_protector)) void boot_multiboot_main(uint32_t magic, uint32_t info_physical)
{
	stack_protector_init(boot_entry_tsc);
	boot_info.magic = BOOT_INFO_MAGIC;
	boot_info.entry_tsc = boot_entry_tsc;
	if (magic == MULTIBOOT1_LOADER_MAGIC)
		parse_multiboot1((const struct multiboot1_info *)(uintptr_t)info_physical);
	else if (magic == MULTIBOOT2_LOADER_MAGIC)
		parse_multiboot2(info_physical);
	else if (magic == PVH_START_INFO_MAGIC &&
		 ((const struct pvh_start_info *)(uintptr_t)info_physical)->magic == PVH_START_INFO_MAGIC)
		parse_pvh((const struct pvh_start_info *)(uintptr_t)info_physical);
	kmain(&boot_info);
}

__attribute__((no_stack_protector)) void boot_efi_main(const struct boot_info *loader_info)
{
	stack_protector_init(boot_entry_tsc);
	if (loader_info->magic == BOOT_INFO_MAGIC)
		boot_info = *loader_info;
	boot_info.magic = BOOT_INFO_MAGIC;
	boot_info.path = BOOT_PATH_EFI;
	boot_info.entry_tsc = boot_entry_tsc;
	kmain(&boot_info);
}
