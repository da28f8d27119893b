/* panic_selftest.c - the destructive self tests of the panic path itself:
 * "panic" and "stackprotector" must each end in a panic with a useful
 * report (registers, backtrace). */
#include "kernel/core/panic.h"
#include "kernel/core/selftest.h"

#include <stddef.h>
#include <string.h>

static const char *selftest_panic(void)
{
	panic("selftest: deliberate panic");
}
SELFTEST_DESTRUCTIVE("panic", selftest_panic);

static __attribute__((noinline)) void overflow_local_buffer(size_t length)
{
	char buffer[16];
	volatile size_t count = length;
	memset(buffer, 'A', count);
	__asm__ volatile("" : : "r"(buffer) : "memory");
}

static const char *selftest_stackprotector(void)
{
	overflow_local_buffer(64);
	return "writing past a stack buffer went unnoticed";
}
SELFTEST_DESTRUCTIVE("stackprotector", selftest_stackprotector);
