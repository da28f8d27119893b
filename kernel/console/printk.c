/* printk.c - formats log lines and writes them to the serial console. */
#include "kernel/console/printk.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/serial.h"
#include "kernel/console/shell.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"

#include <stdio.h>
#include <stdbool.h>
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

uint16_t console_serial_port(void)
{
	return console_port;
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

/* While deferred (during init), console output collects here and is written
 * out in one go by console_defer(false): under emulation every UART byte is a
 * trap into the hypervisor, and init should be timed doing its own work.
 * A full buffer, a panic or console_write() with deferral off flush it. */
#define DEFERRED_OUTPUT_SIZE 32768
static char deferred_output[DEFERRED_OUTPUT_SIZE];
static size_t deferred_length;
static bool console_deferred;

static void flush_deferred_output(void)
{
	if (deferred_length) {
		serial_write(console_port, deferred_output, deferred_length);
		deferred_length = 0;
	}
}

size_t console_defer(bool defer)
{
	size_t flushed = deferred_length;
	console_deferred = defer;
	if (!defer)
		flush_deferred_output();
	return flushed;
}

static void console_emit(const char *text, size_t length)
{
	if (console_deferred) {
		if (deferred_length + length > sizeof(deferred_output))
			flush_deferred_output();
		if (length <= sizeof(deferred_output)) {
			memcpy(deferred_output + deferred_length, text, length);
			deferred_length += length;
			return;
		}
	}
	serial_write(console_port, text, length);
}

void console_write(const char *text, unsigned long length)
{
	/* Raw writes come from panic: everything earlier must appear first. */
	console_deferred = false;
	flush_deferred_output();
	serial_write(console_port, text, length);
}

static void flush_pending_line(void)
{
	if (pending_length == 0)
		return;
	if (!console_deferred)
		console_shell_line_break();
	if (console_prefix_time) {
		char stamp[32];
		uint64_t now = clock_monotonic_ns();
		int length = snprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
				      (unsigned long long)(now / NSEC_PER_SEC),
				      (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_USEC));
		console_emit(stamp, (size_t)length);
	}
	console_emit(pending_line, pending_length);
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
