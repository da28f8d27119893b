/* console_capture.c - see console_capture.h. */
#include "console_capture.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char captured[8192];
static size_t captured_length;

void printk(int level, const char *format, ...)
{
	(void)level;
	va_list arguments;
	va_start(arguments, format);
	vprintf(format, arguments);
	va_end(arguments);
}

static void capture(void *context, const char *text, size_t length)
{
	(void)context;
	if (captured_length + length < sizeof(captured)) {
		memcpy(captured + captured_length, text, length);
		captured_length += length;
		captured[captured_length] = '\0';
	}
}

struct console_output console_capture_output = { capture, NULL, CONSOLE_CALLER_SERIAL };

const char *console_capture_reset(void)
{
	captured_length = 0;
	captured[0] = '\0';
	return captured;
}

const char *console_capture_text(void)
{
	return captured;
}
