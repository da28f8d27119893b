/* shell.c - the serial console session (contract in kernel/console/shell.h). */
#include "kernel/console/shell.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/arch/x86/gsi.h"
#include "kernel/console/command.h"
#include "kernel/console/line_editor.h"
#include "kernel/console/printk.h"
#include "kernel/console/serial.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/loop.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"

CMDLINE_KEY("keel.console", "off: no operator console (the serial port only prints)");

/* ISA IRQ 4 (COM1) or 3 (COM2): the same GSI unless the MADT overrides
 * it, which no PC machine we boot does for these two. */
#define SERIAL_COM1_GSI 4
#define SERIAL_COM2_GSI 3
/* Bytes read per loop step: a pasted line cannot keep the loop from the devices. */
#define INPUT_BUDGET 64
/* Bytes written per loop step: about 1.4 ms of 115200 baud. */
#define OUTPUT_BUDGET 256
#define POLL_INTERVAL_NS (10 * NSEC_PER_MSEC)

static char output_ring[CONSOLE_OUTPUT_BUFFER];
static size_t output_head, output_used;   /* head: oldest byte */
static struct line_editor editor;
static uint16_t port;
static bool started;
static volatile bool receive_woken;
static bool uart_at_line_start = true;   /* the last byte the console wrote was a newline */
static struct gsi_interrupt receive_irq = { .vector = -1 };
static struct timer poll_timer;

/* Up to and including the last newline of text, or all of it when it has
 * none (the prompt, typed echo, a line longer than the budget): output goes
 * out in whole lines where it can, so a kernel message printed between two
 * loop steps starts on a line of its own (console_shell_line_break). */
static size_t whole_lines(const char *text, size_t length)
{
	for (size_t end = length; end > 0; end--)
		if (text[end - 1] == '\n')
			return end;
	return length;
}

/* Writes the oldest buffered bytes the UART takes now, at most budget
 * (wait: waiting for the UART until budget bytes are out). */
static size_t drain(size_t budget, bool wait)
{
	size_t written = 0;
	while (output_used && written < budget) {
		size_t contiguous = sizeof(output_ring) - output_head;
		size_t chunk = output_used < contiguous ? output_used : contiguous;
		if (chunk > budget - written)
			chunk = budget - written;
		const char *text = output_ring + output_head;
		size_t taken;
		if (wait) {
			serial_write(port, text, chunk);
			taken = chunk;
		} else {
			taken = serial_write_ready(port, text, whole_lines(text, chunk));
		}
		if (taken == 0)
			break;
		uart_at_line_start = text[taken - 1] == '\n';
		output_head = (output_head + taken) % sizeof(output_ring);
		output_used -= taken;
		written += taken;
	}
	return written;
}

static void buffer_write(void *context, const char *text, size_t length)
{
	(void)context;
	while (length) {
		if (output_used == sizeof(output_ring))
			drain(sizeof(output_ring) / 4, true);   /* full: wait rather than lose output */
		size_t tail = (output_head + output_used) % sizeof(output_ring);
		size_t room = sizeof(output_ring) - output_used;
		size_t contiguous = sizeof(output_ring) - tail;
		size_t chunk = length < room ? length : room;
		if (chunk > contiguous)
			chunk = contiguous;
		memcpy(output_ring + tail, text, chunk);
		output_used += chunk;
		text += chunk;
		length -= chunk;
	}
}

static struct console_output serial_output = { buffer_write, NULL, CONSOLE_CALLER_SERIAL };

static void prompt(void)
{
	console_puts(&serial_output, CONSOLE_PROMPT);
}

static void line_ended(enum line_event event)
{
	if (event == LINE_EVENT_READY) {
		console_execute(&serial_output, editor.text);
	} else if (event == LINE_EVENT_TOO_LONG) {
		console_printf(&serial_output, "-keel: line too long (%zu characters, at most %d)\n",
			       editor.length + editor.dropped, CONSOLE_LINE_MAX - 1);
	}
	line_editor_reset(&editor);
	prompt();
}

static unsigned read_input(void)
{
	unsigned done = 0;
	for (; done < INPUT_BUDGET; done++) {
		int byte = serial_read_byte(port);
		if (byte < 0)
			break;
		char echo[LINE_EDITOR_ECHO_MAX];
		size_t echo_length = 0;
		enum line_event event = line_editor_feed(&editor, (unsigned char)byte, echo, &echo_length);
		buffer_write(NULL, echo, echo_length);
		if (event != LINE_EVENT_NONE)
			line_ended(event);
	}
	return done;
}

/* The UART is read only when its interrupt (or the poll timer) said so:
 * a loop step in poll mode costs no port access when nobody types. */
static unsigned console_run(void)
{
	unsigned done = 0;
	if (receive_woken) {
		receive_woken = false;
		done = read_input();
		if (serial_receive_pending(port))
			receive_woken = true;               /* budget used up: the next step goes on */
		else if (receive_irq.vector >= 0)
			serial_receive_interrupt(port, true);
	}
	if (output_used)
		done += (unsigned)drain(OUTPUT_BUDGET, false);
	return done;
}

/* Output waiting: come back soon (the transmitter has no interrupt here). */
static bool console_wants_short_sleep(void)
{
	return output_used != 0;
}

static bool console_work_pending(void)
{
	return receive_woken;
}

static struct loop_work console_work = {
	.name = "console",
	.run = console_run,
	.wants_short_sleep = console_wants_short_sleep,
	.work_pending = console_work_pending,
};

/* Level triggered: the UART keeps the line up while data waits, so the
 * handler masks it and the loop reads (and unmasks) - NAPI's pattern. */
static void receive_interrupt(void *context)
{
	(void)context;
	serial_receive_interrupt(port, false);
	receive_woken = true;
}

static void poll_tick(struct timer *timer, void *context)
{
	(void)context;
	receive_woken = true;
	timer_arm(timer, clock_monotonic_ns() + POLL_INTERVAL_NS);
}

void console_shell_start(void)
{
	const char *setting = cmdline_get("keel.console");
	if (started || (setting && strcmp(setting, "off") == 0))
		return;
	started = true;
	port = console_serial_port();
	line_editor_reset(&editor);
	kernel_loop_register(&console_work);
	/* The first step reads what was typed before the prompt and turns the
	 * receive interrupt on (console_run). */
	receive_woken = true;
	uint32_t gsi = port == SERIAL_COM2 ? SERIAL_COM2_GSI : SERIAL_COM1_GSI;
	if (gsi_interrupt_attach(&receive_irq, gsi, receive_interrupt, NULL, "serial") != 0) {
		timer_setup(&poll_timer, poll_tick, NULL);
		timer_arm(&poll_timer, clock_monotonic_ns() + POLL_INTERVAL_NS);
	}
	prompt();
}

void console_shell_line_break(void)
{
	if (started && !uart_at_line_start) {
		serial_write(port, "\n", 1);
		uart_at_line_start = true;
	}
}

void console_shell_flush(void)
{
	drain(sizeof(output_ring), true);
}
