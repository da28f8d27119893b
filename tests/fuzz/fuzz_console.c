/* fuzz_console.c - libFuzzer harness: the operator's typing on the serial
 * console. Every input byte goes through the line editor
 * (kernel/console/line_editor.c) as the UART would deliver it; each line it
 * ends is split and dispatched (kernel/console/command.c) to the commands
 * linked here: `help` and `sysctl` (kernel/core/sysctl_console.c over
 * kernel/core/sysctl.c, with net/tcp/sysctl.c's tunables declared, so
 * `sysctl -w` meets integers, ranges and the three-number vectors).
 * Output goes into a bounded buffer, as it will for the management port.
 *
 * Checked after each input: the editor never holds more than its line,
 * the echo of one byte fits LINE_EDITOR_ECHO_MAX, every integer tunable is
 * within its declared range (then put back to its default). The section
 * tables get their bounds as in fuzz_cmdline.c (tests/fuzz/sections.ld;
 * console_commands is a C identifier, so ld bounds it itself). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/command.h"
#include "kernel/console/line_editor.h"
#include "kernel/console/printk.h"
#include "tests/fuzz/sysctl_defaults.h"
#include "kernel/core/sysctl.h"
#include "net/tcp/sysctl.h"

static size_t output_length;

void vprintk(int level, const char *format, va_list arguments)
{
	(void)level;
	static char line[1024];
	vsnprintf(line, sizeof(line), format, arguments);
}

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vprintk(level, format, arguments);
	va_end(arguments);
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_console: %s\n", what);
	abort();
}

static void capture(void *context, const char *text, size_t length)
{
	(void)context;
	static char buffer[1 << 16];
	size_t room = sizeof(buffer) - (output_length % sizeof(buffer));
	memcpy(buffer + output_length % sizeof(buffer), text, length < room ? length : room);
	output_length += length;
}

static struct console_output output = { capture, NULL, CONSOLE_CALLER_SERIAL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int started;
	if (!started) {
		started = 1;
		sysctl_defaults_save("fuzz_console");
	}
	struct line_editor editor;
	memset(&editor, 0, sizeof(editor));
	line_editor_reset(&editor);
	for (size_t i = 0; i < size; i++) {
		char echo[LINE_EDITOR_ECHO_MAX];
		size_t echo_length = 0;
		enum line_event event = line_editor_feed(&editor, data[i], echo, &echo_length);
		if (echo_length > LINE_EDITOR_ECHO_MAX || editor.length >= CONSOLE_LINE_MAX)
			fail("the editor overran its line or its echo");
		capture(NULL, echo, echo_length);
		if (event == LINE_EVENT_READY)
			console_execute(&output, editor.text);
		if (event != LINE_EVENT_NONE)
			line_editor_reset(&editor);
	}
	/* Every integer tunable within its range, then back to its default. */
	sysctl_defaults_check_and_restore();
	return 0;
}
