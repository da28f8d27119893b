/* image.h - facts about the loaded kernel image itself.
 *
 * kernel_memory_immutable: whether [address, address + length) lies in the
 * image's read-only data (linker.ld: kernel_rodata_start..end), which holds
 * only const objects (string literals, tables, the embedded site of
 * apps/httpd) and so never changes while the image runs. The stack may
 * then reference such bytes instead of copying them (TCP zero copy). */
#ifndef KEEL_KERNEL_IMAGE_H
#define KEEL_KERNEL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool kernel_memory_immutable(const void *address, size_t length);

#endif
