/* console_drops.c - `drops [-a]`, keel's dropwatch: every drop reason of
 * every layer (net/core/drop.h) with its count since boot and since the
 * caller's previous `drops` (the serial console and the management port
 * each have their own), one row each; rows still at zero are hidden unless -a.
 * The layer is the X-macro list the reason comes from, printed lower case. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/core/drop.h"

/* One history per caller kind (kernel/console/command.h): the console's and the management port's. */
static uint64_t counts_at_last_call[CONSOLE_CALLER_KINDS][NET_DROP_REASON_TOTAL];

static void lower_case(const char *text, char *out, size_t size)
{
	size_t i = 0;
	for (; text[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)text[i]);
	out[i] = '\0';
}

static int drops_command(struct console_output *out, int argc, char **argv)
{
	bool all = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-a") == 0) {
			all = true;
		} else {
			console_printf(out, "drops: unknown option '%s' (usage: drops [-a])\n", argv[i]);
			return 1;
		}
	}
	console_printf(out, "%-16s %-36s %12s %12s\n", "LAYER", "REASON", "TOTAL", "SINCE_LAST");
	uint64_t *last = counts_at_last_call[console_history_slot(out)];
	uint64_t total = 0, since_last = 0;
	for (unsigned reason = NET_DROP_NONE + 1; reason < NET_DROP_REASON_TOTAL; reason++) {
		uint64_t count = net_drop_count((enum net_drop_reason)reason);
		uint64_t delta = count - last[reason];
		last[reason] = count;
		total += count;
		since_last += delta;
		if (count == 0 && !all)
			continue;
		char layer[24];
		lower_case(net_drop_layer_name(net_drop_reason_layer((enum net_drop_reason)reason)), layer, sizeof(layer));
		console_printf(out, "%-16s %-36s %12llu %12llu\n", layer, net_drop_reason_name((enum net_drop_reason)reason),
			       (unsigned long long)count, (unsigned long long)delta);
	}
	console_printf(out, "%-16s %-36s %12llu %12llu\n", "total", "", (unsigned long long)total,
		       (unsigned long long)since_last);
	return 0;
}
CONSOLE_COMMAND("drops", "drops [-a]: every drop reason's count since boot and since the last call", drops_command);
