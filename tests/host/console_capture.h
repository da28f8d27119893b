/* console_capture.h - for host checks of console commands: a console_output
 * that collects what a command prints into one NUL-terminated buffer, and a
 * printk that writes to stdout. Output beyond the buffer is left out. */
#ifndef KEEL_TESTS_HOST_CONSOLE_CAPTURE_H
#define KEEL_TESTS_HOST_CONSOLE_CAPTURE_H

#include "kernel/console/command.h"

extern struct console_output console_capture_output;
/* Empties the buffer; returns it (still valid after further output). */
const char *console_capture_reset(void);
const char *console_capture_text(void);

#endif
