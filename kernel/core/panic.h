/* panic.h - the end of the line for broken internal invariants (never for bad
 * input). Prints the message, the registers, a frame-pointer backtrace with
 * symbol names, runs the panic notifiers (e.g. device statistics) and then
 * halts, or reboots when `panic=<seconds>` says so (as Linux: 0 halts
 * forever, a negative value reboots at once). Re-entry just halts. */
#ifndef KEEL_PANIC_H
#define KEEL_PANIC_H

#include <stdint.h>

struct interrupt_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *format, ...);
__attribute__((noreturn, format(printf, 2, 3))) void panic_with_frame(const struct interrupt_frame *frame, const char *format, ...);

/* Prints "  [<address>] symbol+offset" lines walking the rbp chain from rbp. */
void backtrace_print(uint64_t rbp, uint64_t rip);
/* Nearest symbol at or below address; returns NULL when unknown. */
const char *ksym_lookup(uint64_t address, uint64_t *offset);

/* Reads `panic=` (call after the command line is parsed). */
void panic_configure(void);

#define PANIC_MAX_NOTIFIERS 8
/* Called in order on panic and on orderly shutdown (kernel_shutdown). */
void panic_notifier_register(void (*notifier)(void));

/* Called in order on orderly shutdown only, before the panic notifiers:
 * what must not run on a panic (e.g. the DHCP client's RELEASE). */
void kernel_shutdown_notifier_register(void (*notifier)(void));
/* Halts (or reboots, per `panic=`) after printing the notifiers' output. */
__attribute__((noreturn)) void kernel_shutdown(const char *reason);
__attribute__((noreturn)) void machine_reboot(void);

#define BUG_ON(condition)                                                                 \
	do {                                                                              \
		if (__builtin_expect(!!(condition), 0))                                   \
			panic("BUG_ON(%s) at %s:%d", #condition, __FILE__, __LINE__);     \
	} while (0)

#endif
