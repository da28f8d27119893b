/* command.h - the operator console's commands, declared where they belong.
 *
 * Each layer registers its own commands next to its code with
 *
 *     static int ip_route_command(struct console_output *out, int argc, char **argv);
 *     CONSOLE_COMMAND("ip route", "ip route [show] | ip route get ADDRESS", ip_route_command);
 *
 * and the linker collects them (section console_commands, linker.ld), so the
 * console knows nothing of the stack (kernel/ never includes net/). A name
 * may have several words ("ip route", "cat /proc/net/dev", later "nft",
 * "conntrack", "tc"): a line runs the command whose words match the most of
 * its leading words; after the first word, a typed word may abbreviate the
 * name's (`ip r` = `ip route`, as iproute2), and options typed between the
 * words are kept (`ip -s link`). The function gets argv[0] = the last
 * matched word, then those options, then the rest of the line; it returns
 * 0 on success or the status a Linux tool would exit with (1, 2...).
 *
 * Output goes through struct console_output, never to the UART directly, so
 * the same command can print to the serial console (buffered, drained by
 * the run loop), to the panic dump, or into a buffer for the management
 * port (net/admin).
 *
 * Whether an invocation changes the system's state is said once, at its
 * registration: CONSOLE_COMMAND_CHANGING(name, help, function, classifier)
 * names a classifier that gets the same argv as the function and answers
 * for this invocation (`sysctl NAME` reads, `sysctl -w NAME=V` writes); a
 * plain CONSOLE_COMMAND is a view. The management port runs a changing
 * invocation only for a caller holding its token
 * (console_execute_restricted). */
#ifndef KEEL_CONSOLE_COMMAND_H
#define KEEL_CONSOLE_COMMAND_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Who runs a command. Views that print "since the last call" (nstat,
 * drops) keep one history per caller kind, as Linux's nstat keeps one per
 * user: a scrape through the management port never moves what the
 * operator's next nstat on the serial console shows. The dumps printed
 * through printk count as the serial console. */
enum console_caller {
	CONSOLE_CALLER_SERIAL,
	CONSOLE_CALLER_MANAGEMENT_PORT,
	CONSOLE_CALLER_KINDS
};

struct console_output {
	void (*write)(void *context, const char *text, size_t length);
	void *context;
	enum console_caller caller;
};

/* Where a command writing to out keeps its "since the last call" state:
 * 0 .. CONSOLE_CALLER_KINDS - 1. */
static inline unsigned console_history_slot(const struct console_output *out)
{
	return (unsigned)out->caller < CONSOLE_CALLER_KINDS ? (unsigned)out->caller : CONSOLE_CALLER_SERIAL;
}

typedef int (*console_command_function)(struct console_output *out, int argc, char **argv);

struct console_command {
	const char *name;      /* "ip route": words separated by one blank */
	const char *help;      /* usage line(s) `help` prints */
	console_command_function run;
	/* Whether this invocation (argc/argv as run gets them) changes state;
	 * NULL: never (a view). */
	bool (*changes_state)(int argc, char **argv);
};

#define CONSOLE_COMMAND_CONCAT2(a, b) a##b
#define CONSOLE_COMMAND_CONCAT(a, b) CONSOLE_COMMAND_CONCAT2(a, b)
#define CONSOLE_COMMAND(command_name, command_help, function)                                     \
	static const struct console_command CONSOLE_COMMAND_CONCAT(console_command_entry_, __LINE__)     \
		__attribute__((used, section("console_commands"), aligned(8))) = { command_name, command_help, function, NULL }
#define CONSOLE_COMMAND_CHANGING(command_name, command_help, function, classifier)                 \
	static const struct console_command CONSOLE_COMMAND_CONCAT(console_command_entry_, __LINE__)     \
		__attribute__((used, section("console_commands"), aligned(8))) = { command_name, command_help, function, \
										    classifier }

__attribute__((format(printf, 2, 3))) void console_printf(struct console_output *out, const char *format, ...);
void console_vprintf(struct console_output *out, const char *format, va_list arguments);
void console_puts(struct console_output *out, const char *text);

/* Output through printk (LOG_ALWAYS, whole lines): the periodic stats
 * blocks and the shutdown/panic dump print command views with it. */
extern struct console_output console_printk_output;

/* Runs one command line (split like a shell, then dispatched); returns the
 * command's status, 127 for an unknown command (answered
 * "-keel: NAME: command not found", as bash), 2 for a line that does not
 * split (unterminated quote, too many words). line is modified. */
int console_execute(struct console_output *out, char *line);
/* The same for a constant line (copied first): what the panic dump uses. */
int console_execute_text(struct console_output *out, const char *line);
/* console_execute for a caller that may not change state unless
 * may_change_state: a changing invocation is then not run and
 * CONSOLE_STATUS_REFUSED returned (nothing printed; the caller answers). */
#define CONSOLE_STATUS_REFUSED 126
int console_execute_restricted(struct console_output *out, char *line, bool may_change_state);

/* For commands: whether word is a (non-empty) prefix of name, iproute2's abbreviations. */
int console_word_matches(const char *word, const char *name);

#endif
