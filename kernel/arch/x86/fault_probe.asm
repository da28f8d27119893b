; fault_probe.asm - instructions that may fault on purpose, each followed by a
; label the exception handler resumes at (see interrupts_expect_fault).
bits 64
section .text
global fault_probe_read64
global fault_probe_read64_resume
global fault_probe_divide
global fault_probe_divide_resume

fault_probe_read64:
	mov rax, [rdi]
fault_probe_read64_resume:
	ret

fault_probe_divide:
	mov rax, rdi
	xor edx, edx
	div rsi
fault_probe_divide_resume:
	ret
