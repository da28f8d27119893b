/* selftest.c - self tests of the heap ("heap") and the page allocator
 * ("pages"); the destructive "doublefree" and "heapoverflow" must end in a
 * panic from the heap's checks. */
#include "kernel/console/printk.h"
#include "kernel/core/panic.h"
#include "kernel/core/selftest.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/pmm.h"

#include <stdlib.h>
#include <string.h>

#define HEAP_TEST_BLOCKS 256

/* xorshift64: deterministic sizes and orders, reproducible from the log. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static const char *heap_fill_and_check(uint64_t *seed)
{
	static unsigned char *blocks[HEAP_TEST_BLOCKS];
	static size_t sizes[HEAP_TEST_BLOCKS];
	for (int i = 0; i < HEAP_TEST_BLOCKS; i++) {
		/* Mostly small sizes, some multi-page ones. */
		sizes[i] = next_random(seed) % 8 == 0 ? next_random(seed) % 40000 : next_random(seed) % 600;
		blocks[i] = malloc(sizes[i]);
		if (blocks[i] == NULL)
			return "malloc failed with plenty of memory";
		if ((uintptr_t)blocks[i] % 16)
			return "malloc result not 16-byte aligned";
		memset(blocks[i], i & 0xFF, sizes[i]);
	}
	for (int i = 0; i < HEAP_TEST_BLOCKS; i++)
		for (size_t byte = 0; byte < sizes[i]; byte++)
			if (blocks[i][byte] != (i & 0xFF))
				return "blocks overlap: a block's contents changed";
	for (int i = 0; i < HEAP_TEST_BLOCKS; i++) {
		/* Free in a scrambled order. */
		int victim = (int)(next_random(seed) % HEAP_TEST_BLOCKS);
		free(blocks[victim]);
		blocks[victim] = NULL;
	}
	for (int i = 0; i < HEAP_TEST_BLOCKS; i++)
		free(blocks[i]);
	return NULL;
}

static const char *heap_check_api(void)
{
	unsigned char *zeroed = calloc(1000, 3);
	if (zeroed == NULL)
		return "calloc failed";
	for (int i = 0; i < 3000; i++)
		if (zeroed[i])
			return "calloc memory not zeroed";
	volatile size_t huge_count = (size_t)1 << 62; /* volatile: keep gcc from rejecting it at build time */
	if (calloc(huge_count, 16) != NULL)
		return "calloc overflow not detected";
	for (int i = 0; i < 3000; i++)
		zeroed[i] = (unsigned char)i;
	unsigned char *grown = realloc(zeroed, 9000);
	if (grown == NULL)
		return "realloc failed";
	for (int i = 0; i < 3000; i++)
		if (grown[i] != (unsigned char)i)
			return "realloc lost the contents";
	free(grown);
	void *aligned = aligned_alloc(4096, 100);
	if (aligned == NULL || (uintptr_t)aligned % 4096)
		return "aligned_alloc(4096) not aligned";
	free(aligned);
#ifdef KEEL_DEBUG
	/* DEBUG builds poison new and freed memory so that use of either shows. */
	unsigned char *poisoned = malloc(48);
	if (poisoned == NULL || poisoned[0] != 0x5A || poisoned[47] != 0x5A)
		return "new memory not poisoned (DEBUG)";
	free(poisoned);
	if (poisoned[20] != 0x6B) /* reading freed memory on purpose */
		return "freed memory not poisoned (DEBUG)";
#endif
	volatile size_t huge_size = (size_t)1 << 45;
	if (malloc(huge_size) != NULL)
		return "a 32 TiB malloc succeeded";
	return NULL;
}

static const char *selftest_heap(void)
{
	struct heap_stats before = heap_get_stats();
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	for (int round = 0; round < 4; round++) {
		const char *failure = heap_fill_and_check(&seed);
		if (failure)
			return failure;
	}
	const char *failure = heap_check_api();
	if (failure)
		return failure;
	struct heap_stats after = heap_get_stats();
	pr_info("selftest: heap: %llu allocations, %llu bytes still in use, %llu pages held, %llu failures\n",
		(unsigned long long)(after.allocations - before.allocations), (unsigned long long)after.bytes_in_use,
		(unsigned long long)after.pages_held, (unsigned long long)(after.failures - before.failures));
	if (after.bytes_in_use != before.bytes_in_use)
		return "bytes in use did not return to the starting value (leak)";
	if (after.failures - before.failures != 2)
		return "the failed allocations were not counted";
	return NULL;
}
SELFTEST("heap", selftest_heap);

static const char *selftest_pages(void)
{
	struct pmm_stats before = pmm_get_stats();
	uint64_t single = pmm_alloc_pages(1);
	uint64_t run = pmm_alloc_pages(64);
	if (single == 0 || run == 0)
		return "page allocation failed";
	if (single % PAGE_SIZE || run % PAGE_SIZE)
		return "pages not page-aligned";
	if (single < 0x100000 || run < 0x100000)
		return "handed out the first MiB";
	extern const char kernel_image_start[], kernel_image_end[];
	if (run < (uint64_t)kernel_image_end && run + 64 * PAGE_SIZE > (uint64_t)kernel_image_start)
		return "handed out the kernel image";
	if (pmm_get_stats().free_pages != before.free_pages - 65)
		return "free page count is off";
	pmm_free_pages(run, 64);
	pmm_free_pages(single, 1);
	if (pmm_get_stats().free_pages != before.free_pages)
		return "free page count did not return";
	uint64_t too_many = pmm_alloc_pages(before.free_pages + 1);
	if (too_many != 0)
		return "allocated more pages than are free";
	return NULL;
}
SELFTEST("pages", selftest_pages);

/* --- destructive: must end in a panic with a useful report --- */

static const char *selftest_doublefree(void)
{
	void *block = malloc(64);
	free(block);
	free(block);
	return "a double free went unnoticed";
}
SELFTEST_DESTRUCTIVE("doublefree", selftest_doublefree);

static const char *selftest_heapoverflow(void)
{
	char *block = malloc(40);
	volatile size_t past_end = 40;
	block[past_end] = 'X';
	free(block);
	return "a write past the end of a heap block went unnoticed (the check needs a DEBUG=1 build)";
}
SELFTEST_DESTRUCTIVE("heapoverflow", selftest_heapoverflow);
