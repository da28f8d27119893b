/* memory_report.h - prints the boot memory map and the totals, like Linux's
 * "BIOS-e820:" and "Memory:" lines. */
#ifndef KEEL_MEMORY_REPORT_H
#define KEEL_MEMORY_REPORT_H

#include "kernel/core/boot_info.h"

void memory_report_print(const struct boot_info *info);

#endif
