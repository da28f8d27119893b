/* libc_hooks.c - what the libc needs from the kernel (the hooks of
 * libc/include/keel_libc_hooks.h): console output for printf, the
 * monotonic clock, and wall-clock time (kernel/time/rtc.h). */
#include <keel_libc_hooks.h>

#include "kernel/console/printk.h"
#include "kernel/time/clock.h"
#include "kernel/time/rtc.h"

void keel_console_write(const char *text, size_t length)
{
	printk(LOG_ALWAYS, "%.*s", (int)length, text);
}

uint64_t keel_monotonic_ns(void)
{
	return clock_monotonic_ns();
}

int64_t keel_realtime_ns(void)
{
	return rtc_realtime_ns();
}
