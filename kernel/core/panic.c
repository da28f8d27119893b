/* panic.c - panic, backtraces, stack protector and assert failure hooks. */
#include "kernel/core/panic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/command.h"
#include "kernel/console/printk.h"
#include "kernel/console/shell.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/sysctl.h"
#include "kernel/time/clock.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#define BACKTRACE_MAX_FRAMES 32

CMDLINE_KEY("panic", "seconds before reboot on panic; 0 halts (default), <0 reboots at once");

/* Linux's kernel.panic: set by `panic=` or `sysctl.kernel.panic=`. */
static int64_t panic_timeout_seconds;
SYSCTL_INTEGER("kernel.panic", panic_timeout_seconds, -1000000, 1000000);

void panic_configure(void)
{
	const char *setting = cmdline_get("panic");
	if (setting)
		panic_timeout_seconds = strtol(setting, NULL, 0);
}

/* Generated at link time from the kernel's own symbol table (see Makefile:
 * the second link pass); weak so the first pass links without them. */
struct ksym {
	uint64_t address;
	const char *name;
};
extern const struct ksym ksyms_table[] __attribute__((weak));
extern const uint64_t ksyms_count __attribute__((weak));

extern const char kernel_image_start[], kernel_image_end[], kernel_text_end[];

static void (*panic_notifiers[PANIC_MAX_NOTIFIERS])(void);
static unsigned panic_notifier_count;
static int panic_depth;

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;

void panic_notifier_register(void (*notifier)(void))
{
	if (panic_notifier_count < PANIC_MAX_NOTIFIERS)
		panic_notifiers[panic_notifier_count++] = notifier;
}

#define SHUTDOWN_MAX_NOTIFIERS 4
static void (*shutdown_notifiers[SHUTDOWN_MAX_NOTIFIERS])(void);
static unsigned shutdown_notifier_count;

void kernel_shutdown_notifier_register(void (*notifier)(void))
{
	if (shutdown_notifier_count < SHUTDOWN_MAX_NOTIFIERS)
		shutdown_notifiers[shutdown_notifier_count++] = notifier;
}

/* The operator's views of where packets went, the same commands the
 * console runs (kernel/console/command.h), each under a "---[ command ]---"
 * line: a crash report says by itself which layer dropped what. */
static const char *const dump_commands[] = { "ip -s link", "ss -s", "drops" };

static void print_operator_views(void)
{
	console_shell_flush();   /* a command's output still buffered goes first */
	for (unsigned i = 0; i < sizeof(dump_commands) / sizeof(dump_commands[0]); i++) {
		printk(LOG_ALWAYS, "---[ %s ]---\n", dump_commands[i]);
		console_execute_text(&console_printk_output, dump_commands[i]);
	}
}

/* The notifiers (device statistics), then the operator's views. */
static void panic_run_notifiers(void)
{
	for (unsigned i = 0; i < panic_notifier_count; i++)
		panic_notifiers[i]();
	print_operator_views();
}

const char *ksym_lookup(uint64_t address, uint64_t *offset)
{
	if (&ksyms_count == NULL || ksyms_table == NULL || ksyms_count == 0)
		return NULL;
	if (address < ksyms_table[0].address || address >= (uint64_t)kernel_text_end)
		return NULL;
	/* The table is sorted by address: binary search for the last entry <= address. */
	uint64_t low = 0, high = ksyms_count;
	while (high - low > 1) {
		uint64_t middle = (low + high) / 2;
		if (ksyms_table[middle].address <= address)
			low = middle;
		else
			high = middle;
	}
	if (ksyms_table[low].address > address)
		return NULL;
	*offset = address - ksyms_table[low].address;
	return ksyms_table[low].name;
}

/* A return address may point just past the end of its function (calls to
 * noreturn functions come last), so return addresses are looked up one byte
 * earlier, as Linux's %pB does. */
static void print_address(uint64_t address, bool is_return_address)
{
	uint64_t offset = 0;
	const char *name = ksym_lookup(address - is_return_address, &offset);
	offset += is_return_address;
	if (name)
		pr_emerg("  [<%016llx>] %s+0x%llx\n", (unsigned long long)address, name, (unsigned long long)offset);
	else
		pr_emerg("  [<%016llx>] ?\n", (unsigned long long)address);
}

static int address_in_image(uint64_t address)
{
	return address >= (uint64_t)kernel_image_start && address < (uint64_t)kernel_image_end;
}

void backtrace_print(uint64_t rbp, uint64_t rip)
{
	pr_emerg("backtrace:\n");
	if (rip)
		print_address(rip, false);
	/* Frames are [saved rbp][return address]; the boot code zeroes rbp, so a
	 * chain ends at 0. Only follow pointers into our own image (stacks are in
	 * .bss) to survive a corrupted chain. */
	for (int depth = 0; depth < BACKTRACE_MAX_FRAMES && rbp && (rbp & 7) == 0 && address_in_image(rbp); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		if (frame[1] == 0)
			break;
		print_address(frame[1], true);
		rbp = frame[0];
	}
}

static void print_registers(const struct interrupt_frame *frame)
{
	pr_emerg("RIP: %016llx RSP: %016llx RFLAGS: %08llx CS: %llx SS: %llx\n", (unsigned long long)frame->rip,
		 (unsigned long long)frame->rsp, (unsigned long long)frame->rflags, (unsigned long long)frame->cs,
		 (unsigned long long)frame->ss);
	pr_emerg("RAX: %016llx RBX: %016llx RCX: %016llx\n", (unsigned long long)frame->rax,
		 (unsigned long long)frame->rbx, (unsigned long long)frame->rcx);
	pr_emerg("RDX: %016llx RSI: %016llx RDI: %016llx\n", (unsigned long long)frame->rdx,
		 (unsigned long long)frame->rsi, (unsigned long long)frame->rdi);
	pr_emerg("RBP: %016llx R08: %016llx R09: %016llx\n", (unsigned long long)frame->rbp,
		 (unsigned long long)frame->r8, (unsigned long long)frame->r9);
	pr_emerg("R10: %016llx R11: %016llx R12: %016llx\n", (unsigned long long)frame->r10,
		 (unsigned long long)frame->r11, (unsigned long long)frame->r12);
	pr_emerg("R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)frame->r13,
		 (unsigned long long)frame->r14, (unsigned long long)frame->r15);
	pr_emerg("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n", (unsigned long long)read_cr0(),
		 (unsigned long long)read_cr2(), (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

__attribute__((noreturn)) void machine_reboot(void)
{
	interrupts_disable();
	/* The 8042 keyboard controller's pulse-reset line, then a triple fault. */
	for (int spin = 0; spin < 100000 && (inb(0x64) & 0x02); spin++)
		cpu_pause();
	outb(0x64, 0xFE);
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } empty_idt = { 0, 0 };
	__asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
	for (;;)
		__asm__ volatile("hlt");
}

static __attribute__((noreturn)) void halt_or_reboot(void)
{
	long seconds = (long)panic_timeout_seconds;
	if (seconds < 0)
		machine_reboot();
	if (seconds > 0) {
		pr_emerg("Rebooting in %ld seconds..\n", seconds);
		clock_delay_us((uint64_t)seconds * 1000000);
		machine_reboot();
	}
	for (;;) {
		interrupts_disable();
		__asm__ volatile("hlt");
	}
}

static __attribute__((noreturn)) void vpanic(const struct interrupt_frame *frame, const char *format, va_list arguments)
{
	interrupts_disable();
	if (++panic_depth > 1) {
		console_write("\npanic while panicking; halting\n", 32);
		for (;;)
			__asm__ volatile("hlt");
	}
	console_set_level(LOG_DEBUG + 1);
	console_defer(false);
	pr_emerg("Kernel panic - not syncing: ");
	vprintk(LOG_EMERG, format, arguments);
	pr_emerg("\n");
	if (frame) {
		print_registers(frame);
		backtrace_print(frame->rbp, frame->rip);
	} else {
		backtrace_print((uint64_t)__builtin_frame_address(0), 0);
	}
	panic_run_notifiers();
	pr_emerg("---[ end Kernel panic ]---\n");
	halt_or_reboot();
}

void panic(const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vpanic(NULL, format, arguments);
}

void panic_with_frame(const struct interrupt_frame *frame, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vpanic(frame, format, arguments);
}

void kernel_shutdown(const char *reason)
{
	pr_notice("keel: shutting down: %s\n", reason);
	for (unsigned i = 0; i < shutdown_notifier_count; i++)
		shutdown_notifiers[i]();
	panic_run_notifiers();
	halt_or_reboot();
}

__attribute__((noreturn)) void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in the caller of %p", __builtin_return_address(0));
}

__attribute__((noreturn)) void __assert_fail(const char *expression, const char *file, unsigned int line, const char *function);
void __assert_fail(const char *expression, const char *file, unsigned int line, const char *function)
{
	panic("assertion failed: %s at %s:%u in %s()", expression, file, line, function);
}

__attribute__((noreturn)) void abort(void)
{
	panic("abort() called from %p", __builtin_return_address(0));
}
