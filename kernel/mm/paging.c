/* paging.c - the kernel page tables (see paging.h). Layout: SDM vol 3A
 * section 4.5 (4-level paging); memory types: section 11.12 (with the default
 * PAT, PCD|PWT selects UC on both 4 KiB and 2 MiB entries). */
#include "kernel/mm/paging.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/panic.h"
#include "kernel/mm/pmm.h"

#include <stdbool.h>
#include <string.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_WRITE_THROUGH (1ull << 3)
#define PTE_CACHE_DISABLE (1ull << 4)
#define PTE_LARGE (1ull << 7)
#define PTE_ADDRESS_MASK 0x000FFFFFFFFFF000ull
#define PTE_UNCACHED (PTE_WRITE_THROUGH | PTE_CACHE_DISABLE)
#define LARGE_PAGE_SIZE 0x200000ull
#define ENTRIES_PER_TABLE 512

static uint64_t *kernel_pml4;

static inline unsigned table_index(uint64_t address, int level) /* level 3 = PML4 ... 0 = PT */
{
	return (address >> (12 + 9 * level)) & 0x1FF;
}

static uint64_t *allocate_table(void)
{
	uint64_t physical = pmm_alloc_pages(1);
	if (physical == 0)
		panic("paging: out of memory for page tables");
	return phys_to_virt(physical);
}

/* Returns the table that `entry` points to, creating it when absent. A
 * present large page is split into 512 smaller ones with the same attributes,
 * so that part of it can change without touching the rest. */
static uint64_t *next_table(uint64_t *entry, int child_level)
{
	if (!(*entry & PTE_PRESENT)) {
		uint64_t *table = allocate_table();
		*entry = virt_to_phys(table) | PTE_PRESENT | PTE_WRITABLE;
		return table;
	}
	if (*entry & PTE_LARGE) {
		uint64_t base = *entry & PTE_ADDRESS_MASK & ~(LARGE_PAGE_SIZE - 1);
		uint64_t attributes = *entry & (PTE_WRITABLE | PTE_UNCACHED);
		uint64_t *table = allocate_table();
		uint64_t child_size = 1ull << (12 + 9 * child_level);
		for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
			table[i] = (base + i * child_size) | attributes | PTE_PRESENT | (child_level > 0 ? PTE_LARGE : 0);
		*entry = virt_to_phys(table) | PTE_PRESENT | PTE_WRITABLE;
		return table;
	}
	return phys_to_virt(*entry & PTE_ADDRESS_MASK);
}

/* Maps one page of 2 MiB (large) or 4 KiB identity with the given caching. */
static void map_page(uint64_t address, bool large, uint64_t caching)
{
	uint64_t *pdpt = next_table(&kernel_pml4[table_index(address, 3)], 2);
	uint64_t *directory = next_table(&pdpt[table_index(address, 2)], 1);
	uint64_t *entry = &directory[table_index(address, 1)];
	if (large) {
		*entry = address | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE | caching;
		return;
	}
	uint64_t *table = next_table(entry, 0);
	table[table_index(address, 0)] = address | PTE_PRESENT | PTE_WRITABLE | caching;
}

/* Finds the entry mapping address and whether it is a large page; NULL if unmapped. */
static uint64_t *lookup(uint64_t address, bool *large)
{
	uint64_t *table = kernel_pml4;
	for (int level = 3; level >= 0; level--) {
		uint64_t *entry = &table[table_index(address, level)];
		if (!(*entry & PTE_PRESENT))
			return NULL;
		if (level == 0 || (level == 1 && (*entry & PTE_LARGE))) {
			*large = level == 1;
			return entry;
		}
		if (level == 2 && (*entry & PTE_LARGE))
			return NULL; /* 1 GiB pages are never created here */
		table = phys_to_virt(*entry & PTE_ADDRESS_MASK);
	}
	return NULL;
}

int paging_is_mapped(uint64_t address)
{
	bool large;
	return lookup(address, &large) != NULL;
}

static bool region_is_memory(uint32_t type)
{
	return type == BOOT_MEM_USABLE || type == BOOT_MEM_ACPI_RECLAIMABLE || type == BOOT_MEM_ACPI_NVS;
}

void paging_init(const struct boot_info *info)
{
	kernel_pml4 = allocate_table();
	/* First 2 MiB in 4 KiB pages so that page 0 stays unmapped (NULL faults). */
	for (uint64_t address = PAGE_SIZE; address < LARGE_PAGE_SIZE; address += PAGE_SIZE)
		map_page(address, false, 0);
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		if (!region_is_memory(region->type))
			continue;
		uint64_t start = region->base & ~(LARGE_PAGE_SIZE - 1);
		if (start < LARGE_PAGE_SIZE)
			start = LARGE_PAGE_SIZE;
		uint64_t end = (region->base + region->length + LARGE_PAGE_SIZE - 1) & ~(LARGE_PAGE_SIZE - 1);
		for (uint64_t address = start; address < end; address += LARGE_PAGE_SIZE)
			map_page(address, true, 0);
	}
	/* The kernel image must stay mapped whatever the loader's map says. */
	extern const char kernel_image_start[], kernel_image_end[];
	uint64_t image_first = (uint64_t)kernel_image_start & ~(LARGE_PAGE_SIZE - 1);
	if (image_first < LARGE_PAGE_SIZE)
		image_first = LARGE_PAGE_SIZE; /* the first 2 MiB are mapped above, page 0 excepted */
	for (uint64_t address = image_first; address < (uint64_t)kernel_image_end; address += LARGE_PAGE_SIZE) {
		bool large;
		if (!lookup(address, &large))
			map_page(address, true, 0);
	}
	write_cr3(virt_to_phys(kernel_pml4));
}

static volatile void *map_range(uint64_t physical, size_t size, uint64_t caching)
{
	if (size == 0 || physical + size < physical)
		return NULL;
	uint64_t flags = interrupts_save();
	uint64_t end = (physical + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (uint64_t address = physical & ~(PAGE_SIZE - 1); address < end;) {
		bool large;
		uint64_t *entry = lookup(address, &large);
		if (entry && (*entry & PTE_UNCACHED) == caching) {
			address = large ? (address | (LARGE_PAGE_SIZE - 1)) + 1 : address + PAGE_SIZE;
			continue;
		}
		bool whole_large = (address % LARGE_PAGE_SIZE) == 0 && end - address >= LARGE_PAGE_SIZE && (!entry || large);
		map_page(address, whole_large, caching);
		invlpg(address);
		address += whole_large ? LARGE_PAGE_SIZE : PAGE_SIZE;
	}
	/* Splitting a large page changes translations beyond the single invlpg'd
	 * address; a CR3 reload flushes them all (no global pages are used). */
	write_cr3(virt_to_phys(kernel_pml4));
	interrupts_restore(flags);
	return (volatile void *)(uintptr_t)physical;
}

volatile void *ioremap(uint64_t physical, size_t size)
{
	return map_range(physical, size, PTE_UNCACHED);
}

void *memremap(uint64_t physical, size_t size)
{
	bool large;
	/* Already-mapped memory (RAM, or a region mapped before) is used as it is. */
	uint64_t end = physical + size;
	bool all_mapped = true;
	for (uint64_t address = physical & ~(PAGE_SIZE - 1); address < end && all_mapped; address += PAGE_SIZE)
		all_mapped = lookup(address, &large) != NULL;
	if (all_mapped)
		return phys_to_virt(physical);
	return (void *)(uintptr_t)map_range(physical, size, 0);
}
