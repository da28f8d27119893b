/* sysctl_console.c - `sysctl` on the operator console, as procps' sysctl(8):
 * `sysctl NAME...`, `sysctl -n NAME`, `sysctl -a`, `sysctl -w NAME=VALUE...`
 * (also `sysctl NAME=VALUE`), printing "name = value" and refusing with
 * Linux's messages: an unknown name "sysctl: cannot stat /proc/sys/<path>:
 * No such file or directory", a bad value "sysctl: setting key \"name\":
 * Invalid argument". A value set here is what the code reads from then on;
 * which tunables affect existing sockets and which only new ones is said
 * next to each declaration and in README's "Operating keel". */
#include <stdbool.h>
#include <string.h>

#include "kernel/console/command.h"
#include "kernel/core/sysctl.h"

#define SYSCTL_VALUE_TEXT 96
#define SYSCTL_NAME_TEXT 128

static void print_entry(struct console_output *out, const struct sysctl_integer *entry, bool value_only)
{
	char value[SYSCTL_VALUE_TEXT];
	sysctl_format_value(entry, value, sizeof(value));
	if (value_only)
		console_printf(out, "%s\n", value);
	else
		console_printf(out, "%s = %s\n", entry->name, value);
}

/* sysctl -a lists in name order, as procps walks /proc/sys: each round
 * finds the least name after the last one printed (template instances have
 * no storage to sort, so the table is walked again per line). */
struct next_name {
	const char *after;                 /* NULL: from the start */
	char name[SYSCTL_NAME_TEXT];       /* "": none found yet */
};

static void consider(const struct sysctl_integer *entry, void *context)
{
	struct next_name *next = context;
	if (next->after && strcmp(entry->name, next->after) <= 0)
		return;
	if (next->name[0] == '\0' || strcmp(entry->name, next->name) < 0)
		strlcpy(next->name, entry->name, sizeof(next->name));
}

static void print_all(struct console_output *out, bool value_only)
{
	char previous[SYSCTL_NAME_TEXT];
	struct next_name next = { .after = NULL };
	for (;;) {
		next.name[0] = '\0';
		sysctl_for_each(consider, &next);
		const struct sysctl_integer *entry = next.name[0] ? sysctl_lookup(next.name) : NULL;
		if (!entry)
			return;
		print_entry(out, entry, value_only);
		strlcpy(previous, next.name, sizeof(previous));
		next.after = previous;
	}
}

static void print_missing(struct console_output *out, const char *name)
{
	char path[128];
	strlcpy(path, name, sizeof(path));
	for (char *c = path; *c; c++)
		if (*c == '.')
			*c = '/';
	console_printf(out, "sysctl: cannot stat /proc/sys/%s: No such file or directory\n", path);
}

static int set_one(struct console_output *out, char *assignment, bool value_only)
{
	char *equals = strchr(assignment, '=');
	if (!equals) {
		console_printf(out, "sysctl: \"%s\" must be of the form name=value\n", assignment);
		return 1;
	}
	*equals = '\0';
	const char *value = equals + 1;
	const struct sysctl_integer *entry = sysctl_lookup(assignment);
	if (!entry) {
		print_missing(out, assignment);
		return 1;
	}
	if (*value == '\0' || !sysctl_set_value(entry, value)) {
		console_printf(out, "sysctl: setting key \"%s\": Invalid argument\n", entry->name);
		return 1;
	}
	print_entry(out, entry, value_only);
	return 0;
}

static int sysctl_command(struct console_output *out, int argc, char **argv)
{
	bool write = false, value_only = false, all = false;
	int status = 0, names = 0;
	for (int i = 1; i < argc; i++) {
		const char *word = argv[i];
		if (word[0] == '-') {
			for (const char *flag = word + 1; *flag; flag++) {
				if (*flag == 'w') write = true;
				else if (*flag == 'n') value_only = true;
				else if (*flag == 'a' || *flag == 'A' || *flag == 'X') all = true;
				else {
					console_printf(out, "sysctl: invalid option -- '%c'\n", *flag);
					return 2;
				}
			}
			continue;
		}
		names++;
		if (write || strchr(word, '=')) {
			status |= set_one(out, argv[i], value_only);
			continue;
		}
		const struct sysctl_integer *entry = sysctl_lookup(word);
		if (entry) {
			print_entry(out, entry, value_only);
		} else {
			print_missing(out, word);
			status = 255;
		}
	}
	if (all)
		print_all(out, value_only);
	else if (names == 0)
		console_puts(out, "Usage: sysctl [-n] [-a] [-w] NAME[=VALUE]...\n");
	return status;
}
/* A write is -w or any NAME=VALUE word (sysctl_command writes either). */
static bool sysctl_changes_state(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if ((argv[i][0] == '-' && strchr(argv[i], 'w')) || (argv[i][0] != '-' && strchr(argv[i], '=')))
			return true;
	return false;
}
CONSOLE_COMMAND_CHANGING("sysctl", "sysctl -a | NAME... | -w NAME=VALUE...: tunables at run time", sysctl_command,
			 sysctl_changes_state);
