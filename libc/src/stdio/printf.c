/* printf, vprintf, puts - formatted output to the console (the system's
 * keel_console_write hook): there are no streams, so each call writes its
 * whole text at once. Long output is formatted into a heap buffer; when
 * that allocation fails it is cut at the stack buffer's size. */
#include <keel_libc_hooks.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRINTF_STACK_BUFFER 256

int vprintf(const char *restrict fmt, va_list ap)
{
	char small[PRINTF_STACK_BUFFER];
	va_list again;
	va_copy(again, ap);
	int length = vsnprintf(small, sizeof(small), fmt, ap);
	if (length < 0) {
		va_end(again);
		return length;
	}
	char *text = small;
	size_t written = (size_t)length;
	if (written >= sizeof(small)) {
		char *large = malloc(written + 1);
		if (large) {
			vsnprintf(large, written + 1, fmt, again);
			text = large;
		} else {
			written = sizeof(small) - 1;
		}
	}
	va_end(again);
	keel_console_write(text, written);
	if (text != small)
		free(text);
	return length;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int length = vprintf(fmt, ap);
	va_end(ap);
	return length;
}

int puts(const char *text)
{
	keel_console_write(text, strlen(text));
	keel_console_write("\n", 1);
	return 0;
}
