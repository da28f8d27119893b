/* image.c - facts about the loaded kernel image (contract in kernel/core/image.h). */
#include "kernel/core/image.h"

#include <stdint.h>

extern const char kernel_rodata_start[], kernel_rodata_end[];

bool kernel_memory_immutable(const void *address, size_t length)
{
	uintptr_t start = (uintptr_t)address, end = (uintptr_t)kernel_rodata_end;
	return start >= (uintptr_t)kernel_rodata_start && start <= end && length <= end - start;
}
