/* printk.c - formats log lines and writes them to the serial console. */
#include "kernel/printk.h"
#include "kernel/serial.h"
#include "kernel/cmdline.h"
#include "kernel/clock.h"
#include "kernel/cpu.h"

#include <stdio.h>
#include <string.h>

#define PRINTK_LINE_MAX 512
#define LOGLEVEL_DEFAULT 7

static uint16_t console_port = SERIAL_COM1;
static int console_level = LOGLEVEL_DEFAULT;
static int console_prefix_time;
/* A line is assembled here across printk calls until its newline, so that
 * pieces of a line (e.g. a table row) appear together. */
static char pending_line[PRINTK_LINE_MAX];
static size_t pending_length;

void console_init_early(void)
{
	serial_init(console_port);
}

void console_set_level(int level)
{
	console_level = level;
}

void console_configure(void)
{
	const char *console = cmdline_get("console");
	if (console) {
		uint16_t port = console_port;
		if (strncmp(console, "ttyS0", 5) == 0)
			port = SERIAL_COM1;
		else if (strncmp(console, "ttyS1", 5) == 0)
			port = SERIAL_COM2;
		else
			pr_warn("console: '%s' not supported, staying on ttyS0\n", console);
		if (port != console_port && serial_init(port) == 0)
			console_port = port;
	}
	console_level = (int)cmdline_get_u64("loglevel", LOGLEVEL_DEFAULT);
	console_prefix_time = (int)cmdline_get_u64("printk.time", 0);
}

void console_write(const char *text, unsigned long length)
{
	serial_write(console_port, text, length);
}

static void flush_pending_line(void)
{
	if (pending_length == 0)
		return;
	if (console_prefix_time) {
		char stamp[32];
		uint64_t now = clock_monotonic_ns();
		int length = snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
				      (unsigned long long)(now / NSEC_PER_SEC),
				      (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_USEC));
		console_write(stamp, (unsigned long)length);
	}
	console_write(pending_line, pending_length);
	pending_length = 0;
}

void vprintk(int level, const char *format, va_list arguments)
{
	if (level >= console_level)
		return;
	char buffer[PRINTK_LINE_MAX];
	int length = vsnprintf(buffer, sizeof(buffer), format, arguments);
	if (length < 0)
		return;
	if ((size_t)length >= sizeof(buffer))
		length = sizeof(buffer) - 1;
	uint64_t flags = interrupts_save();
	for (int i = 0; i < length; i++) {
		pending_line[pending_length++] = buffer[i];
		if (buffer[i] == '\n' || pending_length == sizeof(pending_line))
			flush_pending_line();
	}
	interrupts_restore(flags);
}

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vprintk(level, format, arguments);
	va_end(arguments);
}
