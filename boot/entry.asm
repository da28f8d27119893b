; entry.asm - the first instructions of keel on every boot path.
;
; Multiboot1 (QEMU -kernel, GRUB) and multiboot2 (GRUB, BIOS or UEFI) enter
; boot_entry32 in 32-bit protected mode with paging off (Multiboot 0.6.96 section
; 3.2; Multiboot2 1.6 section 3.3). We identity map the first 4 GiB with 2 MiB
; pages, enter long mode (Intel SDM vol 3A section 9.8.5) and call C.
; The GNU-EFI loader enters boot_entry64 already in long mode with the firmware's
; identity mapping. Both paths end in C with the TSC at entry recorded.
; The PVH entry (x86/HVM direct boot ABI, Xen's docs/misc/pvh.pandoc; QEMU's
; microvm and pc with a kernel lacking a multiboot header, Firecracker) is
; named by the XEN_ELFNOTE_PHYS32_ENTRY note: 32-bit protected mode, paging
; off, EBX = physical address of struct hvm_start_info. It tags EAX with the
; start-info magic and joins boot_entry32, so C tells it apart by that magic.

MB1_MAGIC        equ 0x1BADB002
MB1_FLAGS        equ 0x00000003          ; bit 0: page-align modules, bit 1: memory map
MB2_MAGIC        equ 0xE85250D6
MB2_ARCH_I386    equ 0
XEN_ELFNOTE_PHYS32_ENTRY equ 18
PVH_START_INFO_MAGIC equ 0x336ec578      ; hvm_start_info.magic, passed on in EAX

CR0_PE           equ 1 << 0
CR0_PG           equ 1 << 31
CR4_PAE          equ 1 << 5
MSR_EFER         equ 0xC0000080
EFER_LME         equ 1 << 8
PAGE_PRESENT_RW  equ 0x3
PAGE_LARGE       equ 0x80
COM1             equ 0x3F8

; Data segments = the boot GDT's data descriptor (0x10); fs/gs unused (0).
%macro LOAD_KERNEL_DATA_SEGMENTS 0
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
%endmacro

extern boot_multiboot_main
extern boot_efi_main
extern kernel_image_start
extern kernel_image_end
global boot_entry32
global boot_entry_pvh
global boot_entry64
global boot_entry_tsc
global boot_stack_top

section .multiboot1
align 4
multiboot1_header:
	dd MB1_MAGIC
	dd MB1_FLAGS
	dd -(MB1_MAGIC + MB1_FLAGS)

section .multiboot2
align 8
multiboot2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd multiboot2_header_end - multiboot2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (multiboot2_header_end - multiboot2_header))
	; end tag (type 0, flags 0, size 8)
	dw 0
	dw 0
	dd 8
multiboot2_header_end:

section .keel_header
align 8
keel_header:
	dq 0x3152444848454b4b                    ; KEEL_HEADER_MAGIC, see kernel/core/boot_info.h
	dq boot_entry64
	dq kernel_image_start
	dq kernel_image_end

; ELF note (ELF spec "Note Section"): namesz, descsz, type, "Xen\0", then
; the 32-bit physical entry address. linker.ld puts it in a PT_NOTE.
section .note.Xen note alloc noexec nowrite align=4
	dd 4
	dd 4
	dd XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dd boot_entry_pvh

section .boot_text progbits alloc exec nowrite align=16
bits 32
; The PVH ABI gives EBX and flat CS/DS/ES; ESP, EAX and SS are unspecified,
; so SS takes DS's flat segment before boot_entry32 touches the stack.
boot_entry_pvh:
	mov eax, ds
	mov ss, eax
	mov eax, PVH_START_INFO_MAGIC
	jmp boot_entry32

boot_entry32:
	cli
	cld
	mov edi, eax                             ; loader magic
	mov esi, ebx                             ; physical address of the loader's info
	rdtsc
	mov [boot_entry_tsc], eax
	mov [boot_entry_tsc + 4], edx
	mov esp, boot_stack_top

	; Long mode needs CPUID leaf 0x80000001 EDX bit 29 (SDM vol 2A, CPUID).
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode

	; Identity map 0..4 GiB: PML4[0] -> PDPT, PDPT[0..3] -> four page directories.
	mov edx, boot_pml4
	mov ecx, (4096 * 6) / 4                  ; PML4 + PDPT + 4 PDs
	push edi
	mov edi, edx
	xor eax, eax
	rep stosd
	pop edi
	mov dword [boot_pml4], boot_pdpt + PAGE_PRESENT_RW
	mov ecx, 0
.fill_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_page_directories + PAGE_PRESENT_RW
	mov [boot_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .fill_pdpt
	mov ecx, 0                               ; entry index over all four PDs
.fill_pd:
	mov eax, ecx
	shl eax, 21                              ; 2 MiB each; bits 32+ of the address go high
	or eax, PAGE_PRESENT_RW | PAGE_LARGE
	mov [boot_page_directories + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	mov [boot_page_directories + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jb .fill_pd

	mov eax, boot_pml4
	mov cr3, eax
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_PE
	mov cr0, eax
	lgdt [boot_gdt_pointer]
	jmp 0x08:.long_mode

.no_long_mode:
	mov esi, no_long_mode_message
.print:
	lodsb
	test al, al
	jz .halt32
	mov ah, al
	mov dx, COM1 + 5
.wait_tx:
	in al, dx
	test al, 0x20
	jz .wait_tx
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .print
.halt32:
	cli
	hlt
	jmp .halt32

bits 64
.long_mode:
	LOAD_KERNEL_DATA_SEGMENTS
	mov rsp, boot_stack_top
	mov edi, edi                             ; zero-extend magic and info address
	mov esi, esi
	xor ebp, ebp                             ; terminates frame-pointer backtraces
	call boot_multiboot_main
boot_halt:
	cli
	hlt
	jmp boot_halt

; void boot_entry64(const struct boot_info *info): called by the EFI loader after
; ExitBootServices, interrupts off, on the firmware's identity-mapped page tables.
boot_entry64:
	cli
	cld
	mov r8, rdi
	rdtsc
	mov [rel boot_entry_tsc], eax
	mov [rel boot_entry_tsc + 4], edx
	mov rsp, boot_stack_top
	; The firmware's page tables sit in boot-services memory, which the
	; loader reports usable: leave them before the allocator can hand them out.
	call boot_identity_map_4gib
	lea rax, [rel boot_pml4]
	mov cr3, rax
	lgdt [rel boot_gdt_pointer]
	push 0x08
	lea rax, [rel .reload_cs]
	push rax
	retfq
.reload_cs:
	LOAD_KERNEL_DATA_SEGMENTS
	mov rdi, r8
	xor ebp, ebp
	call boot_efi_main
	jmp boot_halt

; Identity maps 0..4 GiB with 2 MiB pages in boot_pml4, as boot_entry32 does
; (SDM vol 3A section 4.5). Clobbers rax, rcx, rdx, rsi, rdi.
boot_identity_map_4gib:
	lea rdi, [rel boot_pml4]
	mov ecx, (4096 * 6) / 8                  ; PML4 + PDPT + 4 PDs
	xor eax, eax
	rep stosq
	lea rdx, [rel boot_pdpt]
	lea rax, [rdx + PAGE_PRESENT_RW]
	mov [rel boot_pml4], rax
	lea rsi, [rel boot_page_directories]
	xor ecx, ecx
.fill_pdpt:
	mov rax, rcx
	shl rax, 12
	lea rax, [rsi + rax + PAGE_PRESENT_RW]
	mov [rdx + rcx * 8], rax
	inc ecx
	cmp ecx, 4
	jb .fill_pdpt
	xor ecx, ecx
.fill_pd:
	mov rax, rcx
	shl rax, 21
	or rax, PAGE_PRESENT_RW | PAGE_LARGE
	mov [rsi + rcx * 8], rax
	inc ecx
	cmp ecx, 2048
	jb .fill_pd
	ret

section .rodata
no_long_mode_message: db "keel: this CPU has no long mode (x86_64); halting", 13, 10, 0

align 8
boot_gdt:
	dq 0                                     ; null
	dq 0x00AF9A000000FFFF                    ; 0x08: 64-bit code, DPL 0
	dq 0x00CF92000000FFFF                    ; 0x10: data
boot_gdt_end:
boot_gdt_pointer:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

section .data
align 8
boot_entry_tsc: dq 0

section .bss
align 4096
boot_pml4: resb 4096
boot_pdpt: resb 4096
boot_page_directories: resb 4096 * 4
boot_stack: resb 65536
boot_stack_top:
