/* interrupts_console.c - `cat /proc/interrupts`: every vector with a
 * handler and how often it ran, in Linux's layout (one CPU column; the
 * chip column says which kind of vector it is: exceptions are left out). */
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/command.h"

#define FIRST_DEVICE_VECTOR 32

static int proc_interrupts_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_puts(out, "           CPU0       \n");
	for (unsigned vector = FIRST_DEVICE_VECTOR; vector < 256; vector++) {
		const char *name = interrupt_vector_name((uint8_t)vector);
		if (name)
			console_printf(out, "%3u: %10llu   keel  %3u-vector   %s\n", vector,
				       (unsigned long long)interrupt_vector_count((uint8_t)vector), vector, name);
	}
	return 0;
}
CONSOLE_COMMAND("cat /proc/interrupts", "interrupt counts per vector", proc_interrupts_command);
