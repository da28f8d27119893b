/* memory_map.h - leaves the firmware: the last EFI memory map, converted to
 * keel's region types, then ExitBootServices.
 *
 * Contract: on success boot services are gone (no more Print, no allocation)
 * and info->mem_regions holds the final map, sorted by address, adjacent
 * regions of one type merged. On failure the caller may only halt: a failed
 * ExitBootServices may already have shut part of the firmware down
 * (UEFI 2.10 section 7.4). */
#ifndef KEEL_EFI_MEMORY_MAP_H
#define KEEL_EFI_MEMORY_MAP_H

#include <efi.h>

#include "kernel/core/boot_info.h"

EFI_STATUS memory_map_exit_boot_services(EFI_HANDLE image_handle, struct boot_info *info);

#endif
