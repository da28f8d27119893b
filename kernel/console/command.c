/* command.c - splitting a console line and finding its command (contract
 * in kernel/console/command.h); `help`. */
#include "kernel/console/command.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/line_editor.h"
#include "kernel/console/printk.h"

extern const struct console_command __start_console_commands[];
extern const struct console_command __stop_console_commands[];

#define FORMAT_BUFFER 512
#define COMMAND_WORDS_MAX 4
#define STATUS_NOT_FOUND 127
#define STATUS_USAGE 2

void console_vprintf(struct console_output *out, const char *format, va_list arguments)
{
	char text[FORMAT_BUFFER];
	va_list copy;
	va_copy(copy, arguments);
	int length = vsnprintf(text, sizeof(text), format, copy);
	va_end(copy);
	if (length < 0)
		return;
	if ((size_t)length < sizeof(text)) {
		out->write(out->context, text, (size_t)length);
		return;
	}
	/* Longer than the stack buffer: print the part that fits and say so
	 * rather than lose the line silently. */
	out->write(out->context, text, sizeof(text) - 1);
	out->write(out->context, "...\n", 4);
}

static void printk_write(void *context, const char *text, size_t length)
{
	(void)context;
	printk(LOG_ALWAYS, "%.*s", (int)length, text);
}

struct console_output console_printk_output = { printk_write, NULL, CONSOLE_CALLER_SERIAL };

void console_printf(struct console_output *out, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	console_vprintf(out, format, arguments);
	va_end(arguments);
}

void console_puts(struct console_output *out, const char *text)
{
	out->write(out->context, text, strlen(text));
}

int console_word_matches(const char *word, const char *name)
{
	size_t length = strlen(word);
	return length > 0 && strncmp(word, name, length) == 0;
}

/* How many of entry's name words the line's words match (options skipped
 * after the first), 0 for none; *next is the index after the last match. */
static int match_words(const struct console_command *entry, int argc, char **argv, int *next)
{
	const char *name = entry->name;
	int matched = 0, index = 0;
	while (*name) {
		size_t length = strcspn(name, " ");
		if (matched > 0)
			while (index < argc && argv[index][0] == '-')
				index++;
		if (index >= argc)
			return 0;
		bool same = strlen(argv[index]) == length && strncmp(argv[index], name, length) == 0;
		bool abbreviated = matched > 0 && strlen(argv[index]) <= length &&
				   strncmp(argv[index], name, strlen(argv[index])) == 0;
		if (!same && !abbreviated)
			return 0;
		matched++;
		index++;
		name += length;
		while (*name == ' ')
			name++;
	}
	*next = index;
	return matched;
}

static const struct console_command *find_command(int argc, char **argv, int *next)
{
	const struct console_command *best = NULL;
	int best_words = 0;
	for (const struct console_command *entry = __start_console_commands; entry < __stop_console_commands; entry++) {
		int after = 0;
		int words = match_words(entry, argc, argv, &after);
		if (words > best_words) {
			best = entry;
			best_words = words;
			*next = after;
		}
	}
	return best;
}

/* argv for the command: the last matched word, the options typed between
 * the name's words, then everything after the name. */
static int command_arguments(int argc, char **argv, int next, char **out)
{
	int count = 0;
	out[count++] = argv[next - 1];
	for (int i = 1; i < next - 1; i++)
		if (argv[i][0] == '-')
			out[count++] = argv[i];
	for (int i = next; i < argc; i++)
		out[count++] = argv[i];
	out[count] = NULL;
	return count;
}

int console_execute(struct console_output *out, char *line)
{
	return console_execute_restricted(out, line, true);
}

int console_execute_restricted(struct console_output *out, char *line, bool may_change_state)
{
	char *words[CONSOLE_ARGUMENTS_MAX + 1];
	const char *error = NULL;
	int count = console_split_arguments(line, words, CONSOLE_ARGUMENTS_MAX, &error);
	if (count < 0) {
		console_printf(out, "-keel: %s\n", error);
		return STATUS_USAGE;
	}
	if (count == 0)
		return 0;
	int next = 0;
	const struct console_command *command = find_command(count, words, &next);
	if (!command) {
		console_printf(out, "-keel: %s: command not found\n", words[0]);
		return STATUS_NOT_FOUND;
	}
	char *arguments[CONSOLE_ARGUMENTS_MAX + 1];
	int argument_count = command_arguments(count, words, next, arguments);
	if (!may_change_state && command->changes_state && command->changes_state(argument_count, arguments))
		return CONSOLE_STATUS_REFUSED;
	return command->run(out, argument_count, arguments);
}

int console_execute_text(struct console_output *out, const char *line)
{
	char copy[CONSOLE_LINE_MAX];
	snprintf(copy, sizeof(copy), "%s", line);
	return console_execute(out, copy);
}

static int help_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_puts(out, "keel console commands (output as the Linux tool of the same name):\n");
	/* In name order (a selection over the table: the linker's order is the files'). */
	const struct console_command *previous = NULL;
	for (;;) {
		const struct console_command *next = NULL;
		for (const struct console_command *entry = __start_console_commands; entry < __stop_console_commands; entry++)
			if ((!previous || strcmp(entry->name, previous->name) > 0) && (!next || strcmp(entry->name, next->name) < 0))
				next = entry;
		if (!next)
			return 0;
		console_printf(out, "  %-18s %s\n", next->name, next->help);
		previous = next;
	}
}
CONSOLE_COMMAND("help", "this list", help_command);
