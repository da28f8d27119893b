/* interrupts.h - GDT/TSS, the IDT, CPU exception reporting and the table of
 * interrupt vectors handed to devices.
 *
 * Vector map: 0-31 CPU exceptions; 32-47 the (masked) 8259 PIC's range, so its
 * spurious IRQ 7/15 land somewhere harmless; 48-239 allocated to devices
 * (MSI, MSI-X, IOAPIC lines); 240-255 fixed LAPIC sources. A device handler
 * runs with interrupts off; the dispatcher sends the LAPIC EOI after it. */
#ifndef KEEL_INTERRUPTS_H
#define KEEL_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#define VECTOR_PIC_BASE 0x20
#define VECTOR_DYNAMIC_FIRST 0x30
#define VECTOR_DYNAMIC_LAST 0xEF
#define VECTOR_LAPIC_TIMER 0xF0
#define VECTOR_LAPIC_ERROR 0xFE
#define VECTOR_LAPIC_SPURIOUS 0xFF

/* Register state pushed by kernel/arch/x86/interrupt_entry.asm, lowest address first. */
struct interrupt_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*interrupt_handler)(struct interrupt_frame *frame, void *context);

void interrupts_init(void);
/* Claims a free vector in the dynamic range for handler; -1 when none is left. */
int interrupt_vector_alloc(interrupt_handler handler, void *context, const char *name);
void interrupt_vector_free(int vector);
/* Installs handler on a fixed vector (LAPIC sources). */
void interrupt_vector_set(uint8_t vector, interrupt_handler handler, void *context, const char *name, bool send_eoi);
/* Number of times vector has fired. */
uint64_t interrupt_vector_count(uint8_t vector);
/* The name a vector was set up with, NULL when it has no handler (`cat /proc/interrupts`). */
const char *interrupt_vector_name(uint8_t vector);

/* Lets a self test provoke a CPU exception on purpose: the next exception with
 * this vector is reported as usual, then execution continues at resume_rip
 * instead of panicking. The report is kept for the test to check. */
struct fault_report {
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cr2;
	bool happened;
};
void interrupts_expect_fault(uint8_t vector, uint64_t resume_rip);
struct fault_report interrupts_last_expected_fault(void);

/* Assembly probes with a known resume point (kernel/arch/x86/fault_probe.asm). */
uint64_t fault_probe_read64(const volatile uint64_t *address);
extern const char fault_probe_read64_resume[];
uint64_t fault_probe_divide(uint64_t dividend, uint64_t divisor);
extern const char fault_probe_divide_resume[];

#endif
