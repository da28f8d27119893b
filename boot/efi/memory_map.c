/* memory_map.c - see memory_map.h. Memory types: UEFI 2.10 section 7.2,
 * table 7-6 ("Memory Type Usage after ExitBootServices()"); the
 * GetMemoryMap / ExitBootServices handshake: section 7.4. */
#include <efi.h>
#include <efilib.h>

#include "boot/efi/memory_map.h"

/* ExitBootServices fails when the map changed since GetMemoryMap (a timer
 * event may allocate); each retry reads a fresh map. */
#define EXIT_BOOT_SERVICES_ATTEMPTS 8
/* AllocatePool for the map buffer may itself add descriptors. */
#define MAP_SLACK_DESCRIPTORS 16

struct efi_memory_map {
	EFI_MEMORY_DESCRIPTOR *descriptors;
	UINTN capacity;        /* bytes allocated */
	UINTN size;            /* bytes filled by GetMemoryMap */
	UINTN key;
	UINTN descriptor_size; /* may exceed sizeof(EFI_MEMORY_DESCRIPTOR) */
	UINT32 descriptor_version;
};

/* What each EFI type becomes once boot services are gone (table 7-6). */
static UINT32 boot_memory_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiConventionalMemory:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiLoaderCode:
	case EfiLoaderData:
		return BOOT_MEM_USABLE;
	case EfiACPIReclaimMemory:
		return BOOT_MEM_ACPI_RECLAIMABLE;
	case EfiACPIMemoryNVS:
		return BOOT_MEM_ACPI_NVS;
	case EfiUnusableMemory:
		return BOOT_MEM_BAD;
	default: /* runtime services, MMIO, reserved, persistent, unaccepted */
		return BOOT_MEM_RESERVED;
	}
}

/* Extends an existing region of the same type that touches [base, base+length). */
static BOOLEAN merge_into_existing(struct boot_info *info, UINT64 base, UINT64 length, UINT32 type)
{
	for (UINT32 i = 0; i < info->mem_region_count; i++) {
		struct boot_mem_region *region = &info->mem_regions[i];
		if (region->type != type)
			continue;
		if (region->base + region->length == base) {
			region->length += length;
			return TRUE;
		}
		if (base + length == region->base) {
			region->base = base;
			region->length += length;
			return TRUE;
		}
	}
	return FALSE;
}

static void add_region(struct boot_info *info, UINT64 base, UINT64 length, UINT32 type)
{
	if (length == 0 || merge_into_existing(info, base, length, type))
		return;
	/* Past the limit the rest is dropped: the kernel then simply does not use it. */
	if (info->mem_region_count < BOOT_INFO_MAX_MEM_REGIONS)
		info->mem_regions[info->mem_region_count++] =
			(struct boot_mem_region){ .base = base, .length = length, .type = type };
}

/* The spec does not promise an ordered map; insertion sort, then one pass to
 * merge neighbours that the unordered insertion could not see. */
static void sort_and_merge_regions(struct boot_info *info)
{
	struct boot_mem_region *regions = info->mem_regions;
	for (UINT32 i = 1; i < info->mem_region_count; i++) {
		struct boot_mem_region moving = regions[i];
		UINT32 j = i;
		for (; j > 0 && regions[j - 1].base > moving.base; j--)
			regions[j] = regions[j - 1];
		regions[j] = moving;
	}
	UINT32 kept = 0;
	for (UINT32 i = 0; i < info->mem_region_count; i++) {
		struct boot_mem_region *last = kept ? &regions[kept - 1] : NULL;
		if (last && last->type == regions[i].type && last->base + last->length == regions[i].base)
			last->length += regions[i].length;
		else
			regions[kept++] = regions[i];
	}
	info->mem_region_count = kept;
}

static void convert_memory_map(const struct efi_memory_map *map, struct boot_info *info)
{
	info->mem_region_count = 0;
	for (UINTN offset = 0; offset + map->descriptor_size <= map->size; offset += map->descriptor_size) {
		const EFI_MEMORY_DESCRIPTOR *descriptor = (const EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map->descriptors + offset);
		add_region(info, descriptor->PhysicalStart, descriptor->NumberOfPages * EFI_PAGE_SIZE,
			   boot_memory_type(descriptor->Type));
	}
	sort_and_merge_regions(info);
}

/* Allocation is still allowed between failed ExitBootServices calls (section 7.4). */
static EFI_STATUS grow_map_buffer(struct efi_memory_map *map, UINTN needed)
{
	if (map->descriptors)
		BS->FreePool(map->descriptors);
	map->capacity = needed + MAP_SLACK_DESCRIPTORS * (map->descriptor_size ? map->descriptor_size : sizeof(EFI_MEMORY_DESCRIPTOR));
	return BS->AllocatePool(EfiLoaderData, map->capacity, (void **)&map->descriptors);
}

static EFI_STATUS read_memory_map(struct efi_memory_map *map)
{
	map->size = map->capacity;
	EFI_STATUS status = BS->GetMemoryMap(&map->size, map->descriptors, &map->key, &map->descriptor_size,
					     &map->descriptor_version);
	if (status != EFI_BUFFER_TOO_SMALL)
		return status;
	status = grow_map_buffer(map, map->size);
	if (EFI_ERROR(status))
		return status;
	map->size = map->capacity;
	return BS->GetMemoryMap(&map->size, map->descriptors, &map->key, &map->descriptor_size,
				&map->descriptor_version);
}

EFI_STATUS memory_map_exit_boot_services(EFI_HANDLE image_handle, struct boot_info *info)
{
	struct efi_memory_map map = { 0 };
	EFI_STATUS status = EFI_ABORTED;
	for (int attempt = 0; attempt < EXIT_BOOT_SERVICES_ATTEMPTS; attempt++) {
		status = read_memory_map(&map);
		if (EFI_ERROR(status))
			return status;
		status = BS->ExitBootServices(image_handle, map.key);
		if (status == EFI_SUCCESS) {
			convert_memory_map(&map, info);
			return EFI_SUCCESS;
		}
		if (status != EFI_INVALID_PARAMETER)
			return status;
	}
	return status;
}
