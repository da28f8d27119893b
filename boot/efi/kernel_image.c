/* kernel_image.c - see kernel_image.h. ELF64 layout: System V gABI, chapters
 * "ELF Header" and "Program Header"; allocation: UEFI 2.10 section 7.2
 * (AllocatePages with AllocateAddress). */
#include <efi.h>
#include <efilib.h>
#include <elf.h>

#include "boot/efi/kernel_image.h"

/* The kernel places struct keel_header within its first 64 KiB
 * (kernel/core/boot_info.h), 8-byte aligned. */
#define KEEL_HEADER_SEARCH_BYTES 0x10000
#define KEEL_HEADER_ALIGNMENT 8

static BOOLEAN elf_header_is_valid(const Elf64_Ehdr *header, UINTN elf_size)
{
	if (elf_size < sizeof(*header) || CompareMem(header->e_ident, ELFMAG, SELFMAG) != 0)
		return FALSE;
	if (header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_ident[EI_DATA] != ELFDATA2LSB)
		return FALSE;
	if (header->e_machine != EM_X86_64 || header->e_phentsize != sizeof(Elf64_Phdr))
		return FALSE;
	return header->e_phoff <= elf_size && header->e_phnum <= (elf_size - header->e_phoff) / sizeof(Elf64_Phdr);
}

static BOOLEAN segment_is_valid(const Elf64_Phdr *segment, UINTN elf_size)
{
	return segment->p_offset <= elf_size && segment->p_filesz <= elf_size - segment->p_offset &&
	       segment->p_filesz <= segment->p_memsz && segment->p_paddr % EFI_PAGE_SIZE == 0 &&
	       segment->p_paddr + segment->p_memsz > segment->p_paddr;
}

/* Frees the pages of the first `count` loadable segments (unwinding a failed load). */
static void free_segments(const Elf64_Ehdr *header, UINTN count)
{
	const Elf64_Phdr *segments = (const Elf64_Phdr *)((const UINT8 *)header + header->e_phoff);
	for (UINTN i = 0; i < header->e_phnum && count > 0; i++) {
		if (segments[i].p_type != PT_LOAD)
			continue;
		BS->FreePages(segments[i].p_paddr, EFI_SIZE_TO_PAGES(segments[i].p_memsz));
		count--;
	}
}

static EFI_STATUS load_segment(const UINT8 *elf, const Elf64_Phdr *segment)
{
	EFI_PHYSICAL_ADDRESS address = segment->p_paddr;
	UINTN pages = EFI_SIZE_TO_PAGES(segment->p_memsz);
	EFI_STATUS status = BS->AllocatePages(AllocateAddress, EfiLoaderCode, pages, &address);
	if (EFI_ERROR(status)) {
		/* Something the firmware owns sits there: the identity-linked kernel cannot move. */
		Print(L"keel-efi: error: cannot allocate %lu pages at physical %lx for the kernel (%r);\r\n"
		      L"keel-efi: this firmware uses that memory, keel cannot boot here\r\n",
		      (UINT64)pages, (UINT64)segment->p_paddr, status);
		return status;
	}
	UINT8 *destination = (UINT8 *)(UINTN)address;
	CopyMem(destination, elf + segment->p_offset, segment->p_filesz);
	ZeroMem(destination + segment->p_filesz, pages * EFI_PAGE_SIZE - segment->p_filesz);
	return EFI_SUCCESS;
}

static const struct keel_header *find_keel_header(UINT64 image_start, UINT64 bytes_loaded)
{
	UINT64 limit = bytes_loaded < KEEL_HEADER_SEARCH_BYTES ? bytes_loaded : KEEL_HEADER_SEARCH_BYTES;
	for (UINT64 offset = 0; offset + sizeof(struct keel_header) <= limit; offset += KEEL_HEADER_ALIGNMENT) {
		const struct keel_header *header = (const struct keel_header *)(UINTN)(image_start + offset);
		if (header->magic != KEEL_HEADER_MAGIC)
			continue;
		if (header->image_start <= header->entry64 && header->entry64 < header->image_end)
			return header;
	}
	return NULL;
}

EFI_STATUS kernel_image_load(const UINT8 *elf, UINTN elf_size, const struct keel_header **header_out)
{
	const Elf64_Ehdr *header = (const Elf64_Ehdr *)elf;
	if (!elf_header_is_valid(header, elf_size)) {
		Print(L"keel-efi: error: the embedded kernel is not an x86_64 ELF64 image\r\n");
		return EFI_LOAD_ERROR;
	}
	const Elf64_Phdr *segments = (const Elf64_Phdr *)(elf + header->e_phoff);
	UINTN loaded = 0;
	UINT64 lowest_address = ~0ull, lowest_filesz = 0;
	for (UINTN i = 0; i < header->e_phnum; i++) {
		if (segments[i].p_type != PT_LOAD)
			continue;
		EFI_STATUS status = EFI_LOAD_ERROR;
		if (segment_is_valid(&segments[i], elf_size))
			status = load_segment(elf, &segments[i]);
		else
			Print(L"keel-efi: error: kernel program header %lu is malformed\r\n", (UINT64)i);
		if (EFI_ERROR(status)) {
			free_segments(header, loaded);
			return status;
		}
		loaded++;
		if (segments[i].p_paddr < lowest_address) {
			lowest_address = segments[i].p_paddr;
			lowest_filesz = segments[i].p_filesz;
		}
	}
	const struct keel_header *keel_header = loaded ? find_keel_header(lowest_address, lowest_filesz) : NULL;
	if (keel_header == NULL) {
		Print(L"keel-efi: error: no keel header (magic %lx) in the kernel's first 64 KiB\r\n", KEEL_HEADER_MAGIC);
		free_segments(header, loaded);
		return EFI_LOAD_ERROR;
	}
	*header_out = keel_header;
	return EFI_SUCCESS;
}
