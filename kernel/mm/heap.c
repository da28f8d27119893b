/* heap.c - malloc and friends for the kernel and the app (see heap.h).
 *
 * Every block starts with a 16-byte header (so user pointers are 16-byte
 * aligned) naming its size class or page count and its state. Small blocks
 * (header + data <= 2048 bytes) come from per-class free lists refilled a page
 * at a time; a freed small block goes back to its list, its pages are kept.
 * Large blocks are page runs returned to the pmm on free. */
#include "kernel/mm/heap.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/panic.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_SIZE 16
#define SMALLEST_CLASS_SHIFT 5 /* 32 bytes: header + 16 */
#define CLASS_COUNT 7          /* 32 .. 2048 */
#define LARGEST_SMALL_BLOCK (1u << (SMALLEST_CLASS_SHIFT + CLASS_COUNT - 1))

#define MAGIC_ALLOCATED 0xA110CA7Eu
#define MAGIC_FREE 0xF4EEB10Cu
#define KIND_SMALL 0
#define KIND_LARGE 1
#define KIND_ALIGNED 2 /* header in front of an over-aligned pointer; points back to the real block */

#ifdef KEEL_DEBUG
#define CANARY_SIZE 8
#define CANARY_BYTE 0xCA
#define POISON_FREE 0x6B /* as Linux's POISON_FREE */
#define POISON_NEW 0x5A
#else
#define CANARY_SIZE 0
#endif

struct block_header {
	uint32_t magic;
	uint16_t kind;
	uint16_t class_index;  /* KIND_SMALL */
	uint64_t size;         /* requested bytes; KIND_ALIGNED: offset back to the real block */
};
_Static_assert(sizeof(struct block_header) == HEADER_SIZE, "header keeps user data 16-byte aligned");

struct free_block {
	struct block_header header;
	struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];
static struct heap_stats stats;

void heap_init(void)
{
	memset(free_lists, 0, sizeof(free_lists));
}

struct heap_stats heap_get_stats(void)
{
	return stats;
}

static int class_for(size_t total)
{
	for (int index = 0; index < CLASS_COUNT; index++)
		if (total <= (1u << (SMALLEST_CLASS_SHIFT + index)))
			return index;
	return -1;
}

static bool refill_class(int index)
{
	uint64_t page = pmm_alloc_pages(1);
	if (page == 0)
		return false;
	stats.pages_held++;
	size_t block_size = 1u << (SMALLEST_CLASS_SHIFT + index);
	for (size_t offset = 0; offset + block_size <= PAGE_SIZE; offset += block_size) {
		struct free_block *block = phys_to_virt(page + offset);
		block->header = (struct block_header){ MAGIC_FREE, KIND_SMALL, (uint16_t)index, 0 };
		block->next = free_lists[index];
		free_lists[index] = block;
	}
	return true;
}

static struct block_header *allocate_block(size_t size)
{
	size_t total = HEADER_SIZE + size + CANARY_SIZE;
	if (size > (1ull << 40))
		return NULL;
	int index = class_for(total);
	if (index >= 0) {
		if (free_lists[index] == NULL && !refill_class(index))
			return NULL;
		struct free_block *block = free_lists[index];
		free_lists[index] = block->next;
		block->header = (struct block_header){ MAGIC_ALLOCATED, KIND_SMALL, (uint16_t)index, size };
		return &block->header;
	}
	size_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t physical = pmm_alloc_pages(pages);
	if (physical == 0)
		return NULL;
	stats.pages_held += pages;
	struct block_header *header = phys_to_virt(physical);
	*header = (struct block_header){ MAGIC_ALLOCATED, KIND_LARGE, 0, size };
	return header;
}

static void *finish_allocation(struct block_header *header, size_t size)
{
	if (header == NULL) {
		stats.failures++;
		return NULL;
	}
	stats.allocations++;
	stats.bytes_in_use += size;
	void *data = (char *)header + HEADER_SIZE;
#ifdef KEEL_DEBUG
	memset(data, POISON_NEW, size);
	memset((char *)data + size, CANARY_BYTE, CANARY_SIZE);
#endif
	return data;
}

void *malloc(size_t size)
{
	uint64_t flags = interrupts_save();
	void *data = finish_allocation(allocate_block(size), size);
	interrupts_restore(flags);
	return data;
}

/* Checks the header of a pointer handed to free/realloc; panics on misuse. */
static struct block_header *checked_header(void *pointer, const char *caller)
{
	struct block_header *header = (struct block_header *)((char *)pointer - HEADER_SIZE);
	if (((uintptr_t)pointer & 15) != 0 || !paging_is_mapped((uint64_t)(uintptr_t)header))
		panic("heap: %s(%p): not a heap pointer", caller, pointer);
	if (header->magic == MAGIC_FREE)
		panic("heap: %s(%p): double free", caller, pointer);
	if (header->magic != MAGIC_ALLOCATED)
		panic("heap: %s(%p): not a heap pointer (bad header magic %#x)", caller, pointer, header->magic);
	if (header->kind == KIND_ALIGNED) {
		struct block_header *real = (struct block_header *)((char *)header - header->size);
		if (real->magic != MAGIC_ALLOCATED)
			panic("heap: %s(%p): corrupted aligned block", caller, pointer);
		return real;
	}
#ifdef KEEL_DEBUG
	const unsigned char *canary = (const unsigned char *)pointer + header->size;
	for (int i = 0; i < CANARY_SIZE; i++)
		if (canary[i] != CANARY_BYTE)
			panic("heap: %s(%p): write past the end of a %llu byte block", caller, pointer,
			      (unsigned long long)header->size);
#endif
	return header;
}

void free(void *pointer)
{
	if (pointer == NULL)
		return;
	uint64_t flags = interrupts_save();
	struct block_header *outer = (struct block_header *)((char *)pointer - HEADER_SIZE);
	struct block_header *header = checked_header(pointer, "free");
	if (outer != header)
		outer->magic = MAGIC_FREE;
	stats.frees++;
	stats.bytes_in_use -= header->size;
#ifdef KEEL_DEBUG
	memset((char *)header + HEADER_SIZE, POISON_FREE, header->size + CANARY_SIZE);
#endif
	header->magic = MAGIC_FREE;
	if (header->kind == KIND_SMALL) {
		struct free_block *block = (struct free_block *)header;
		block->next = free_lists[header->class_index];
		free_lists[header->class_index] = block;
	} else {
		size_t pages = (HEADER_SIZE + header->size + CANARY_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
		stats.pages_held -= pages;
		pmm_free_pages(virt_to_phys(header), pages);
	}
	interrupts_restore(flags);
}

void *calloc(size_t count, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(count, size, &total)) {
		stats.failures++;
		return NULL;
	}
	void *data = malloc(total);
	if (data)
		memset(data, 0, total);
	return data;
}

void *realloc(void *pointer, size_t size)
{
	if (pointer == NULL)
		return malloc(size);
	if (size == 0) {
		free(pointer);
		return NULL;
	}
	struct block_header *header = checked_header(pointer, "realloc");
	size_t old_size = header->size;
	void *old_data = (char *)header + HEADER_SIZE;
	void *data = malloc(size);
	if (data == NULL)
		return NULL; /* the old block stays valid, as C requires */
	/* An aligned block's data starts after its real header: copy from the user pointer. */
	size_t available = old_size - (size_t)((char *)pointer - (char *)old_data);
	memcpy(data, pointer, available < size ? available : size);
	free(pointer);
	return data;
}

void *aligned_alloc(size_t alignment, size_t size)
{
	if (alignment == 0 || (alignment & (alignment - 1)))
		return NULL;
	if (alignment <= HEADER_SIZE)
		return malloc(size);
	size_t padded;
	if (__builtin_add_overflow(size, alignment + HEADER_SIZE, &padded))
		return NULL;
	char *raw = malloc(padded);
	if (raw == NULL)
		return NULL;
	uintptr_t aligned = ((uintptr_t)raw + HEADER_SIZE + alignment - 1) & ~(uintptr_t)(alignment - 1);
	struct block_header *real = (struct block_header *)(raw - HEADER_SIZE);
	struct block_header *front = (struct block_header *)(aligned - HEADER_SIZE);
	*front = (struct block_header){ MAGIC_ALLOCATED, KIND_ALIGNED, 0, (uint64_t)((char *)front - (char *)real) };
	return (void *)aligned;
}
