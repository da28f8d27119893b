; interrupt_entry.asm - one stub per IDT vector. Each pushes a dummy error code
; where the CPU does not (SDM vol 3A table 6-1), then its vector, saves the
; general registers in struct interrupt_frame order and calls
; interrupt_dispatch(frame).
bits 64
section .text
extern interrupt_dispatch
global interrupt_stub_table

%macro STUB 1
interrupt_stub_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
	push 0
%endif
	push %1
	jmp interrupt_common
%endmacro

%assign vector 0
%rep 256
	align 16
	STUB vector
%assign vector vector + 1
%endrep

interrupt_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	; Align the stack to 16 bytes for the C ABI; rbx is callee-saved.
	mov rbx, rsp
	and rsp, -16
	call interrupt_dispatch
	mov rsp, rbx
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16                              ; vector and error code
	iretq

section .rodata
align 8
interrupt_stub_table:
%assign vector 0
%rep 256
	dq interrupt_stub_ %+ vector
%assign vector vector + 1
%endrep
