/* paging.h - the kernel's own 4-level page tables (replacing the boot ones):
 * all RAM identity mapped with 2 MiB pages, write-back; device memory mapped
 * on demand by ioremap(), identity, uncached (PCD|PWT, SDM vol 3A 11.12.3);
 * page 0 left unmapped so NULL dereferences fault. */
#ifndef KEEL_PAGING_H
#define KEEL_PAGING_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/core/boot_info.h"

/* Needs pmm_init(). */
void paging_init(const struct boot_info *info);
/* Maps [physical, physical+size) uncached and returns its (identity) address.
 * Safe to call again for the same or overlapping ranges. NULL on failure. */
volatile void *ioremap(uint64_t physical, size_t size);
/* Maps firmware memory (ACPI tables, ...) write-back for reading; RAM and
 * anything already mapped is returned as it is. NULL on failure. */
void *memremap(uint64_t physical, size_t size);
/* Whether address is mapped (any caching); for self tests and diagnostics. */
int paging_is_mapped(uint64_t address);
/* Physical address of a kernel virtual address (identity today; DMA code
 * must still use this so the rule is written down once). */
static inline uint64_t virt_to_phys(const volatile void *address) { return (uint64_t)(uintptr_t)address; }
static inline void *phys_to_virt(uint64_t physical) { return (void *)(uintptr_t)physical; }

#endif
