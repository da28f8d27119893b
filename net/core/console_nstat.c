/* console_nstat.c - `nstat` as iproute2's: the SNMP counters (every
 * NET_MIB entry, net/core/mib.h) that changed since the previous nstat,
 * "#kernel" then "%-32s%-16llu%6.1f" rows (name, delta, rate per second
 * over the interval). -a prints the values since boot, -z the zero rows
 * too, -s does not update the history, -r resets it; words that are not
 * options select counters whose names start with them. The history is the
 * caller's: the serial console's and the management port's are apart. */
#include <stdbool.h>
#include <string.h>

#include "kernel/console/command.h"
#include "kernel/time/clock.h"
#include "net/core/mib.h"

#define NSTAT_ENTRIES_MAX 128
#define NSTAT_PATTERNS_MAX 8

extern const struct net_mib_entry __start_net_mibs[];
extern const struct net_mib_entry __stop_net_mibs[];

/* One history per caller kind (kernel/console/command.h), as Linux's nstat keeps one per user. */
static uint64_t history[CONSOLE_CALLER_KINDS][NSTAT_ENTRIES_MAX];
static uint64_t history_ns[CONSOLE_CALLER_KINDS];

struct nstat_options {
	bool absolute, zeros, keep_history, reset;
	const char *patterns[NSTAT_PATTERNS_MAX];
	int pattern_count;
};

static bool selected(const struct nstat_options *options, const char *name)
{
	if (options->pattern_count == 0)
		return true;
	for (int i = 0; i < options->pattern_count; i++)
		if (strncmp(name, options->patterns[i], strlen(options->patterns[i])) == 0)
			return true;
	return false;
}

static int parse_options(struct console_output *out, int argc, char **argv, struct nstat_options *options)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			if (options->pattern_count < NSTAT_PATTERNS_MAX)
				options->patterns[options->pattern_count++] = argv[i];
			continue;
		}
		for (const char *flag = argv[i] + 1; *flag; flag++) {
			if (*flag == 'a') options->absolute = true;
			else if (*flag == 'z') options->zeros = true;
			else if (*flag == 's') options->keep_history = true;
			else if (*flag == 'r') options->reset = true;
			else {
				console_printf(out, "nstat: invalid option -- '%c'\nUsage: nstat [-a] [-z] [-s] [-r] [PATTERN...]\n",
					       *flag);
				return -1;
			}
		}
	}
	return 0;
}

static int nstat_command(struct console_output *out, int argc, char **argv)
{
	struct nstat_options options = { 0 };
	if (parse_options(out, argc, argv, &options) != 0)
		return 1;
	unsigned slot = console_history_slot(out);
	uint64_t *last = history[slot];
	uint64_t now = clock_monotonic_ns();
	uint64_t interval_ms = (now - history_ns[slot]) / NSEC_PER_MSEC;
	if (options.reset)
		memset(last, 0, sizeof(history[slot]));
	console_puts(out, "#kernel\n");
	unsigned index = 0;
	for (const struct net_mib_entry *entry = __start_net_mibs; entry < __stop_net_mibs && index < NSTAT_ENTRIES_MAX;
	     entry++, index++) {
		uint64_t value = net_mib_value(entry);
		uint64_t delta = value - last[index];
		uint64_t shown = options.absolute ? value : delta;
		if (!options.keep_history)
			last[index] = value;
		if ((shown == 0 && !options.zeros) || !selected(&options, entry->name))
			continue;
		/* nstat's rate: per second over the interval, one decimal. */
		uint64_t rate_tenths = interval_ms ? delta * 10000 / interval_ms : 0;
		console_printf(out, "%-32s%-16llu%4llu.%llu\n", entry->name, (unsigned long long)shown,
			       (unsigned long long)(rate_tenths / 10), (unsigned long long)(rate_tenths % 10));
	}
	if (!options.keep_history)
		history_ns[slot] = now;
	return 0;
}
CONSOLE_COMMAND("nstat", "nstat [-a] [-z] [-s] [-r] [PATTERN...]: SNMP counters changed since the last call", nstat_command);
