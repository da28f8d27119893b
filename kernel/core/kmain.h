/* kmain.h - the kernel's start after the boot path has filled boot_info. */
#ifndef KEEL_KMAIN_H
#define KEEL_KMAIN_H

#include "kernel/core/boot_info.h"

__attribute__((noreturn)) void kmain(const struct boot_info *info);
/* The running kernel's boot information. */
const struct boot_info *kernel_boot_info(void);

#endif
