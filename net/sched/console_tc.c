/* console_tc.c - `tc` on the operator console (kernel/console/command.h):
 * `tc [-s] qdisc show [dev ethN]` in iproute2's layout (tc_show.c) and
 * `tc qdisc replace dev ethN root <kind> [options]` (a shaped device loses
 * its shaper, as on Linux) and `tc qdisc replace dev ethN parent 1:1 <kind>
 * [options]` (the shaper's child, keel.shape=), kinds and options as
 * qdisc_create_from_words (net/sched/qdisc_options.c). */
#include <stdbool.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/core/netdev.h"
#include "net/sched/sched.h"

static void tc_text(void *context, const char *text)
{
	console_puts(context, text);
}

static int qdisc_show(struct console_output *out, bool statistics, int argc, char **argv)
{
	const char *device = NULL;
	if (argc >= 2 && strcmp(argv[0], "dev") == 0)
		device = argv[1];
	return tc_qdisc_show(device, statistics, tc_text, out) == 0 ? 0 : 1;
}

#define TC_ERROR_LENGTH 80

/* tc qdisc replace dev X { root | parent 1:1 } KIND [OPTIONS] */
static int qdisc_replace_command(struct console_output *out, int argc, char **argv)
{
	bool root = argc >= 4 && strcmp(argv[2], "root") == 0;
	bool child = argc >= 5 && strcmp(argv[2], "parent") == 0;
	if ((!root && !child) || strcmp(argv[0], "dev") != 0) {
		console_puts(out, "Usage: tc qdisc replace dev DEV { root | parent 1:1 } fq_codel|pfifo_fast|pfifo "
				  "[OPTIONS]\n");
		return 1;
	}
	struct netdev *dev = netdev_find(argv[1]);
	if (dev == NULL) {
		console_printf(out, "Cannot find device \"%s\"\n", argv[1]);
		return 1;
	}
	if (child && (strcmp(argv[3], "1:1") != 0 || dev->qdisc == NULL || dev->qdisc->ops->child == NULL)) {
		console_printf(out, "Error: Failed to find specified qdisc (%s has no class %s).\n", argv[1], argv[3]);
		return 2;
	}
	int first = root ? 3 : 4;
	char error[TC_ERROR_LENGTH];
	struct qdisc *qdisc = qdisc_create_from_words(argc - first, argv + first, error, sizeof(error));
	if (qdisc == NULL) {
		console_printf(out, "%s%s\n", error[0] == 'S' ? "Error: " : "", error);   /* tc's own words */
		return 2;
	}
	if (root)
		netdev_qdisc_attach(dev, qdisc);
	else
		qdisc_replace_child(dev, qdisc);
	return 0;
}

static int tc_console_command(struct console_output *out, int argc, char **argv)
{
	bool statistics = false;
	int index = 1;
	for (; index < argc && argv[index][0] == '-'; index++) {
		if (strcmp(argv[index], "-s") == 0)
			statistics = true;
		else {
			console_printf(out, "Option \"%s\" is unknown, try \"tc -help\".\n", argv[index]);
			return 255;
		}
	}
	if (index >= argc || !console_word_matches(argv[index], "qdisc")) {
		console_puts(out, "Usage: tc [-s] qdisc show [dev DEV] | tc qdisc replace dev DEV root KIND\n");
		return 255;
	}
	index++;
	if (index >= argc || console_word_matches(argv[index], "show") || console_word_matches(argv[index], "list"))
		return qdisc_show(out, statistics, argc - index - (index < argc), argv + index + (index < argc));
	if (strcmp(argv[index], "replace") == 0)
		return qdisc_replace_command(out, argc - index - 1, argv + index + 1);
	console_printf(out, "Command \"%s\" is unknown, try \"tc qdisc help\".\n", argv[index]);
	return 255;
}
/* `tc qdisc replace` swaps a qdisc; show/list only read. */
static bool tc_changes_state(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "replace") == 0)
			return true;
	return false;
}
CONSOLE_COMMAND_CHANGING("tc", "tc [-s] qdisc [show [dev DEV]] | tc qdisc replace dev DEV { root | parent 1:1 } "
			       "fq_codel [limit N] [target T] [interval I] [quantum Q] [noecn] ... | pfifo [limit N] | pfifo_fast",
			 tc_console_command, tc_changes_state);
