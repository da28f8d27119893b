/* heap.h - the kernel heap behind malloc/free/calloc/realloc/aligned_alloc
 * (declared in libc's stdlib.h). Small sizes come from power-of-two size
 * classes carved from pages; large ones are whole page runs from the pmm.
 * DEBUG builds (KEEL_DEBUG) poison freed memory, check a canary after each
 * block, and panic on double free or a free of a pointer never allocated. */
#ifndef KEEL_HEAP_H
#define KEEL_HEAP_H

#include <stddef.h>
#include <stdint.h>

void heap_init(void);

struct heap_stats {
	uint64_t bytes_in_use;      /* as requested by callers */
	uint64_t allocations;
	uint64_t frees;
	uint64_t failures;
	uint64_t pages_held;
};
struct heap_stats heap_get_stats(void);

#endif
