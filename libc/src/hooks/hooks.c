/* hooks - weak fallbacks of the system hooks (see keel_libc_hooks.h). */
#include <keel_libc_hooks.h>

__attribute__((weak)) void keel_console_write(const char *text, size_t length)
{
	(void)text;
	(void)length;
}

__attribute__((weak)) uint64_t keel_monotonic_ns(void)
{
	return 0;
}

__attribute__((weak)) int64_t keel_realtime_ns(void)
{
	return -1;
}
