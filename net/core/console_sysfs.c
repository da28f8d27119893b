/* console_sysfs.c - the /sys/class/net files keel has, read with `cat` and
 * written with `echo VALUE > FILE` as on Linux: each device's byte queue
 * limits (net/core/netdev_bql.c), Linux's
 * /sys/class/net/<dev>/queues/tx-0/byte_queue_limits/{hold_time,inflight,
 * limit,limit_max,limit_min} (net/core/net-sysfs.c: bytes, hold_time in
 * milliseconds; inflight is read-only; a write takes a decimal number or
 * "max", DQL_MAX_LIMIT). keel has one TX queue per device: tx-0.
 * Any other path is "No such file or directory", as in a shell. */
#include <stdlib.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/core/netdev.h"

#define SYSFS_NET "/sys/class/net/"
#define BQL_DIRECTORY "/queues/tx-0/byte_queue_limits/"

enum bql_file { BQL_HOLD_TIME, BQL_INFLIGHT, BQL_LIMIT, BQL_LIMIT_MAX, BQL_LIMIT_MIN, BQL_FILE_COUNT };
static const char *const bql_file_names[BQL_FILE_COUNT] = { "hold_time", "inflight", "limit", "limit_max",
							     "limit_min" };

/* The device and file path names, or NULL when it names no such file. */
static struct netdev *parse_path(const char *path, enum bql_file *file)
{
	size_t prefix = strlen(SYSFS_NET);
	if (strncmp(path, SYSFS_NET, prefix) != 0)
		return NULL;
	const char *name = path + prefix;
	const char *rest = strchr(name, '/');
	if (!rest || rest == name || (size_t)(rest - name) >= NETDEV_NAME_LENGTH)
		return NULL;
	if (strncmp(rest, BQL_DIRECTORY, strlen(BQL_DIRECTORY)) != 0)
		return NULL;
	const char *leaf = rest + strlen(BQL_DIRECTORY);
	for (unsigned i = 0; i < BQL_FILE_COUNT; i++) {
		if (strcmp(leaf, bql_file_names[i]) == 0) {
			char device[NETDEV_NAME_LENGTH];
			memcpy(device, name, (size_t)(rest - name));
			device[rest - name] = '\0';
			*file = (enum bql_file)i;
			return netdev_find(device);
		}
	}
	return NULL;
}

static uint64_t read_file(const struct netdev *dev, enum bql_file file)
{
	const struct dql *dql = &dev->tx_limits.dql;
	switch (file) {
	case BQL_HOLD_TIME: return dql->hold_time_ms;
	case BQL_INFLIGHT: return dql_in_flight(dql);
	case BQL_LIMIT: return dql->limit;
	case BQL_LIMIT_MAX: return dql->limit_max;
	case BQL_LIMIT_MIN: return dql->limit_min;
	default: return 0;
	}
}

/* cat FILE...: each file's value on its line; a missing one is reported
 * and the rest still printed, status 1 as coreutils. */
static int cat_command(struct console_output *out, int argc, char **argv)
{
	int status = 0;
	for (int i = 1; i < argc; i++) {
		enum bql_file file;
		struct netdev *dev = parse_path(argv[i], &file);
		if (!dev) {
			console_printf(out, "cat: %s: No such file or directory\n", argv[i]);
			status = 1;
			continue;
		}
		console_printf(out, "%llu\n", (unsigned long long)read_file(dev, file));
	}
	return status;
}
CONSOLE_COMMAND("cat", "cat /sys/class/net/DEV/queues/tx-0/byte_queue_limits/FILE: byte queue limits", cat_command);

static bool parse_value(const char *text, uint64_t *value)
{
	if (strcmp(text, "max") == 0) {
		*value = DQL_MAX_LIMIT;
		return true;
	}
	if (text[0] < '0' || text[0] > '9')
		return false;
	char *end;
	unsigned long long parsed = strtoull(text, &end, 10);
	*value = parsed;
	return *end == '\0';
}

static bool write_file(struct netdev *dev, enum bql_file file, uint64_t value)
{
	struct dql *dql = &dev->tx_limits.dql;
	switch (file) {
	case BQL_HOLD_TIME: return dql_set_hold_time(dql, value);
	case BQL_LIMIT: return dql_set_limit(dql, value);
	case BQL_LIMIT_MAX: return dql_set_limit_max(dql, value);
	case BQL_LIMIT_MIN: return dql_set_limit_min(dql, value);
	default: return false;
	}
}

/* Where `>` sends the output: the word after a lone ">", or the rest of
 * a ">FILE" word; NULL without a redirection. *words: the echoed words. */
static const char *redirection(int argc, char **argv, int *words)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], ">") == 0) {
			*words = i - 1;
			return i + 1 < argc ? argv[i + 1] : "";
		}
		if (argv[i][0] == '>') {
			*words = i - 1;
			return argv[i] + 1;
		}
	}
	*words = argc - 1;
	return NULL;
}

static int redirect_to_file(struct console_output *out, const char *path, int words, char **argv)
{
	if (path[0] == '\0') {
		console_puts(out, "-keel: syntax error near unexpected token `newline'\n");
		return 2;
	}
	enum bql_file file;
	struct netdev *dev = parse_path(path, &file);
	if (!dev) {
		console_printf(out, "-keel: %s: No such file or directory\n", path);
		return 1;
	}
	if (file == BQL_INFLIGHT) {
		console_printf(out, "-keel: %s: Permission denied\n", path);
		return 1;
	}
	uint64_t value;
	if (words != 1 || !parse_value(argv[1], &value) || !write_file(dev, file, value)) {
		console_puts(out, "-keel: echo: write error: Invalid argument\n");
		return 1;
	}
	return 0;
}

/* echo WORDS [> FILE]: prints the words, or writes one value to a file. */
static int echo_command(struct console_output *out, int argc, char **argv)
{
	int words;
	const char *path = redirection(argc, argv, &words);
	if (path)
		return redirect_to_file(out, path, words, argv);
	for (int i = 1; i < argc; i++)
		console_printf(out, "%s%s", i > 1 ? " " : "", argv[i]);
	console_puts(out, "\n");
	return 0;
}

static bool echo_changes_state(int argc, char **argv)
{
	int words;
	return redirection(argc, argv, &words) != NULL;
}
CONSOLE_COMMAND_CHANGING("echo", "echo VALUE > /sys/class/net/DEV/queues/tx-0/byte_queue_limits/FILE: set a limit",
			 echo_command, echo_changes_state);
