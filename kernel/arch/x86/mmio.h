/* mmio.h - the only way the kernel touches device registers in memory space.
 * The pointers come from ioremap() (kernel/mm/paging.h), which maps them uncached;
 * volatile accesses keep the compiler from merging or reordering them. */
#ifndef KEEL_MMIO_H
#define KEEL_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(const volatile void *base, uint32_t offset) { return *(const volatile uint8_t *)((uintptr_t)base + offset); }
static inline uint16_t mmio_read16(const volatile void *base, uint32_t offset) { return *(const volatile uint16_t *)((uintptr_t)base + offset); }
static inline uint32_t mmio_read32(const volatile void *base, uint32_t offset) { return *(const volatile uint32_t *)((uintptr_t)base + offset); }
static inline uint64_t mmio_read64(const volatile void *base, uint32_t offset) { return *(const volatile uint64_t *)((uintptr_t)base + offset); }
static inline void mmio_write8(volatile void *base, uint32_t offset, uint8_t v) { *(volatile uint8_t *)((uintptr_t)base + offset) = v; }
static inline void mmio_write16(volatile void *base, uint32_t offset, uint16_t v) { *(volatile uint16_t *)((uintptr_t)base + offset) = v; }
static inline void mmio_write32(volatile void *base, uint32_t offset, uint32_t v) { *(volatile uint32_t *)((uintptr_t)base + offset) = v; }
static inline void mmio_write64(volatile void *base, uint32_t offset, uint64_t v) { *(volatile uint64_t *)((uintptr_t)base + offset) = v; }

#endif
