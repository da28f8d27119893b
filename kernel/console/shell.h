/* shell.h - the operator's console on the serial port: `keel# ` prompts,
 * lines edited as on a terminal (line_editor.h), commands from the
 * registry (command.h).
 *
 * It never blocks the packet path or the app: received bytes are read in
 * the kernel run loop (a loop_work; the UART's receive interrupt only wakes
 * the CPU, or, when no IOAPIC input serves it, a 10 ms poll timer does), a
 * command runs there between two device polls, and its output goes to a
 * bounded buffer (CONSOLE_OUTPUT_BUFFER bytes) drained a UART FIFO at a
 * time by later loop steps. A command that prints more than the buffer
 * holds waits for the UART (about 5.7 s per 64 KB at 115200 baud on real
 * hardware; an emulated UART takes it at once): output is never lost, and
 * the wait is in the loop, not in the packet path, but the devices are not
 * polled meanwhile - `ss` on thousands of connections is the one case. The app's blocking calls run the same loop, so the console answers
 * while the app serves. */
#ifndef KEEL_CONSOLE_SHELL_H
#define KEEL_CONSOLE_SHELL_H

#define CONSOLE_OUTPUT_BUFFER 65536
#define CONSOLE_PROMPT "keel# "

/* Called once "keel: ready" is printed: registers the console with the run
 * loop and prints the first prompt. Idempotent. keel.console=off leaves
 * the serial port write-only. */
void console_shell_start(void);
/* For printk, before it writes a line: ends the line the console left open
 * (a prompt, typed text), so that every kernel message starts a line of
 * its own and log readers see it whole. */
void console_shell_line_break(void);
/* Writes whatever is still buffered, waiting for the UART (panic, shutdown). */
void console_shell_flush(void);

#endif
