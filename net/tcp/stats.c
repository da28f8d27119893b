/* stats.c - TCP's counters (net/tcp/stats.h), their printing, and
 * tcp_init. TCP's lines, printed in the netdev block (keel.stats=, shutdown,
 * panic: registered as a section of it, with TCP's drops among every
 * layer's there) and, with `keel.tcp.stats=<seconds>`, in a block of their
 * own that tools parse (tests/qemu/tcp_stats.py; they take the latest
 * complete block):
 *     tcp stats #N at T s
 *     tcp: active_opens=... (five counters a line)
 *     tcp: states LISTEN=... ESTABLISHED=...
 *     drops: tcp_truncated=... (TCP's reasons only, five a line)
 *     tcp stats end #N */
#include "net/tcp/internal.h"
#include "net/tcp/tcp.h"

#include "kernel/core/cmdline.h"
#include "net/core/stats_print.h"
#include "net/tcp/congestion.h"
#include "net/tcp/sysctl.h"

CMDLINE_KEY("keel.tcp.stats", "print TCP counters every <seconds> (default 0: never)");

#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

uint64_t tcp_counters[TCP_COUNTER_COUNT];

#define COUNTER_NAME(constant, name) [constant] = #name,
static const char *const counter_names[] = { TCP_COUNTERS(COUNTER_NAME) };
_Static_assert(ARRAY_LENGTH(counter_names) == TCP_COUNTER_COUNT, "every TCP counter has a name");

/* The "tcp:" counter lines and the "tcp: states" line. */
static void print_counters(void)
{
	struct stats_line line;
	stats_line_start(&line, "tcp:");
	for (unsigned i = 0; i < TCP_COUNTER_COUNT; i++)
		stats_line_add(&line, counter_names[i], tcp_counters[i]);
	stats_line_finish(&line);
	stats_line_start(&line, "tcp: states");
	stats_line_add(&line, "connections", tcp_table_count());
	for (unsigned state = TCP_LISTEN; state < TCP_STATE_COUNT; state++)
		stats_line_add(&line, tcp_state_name(state), tcp_state_count(state));
	stats_line_finish(&line);
}

static struct stats_section netdev_block_section = { .print = print_counters };
static struct stats_periodic periodic_stats;
static unsigned blocks_printed;

static void print_block(void)
{
	unsigned block = stats_block_begin("tcp", &blocks_printed);
	print_counters();
	net_drop_print_layer(NET_DROP_LAYER_TCP);
	stats_block_end("tcp", block);
}

void tcp_init(void)
{
	static bool initialized;
	if (initialized)
		return;
	initialized = true;
	tcp_sysctl_init();
	tcp_secrets_init();
	tcp_congestion_default();
	stats_section_register(&netdev_block_section);
	stats_periodic_start(&periodic_stats, "keel.tcp.stats", print_block);
}
