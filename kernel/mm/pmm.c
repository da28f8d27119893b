/* pmm.c - physical page allocator (see pmm.h). One bit per 4 KiB page from 0
 * to the end of the highest usable region: 1 = free. The bitmap itself is
 * placed in the first usable range large enough after the kernel image. */
#include "kernel/mm/pmm.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/panic.h"

#include <stdbool.h>
#include <string.h>

#define LOW_MEMORY_END 0x100000ull /* BIOS data, EBDA, option ROMs: never handed out */
#define BITS_PER_WORD 64

extern const char kernel_image_start[], kernel_image_end[];

static uint64_t *free_bitmap;
static uint64_t bitmap_pages;    /* pages described by the bitmap */
static uint64_t search_hint;     /* first page worth looking at */
static struct pmm_stats stats;

static inline uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }
static inline uint64_t align_down(uint64_t value, uint64_t alignment) { return value & ~(alignment - 1); }

/* Not __builtin_popcountll: without -mpopcnt it calls libgcc, which is built
 * with the red zone and is not linked into the kernel. */
static inline unsigned count_bits(uint64_t value)
{
	unsigned count = 0;
	for (; value; value &= value - 1)
		count++;
	return count;
}

static inline bool page_is_free(uint64_t page) { return free_bitmap[page / BITS_PER_WORD] >> (page % BITS_PER_WORD) & 1; }

/* Sets or clears the bits of [first, first+count), a word at a time in the middle. */
static void mark_pages(uint64_t first, uint64_t count, bool free)
{
	uint64_t page = first, end = first + count;
	while (page < end) {
		uint64_t word = page / BITS_PER_WORD, bit = page % BITS_PER_WORD;
		uint64_t span = BITS_PER_WORD - bit;
		if (span > end - page)
			span = end - page;
		uint64_t mask = span == BITS_PER_WORD ? ~0ull : ((1ull << span) - 1) << bit;
		uint64_t before = free_bitmap[word];
		free_bitmap[word] = free ? before | mask : before & ~mask;
		uint64_t changed = count_bits((before ^ free_bitmap[word]) & mask);
		if (free)
			stats.free_pages += changed;
		else
			stats.free_pages -= changed;
		page += span;
	}
}

static void reserve_range(uint64_t base, uint64_t length)
{
	if (length == 0)
		return;
	uint64_t first = base / PAGE_SIZE;
	uint64_t end = align_up(base + length, PAGE_SIZE) / PAGE_SIZE;
	if (first >= bitmap_pages)
		return;
	if (end > bitmap_pages)
		end = bitmap_pages;
	mark_pages(first, end - first, false);
}

/* Where the bitmap goes: the lowest usable range above the kernel and the
 * boot modules that can hold it. */
static uint64_t find_bitmap_home(const struct boot_info *info, uint64_t bytes)
{
	uint64_t floor = align_up((uint64_t)kernel_image_end, PAGE_SIZE);
	for (uint32_t m = 0; m < info->module_count; m++)
		if (info->modules[m].end > floor)
			floor = align_up(info->modules[m].end, PAGE_SIZE);
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		if (region->type != BOOT_MEM_USABLE)
			continue;
		uint64_t start = align_up(region->base > floor ? region->base : floor, PAGE_SIZE);
		uint64_t end = align_down(region->base + region->length, PAGE_SIZE);
		/* The boot page tables identity map only the first 4 GiB. */
		if (end > 0x100000000ull)
			end = 0x100000000ull;
		if (start < end && end - start >= bytes)
			return start;
	}
	return 0;
}

void pmm_init(const struct boot_info *info)
{
	uint64_t highest_usable = 0;
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		uint64_t end = region->base + region->length;
		if (end > stats.highest_address && region->type != BOOT_MEM_RESERVED)
			stats.highest_address = end;
		if (region->type == BOOT_MEM_USABLE) {
			stats.usable_bytes += region->length;
			if (end > highest_usable)
				highest_usable = end;
		}
	}
	if (highest_usable == 0)
		panic("pmm: the boot memory map has no usable RAM");

	bitmap_pages = align_down(highest_usable, PAGE_SIZE) / PAGE_SIZE;
	uint64_t bitmap_bytes = align_up(align_up(bitmap_pages, BITS_PER_WORD) / 8, PAGE_SIZE);
	uint64_t bitmap_home = find_bitmap_home(info, bitmap_bytes);
	if (bitmap_home == 0)
		panic("pmm: no room for a %llu byte page bitmap", (unsigned long long)bitmap_bytes);
	free_bitmap = (uint64_t *)(uintptr_t)bitmap_home;
	memset(free_bitmap, 0, bitmap_bytes);

	/* Free every whole page of every usable region, then take back what is in use. */
	for (uint32_t i = 0; i < info->mem_region_count; i++) {
		const struct boot_mem_region *region = &info->mem_regions[i];
		if (region->type != BOOT_MEM_USABLE)
			continue;
		uint64_t first = align_up(region->base, PAGE_SIZE) / PAGE_SIZE;
		uint64_t end = align_down(region->base + region->length, PAGE_SIZE) / PAGE_SIZE;
		if (end > bitmap_pages)
			end = bitmap_pages;
		if (first < end)
			mark_pages(first, end - first, true);
	}
	/* Loaders may report overlapping regions; a page that any non-usable
	 * region claims is not ours to hand out. */
	for (uint32_t i = 0; i < info->mem_region_count; i++)
		if (info->mem_regions[i].type != BOOT_MEM_USABLE)
			reserve_range(info->mem_regions[i].base, info->mem_regions[i].length);
	reserve_range(0, LOW_MEMORY_END);
	reserve_range((uint64_t)kernel_image_start, (uint64_t)(kernel_image_end - kernel_image_start));
	for (uint32_t m = 0; m < info->module_count; m++)
		reserve_range(info->modules[m].start, info->modules[m].end - info->modules[m].start);
	reserve_range(bitmap_home, bitmap_bytes);
	stats.managed_pages = stats.free_pages;
	search_hint = LOW_MEMORY_END / PAGE_SIZE;
}

static uint64_t find_free_run(uint64_t from, size_t count)
{
	uint64_t run_start = from, run_length = 0;
	for (uint64_t page = from; page < bitmap_pages; page++) {
		/* Skip a whole word of allocated pages at once. */
		if (page % BITS_PER_WORD == 0 && free_bitmap[page / BITS_PER_WORD] == 0 && page + BITS_PER_WORD <= bitmap_pages) {
			page += BITS_PER_WORD - 1;
			run_length = 0;
			continue;
		}
		if (!page_is_free(page)) {
			run_length = 0;
			continue;
		}
		if (run_length == 0)
			run_start = page;
		if (++run_length == count)
			return run_start;
	}
	return 0;
}

uint64_t pmm_alloc_pages_uninitialized(size_t count)
{
	if (count == 0)
		return 0;
	uint64_t flags = interrupts_save();
	uint64_t first = find_free_run(search_hint, count);
	if (first == 0 && search_hint > LOW_MEMORY_END / PAGE_SIZE)
		first = find_free_run(LOW_MEMORY_END / PAGE_SIZE, count);
	if (first == 0) {
		stats.alloc_failures++;
		interrupts_restore(flags);
		return 0;
	}
	mark_pages(first, count, false);
	if (count == 1)
		search_hint = first + 1;
	interrupts_restore(flags);
	return first * PAGE_SIZE;
}

uint64_t pmm_alloc_pages(size_t count)
{
	uint64_t physical = pmm_alloc_pages_uninitialized(count);
	if (physical)
		memset((void *)(uintptr_t)physical, 0, count * PAGE_SIZE);
	return physical;
}

void pmm_free_pages(uint64_t physical, size_t count)
{
	uint64_t first = physical / PAGE_SIZE;
	if (physical % PAGE_SIZE || first + count > bitmap_pages || first < LOW_MEMORY_END / PAGE_SIZE)
		panic("pmm: free of bad range %#llx (+%zu pages)", (unsigned long long)physical, count);
	uint64_t flags = interrupts_save();
	for (uint64_t page = first; page < first + count; page++)
		if (page_is_free(page))
			panic("pmm: double free of page %#llx", (unsigned long long)(page * PAGE_SIZE));
	mark_pages(first, count, true);
	if (first < search_hint)
		search_hint = first;
	interrupts_restore(flags);
}

struct pmm_stats pmm_get_stats(void)
{
	return stats;
}
