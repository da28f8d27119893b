/* kernel_image.h - places the kernel ELF carried inside BOOTX64.EFI at its
 * physical load address.
 *
 * Contract: kernel_image_load() parses the embedded keel64.elf, allocates
 * (AllocateAddress, EfiLoaderCode) the pages of every PT_LOAD at its p_paddr,
 * copies the file bytes, zeroes the rest (bss) and returns the image's
 * struct keel_header (kernel/core/boot_info.h). On failure it prints why on ConOut
 * and returns an error status; nothing is left allocated. */
#ifndef KEEL_EFI_KERNEL_IMAGE_H
#define KEEL_EFI_KERNEL_IMAGE_H

#include <efi.h>

#include "kernel/core/boot_info.h"

/* The bytes of $(BUILD)/keel64.elf, linked in by boot/efi/efi.mk. */
extern const UINT8 keel_kernel_elf_start[] __attribute__((visibility("hidden")));
extern const UINT8 keel_kernel_elf_end[] __attribute__((visibility("hidden")));

EFI_STATUS kernel_image_load(const UINT8 *elf, UINTN elf_size, const struct keel_header **header_out);

#endif
