/* pmm.h - physical page allocator (4 KiB pages) built from the boot memory map.
 *
 * Only BOOT_MEM_USABLE ranges are ever handed out, minus the kernel image,
 * the boot modules, the first MiB (BIOS data, EBDA, real-mode IVT) and any
 * range reserved with pmm_reserve(). A bitmap covers usable memory; runs of
 * pages are found first-fit above a moving hint. Returned memory is zeroed. */
#ifndef KEEL_PMM_H
#define KEEL_PMM_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/core/boot_info.h"

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

void pmm_init(const struct boot_info *info);
/* Physical address of `count` contiguous zeroed pages, or 0 when none. */
uint64_t pmm_alloc_pages(size_t count);
/* The same without zeroing, for memory written before it is read (packet
 * buffers: a NIC's DMA or the stack fills them): megabytes of stores saved
 * at boot, each a trap-free but slow loop under emulation. */
uint64_t pmm_alloc_pages_uninitialized(size_t count);
void pmm_free_pages(uint64_t physical, size_t count);

struct pmm_stats {
	uint64_t usable_bytes;    /* sum of BOOT_MEM_USABLE regions */
	uint64_t managed_pages;   /* pages the allocator may hand out */
	uint64_t free_pages;
	uint64_t highest_address; /* end of the highest RAM region of any type */
	uint64_t alloc_failures;
};
struct pmm_stats pmm_get_stats(void);

#endif
