/* interrupts.c - GDT with a TSS (separate stacks for faults that can hit a
 * broken stack), the IDT, exception reports and device vector dispatch.
 * References: SDM vol 3A sections 6.10-6.14 (IDT, 64-bit mode interrupt
 * handling, IST) and 7.7 (64-bit TSS). */
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/panic.h"

#include <string.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS 0x18
#define IST_STACK_SIZE 16384

enum ist_index { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3 };

/* [SDM 3A 7.7] 64-bit task state segment. */
struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t io_map_base;
};
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

/* [SDM 3A 6.14.1] 64-bit interrupt gate. */
struct __attribute__((packed)) idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attributes;
	uint16_t offset_middle;
	uint32_t offset_high;
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct __attribute__((packed)) descriptor_pointer {
	uint16_t limit;
	uint64_t base;
};

struct vector_slot {
	interrupt_handler handler;
	void *context;
	const char *name;
	bool send_eoi;
	uint64_t count;
};

static uint64_t gdt[5];
static struct tss64 tss;
static struct idt_gate idt[256];
static struct vector_slot vectors[256];
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
static struct fault_report expected_fault_report;
static int expected_fault_vector = -1;
static uint64_t expected_fault_resume;

extern const uint64_t interrupt_stub_table[256];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection",
	"page fault", "reserved", "x87 floating-point", "alignment check", "machine check",
	"SIMD floating-point", "virtualization", "control protection", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "hypervisor injection", "VMM communication",
	"security", "reserved",
};

static void gdt_load(void)
{
	uint64_t tss_base = (uint64_t)&tss;
	uint64_t tss_limit = sizeof(tss) - 1;
	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFFull; /* 64-bit code, present, DPL 0 */
	gdt[2] = 0x00CF92000000FFFFull; /* data, present, writable */
	/* [SDM 3A 7.2.3] 16-byte TSS descriptor, type 9 (available 64-bit TSS). */
	gdt[3] = (tss_limit & 0xFFFF) | ((tss_base & 0xFFFFFF) << 16) | (0x89ull << 40) |
		 ((tss_limit >> 16 & 0xF) << 48) | ((tss_base >> 24 & 0xFF) << 56);
	gdt[4] = tss_base >> 32;
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.io_map_base = sizeof(tss);

	struct descriptor_pointer pointer = { sizeof(gdt) - 1, (uint64_t)gdt };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(pointer), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

static void idt_set_gate(uint8_t vector, uint64_t address, uint8_t ist)
{
	idt[vector] = (struct idt_gate){
		.offset_low = address & 0xFFFF,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type_attributes = 0x8E, /* present, DPL 0, 64-bit interrupt gate */
		.offset_middle = (address >> 16) & 0xFFFF,
		.offset_high = address >> 32,
	};
}

void interrupts_init(void)
{
	gdt_load();
	for (int vector = 0; vector < 256; vector++)
		idt_set_gate(vector, interrupt_stub_table[vector], 0);
	idt_set_gate(8, interrupt_stub_table[8], IST_DOUBLE_FAULT);
	idt_set_gate(2, interrupt_stub_table[2], IST_NMI);
	idt_set_gate(18, interrupt_stub_table[18], IST_MACHINE_CHECK);
	struct descriptor_pointer pointer = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(pointer));
}

int interrupt_vector_alloc(interrupt_handler handler, void *context, const char *name)
{
	for (int vector = VECTOR_DYNAMIC_FIRST; vector <= VECTOR_DYNAMIC_LAST; vector++) {
		if (vectors[vector].handler == NULL) {
			interrupt_vector_set(vector, handler, context, name, true);
			return vector;
		}
	}
	pr_err("interrupts: no free vector for %s\n", name);
	return -1;
}

void interrupt_vector_free(int vector)
{
	if (vector >= VECTOR_DYNAMIC_FIRST && vector <= VECTOR_DYNAMIC_LAST)
		vectors[vector] = (struct vector_slot){ 0 };
}

void interrupt_vector_set(uint8_t vector, interrupt_handler handler, void *context, const char *name, bool send_eoi)
{
	uint64_t flags = interrupts_save();
	vectors[vector] = (struct vector_slot){ handler, context, name, send_eoi, 0 };
	interrupts_restore(flags);
}

uint64_t interrupt_vector_count(uint8_t vector)
{
	return vectors[vector].count;
}

const char *interrupt_vector_name(uint8_t vector)
{
	return vectors[vector].handler ? vectors[vector].name : NULL;
}

void interrupts_expect_fault(uint8_t vector, uint64_t resume_rip)
{
	expected_fault_report = (struct fault_report){ 0 };
	expected_fault_resume = resume_rip;
	expected_fault_vector = vector;
}

struct fault_report interrupts_last_expected_fault(void)
{
	return expected_fault_report;
}

static void report_exception(const struct interrupt_frame *frame, uint64_t cr2)
{
	pr_emerg("exception %llu (%s) error code 0x%llx at rip 0x%llx", (unsigned long long)frame->vector,
		 exception_names[frame->vector], (unsigned long long)frame->error_code,
		 (unsigned long long)frame->rip);
	if (frame->vector == 14)
		pr_emerg(" cr2 0x%llx (%s %s%s)", (unsigned long long)cr2,
			 frame->error_code & 1 ? "protection violation on" : "not-present page,",
			 frame->error_code & 2 ? "write" : "read",
			 frame->error_code & 16 ? ", instruction fetch" : "");
	pr_emerg("\n");
}

static void handle_exception(struct interrupt_frame *frame)
{
	uint64_t cr2 = read_cr2();
	report_exception(frame, cr2);
	if ((int)frame->vector == expected_fault_vector) {
		expected_fault_report = (struct fault_report){ frame->vector, frame->error_code, frame->rip, cr2, true };
		expected_fault_vector = -1;
		frame->rip = expected_fault_resume;
		return;
	}
	panic_with_frame(frame, "unhandled CPU exception %llu (%s)", (unsigned long long)frame->vector,
			 exception_names[frame->vector]);
}

void interrupt_dispatch(struct interrupt_frame *frame);
void interrupt_dispatch(struct interrupt_frame *frame)
{
	uint8_t vector = (uint8_t)frame->vector;
	if (vector < 32) {
		handle_exception(frame);
		return;
	}
	struct vector_slot *slot = &vectors[vector];
	slot->count++;
	if (vector >= VECTOR_PIC_BASE && vector < VECTOR_PIC_BASE + 16)
		return; /* spurious IRQ from the masked 8259: no EOI (8259A datasheet) */
	if (slot->handler == NULL) {
		pr_warn("interrupts: unexpected vector %u\n", vector);
		if (vector != VECTOR_LAPIC_SPURIOUS)
			lapic_eoi();
		return;
	}
	slot->handler(frame, slot->context);
	if (slot->send_eoi)
		lapic_eoi();
}
