/* netdev_stats.c - the console statistics: a /proc/net/dev table (same
 * header and columns as Linux), then per device the NAPI and driver
 * counters, the packet pool and the stack's drop reasons. Printed every
 * keel.stats= seconds and once on shutdown or panic. Each block starts with
 * "netdev stats #N at T s" and ends with "netdev stats end #N" so tools can
 * pick the latest complete one. */
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/panic.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/drop.h"
#include "net/ethernet/arp.h"

CMDLINE_KEY("keel.stats", "print the network statistics every <seconds> (default 0: only on shutdown/panic)");

#define COUNTERS_PER_LINE 5
#define STATS_LINE_LENGTH 160
#define STATS_INTERVAL_MAX_SECONDS 86400u

static unsigned blocks_printed;
static struct timer stats_timer;
static uint64_t stats_interval_ns;

static void print_table(void)
{
	printk(LOG_ALWAYS, "Inter-|   Receive                                                |  Transmit\n");
	printk(LOG_ALWAYS, " face |bytes    packets errs drop fifo frame compressed multicast|"
			   "bytes    packets errs drop fifo colls carrier compressed\n");
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		const struct netdev_stats *s = &dev->stats;
		printk(LOG_ALWAYS, "%6s:%8llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
		       dev->name, (unsigned long long)s->rx_bytes, (unsigned long long)s->rx_packets,
		       (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
		       (unsigned long long)s->rx_fifo_errors, (unsigned long long)s->rx_frame_errors,
		       (unsigned long long)s->rx_compressed, (unsigned long long)s->rx_multicast,
		       (unsigned long long)s->tx_bytes, (unsigned long long)s->tx_packets,
		       (unsigned long long)s->tx_errors, (unsigned long long)s->tx_dropped,
		       (unsigned long long)s->tx_fifo_errors, (unsigned long long)s->tx_collisions,
		       (unsigned long long)s->tx_carrier_errors, (unsigned long long)s->tx_compressed);
	}
}

/* Prints "<prefix> name=value ..." lines, COUNTERS_PER_LINE to a line. */
struct counter_line {
	char text[STATS_LINE_LENGTH];
	int length;
	unsigned count;
	const char *prefix;
};

static void counter_line_flush(struct counter_line *line)
{
	if (line->count)
		printk(LOG_ALWAYS, "%s\n", line->text);
	line->length = snprintf(line->text, sizeof(line->text), "%s", line->prefix);
	line->count = 0;
}

static void counter_line_add(struct counter_line *line, const char *name, uint64_t value)
{
	if (line->count == COUNTERS_PER_LINE)
		counter_line_flush(line);
	line->length += snprintf(line->text + line->length, sizeof(line->text) - (size_t)line->length, " %s=%llu",
				 name, (unsigned long long)value);
	if (line->length >= (int)sizeof(line->text))
		line->length = (int)sizeof(line->text) - 1;
	line->count++;
}

static void print_device_counters(struct netdev *dev)
{
	printk(LOG_ALWAYS, "%s: %s irq %s link %s napi interrupts=%llu polls=%llu budget_exhausted=%llu\n",
	       dev->name, dev->driver_name, netdev_irq_mode_name(dev->irq_mode), dev->link_up ? "up" : "down",
	       (unsigned long long)dev->interrupts, (unsigned long long)dev->polls,
	       (unsigned long long)dev->polls_budget_exhausted);
	printk(LOG_ALWAYS, "%s: tx backlogged=%llu backlog=%u software_gso=%llu\n", dev->name,
	       (unsigned long long)dev->tx_backlogged, dev->tx_backlog.count,
	       (unsigned long long)dev->tx_segmented_in_software);
	char prefix[NETDEV_NAME_LENGTH + 8];
	snprintf(prefix, sizeof(prefix), "%s: driver", dev->name);
	struct counter_line line = { .prefix = prefix };
	counter_line_flush(&line);
	for (unsigned i = 0; i < dev->driver_counter_count; i++)
		counter_line_add(&line, dev->driver_counters[i].name, *dev->driver_counters[i].value);
	counter_line_flush(&line);
}

static void print_stack_counters(void)
{
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	printk(LOG_ALWAYS, "pkt pool: total=%u free=%u low_water=%u allocations=%llu alloc_failures=%llu\n",
	       pool.total, pool.free, pool.low_water, (unsigned long long)pool.allocations,
	       (unsigned long long)pool.alloc_failures);
	arp_print_stats();
	struct counter_line line = { .prefix = "drops:" };
	counter_line_flush(&line);
	for (unsigned reason = 0; reason < NET_DROP_REASON_COUNT; reason++)
		counter_line_add(&line, net_drop_reason_name(reason), net_drop_count(reason));
	counter_line_flush(&line);
}

void netdev_print_stats(void)
{
	unsigned block = ++blocks_printed;
	uint64_t now = clock_monotonic_ns();
	printk(LOG_ALWAYS, "netdev stats #%u at %llu.%03llu s\n", block, (unsigned long long)(now / NSEC_PER_SEC),
	       (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_MSEC));
	print_table();
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		print_device_counters(dev);
	print_stack_counters();
	printk(LOG_ALWAYS, "netdev stats end #%u\n", block);
}

static void stats_timer_expired(struct timer *timer, void *context)
{
	netdev_print_stats();
	timer_arm(timer, clock_monotonic_ns() + stats_interval_ns);
}

void netdev_stats_init(void)
{
	panic_notifier_register(netdev_print_stats);
	uint64_t seconds = cmdline_get_u64("keel.stats", 0);
	if (seconds == 0)
		return;
	if (seconds > STATS_INTERVAL_MAX_SECONDS) {
		pr_warn("net: keel.stats=%llu is above the maximum, using %u\n", (unsigned long long)seconds,
			STATS_INTERVAL_MAX_SECONDS);
		seconds = STATS_INTERVAL_MAX_SECONDS;
	}
	stats_interval_ns = seconds * NSEC_PER_SEC;
	timer_setup(&stats_timer, stats_timer_expired, NULL);
	timer_arm(&stats_timer, clock_monotonic_ns() + stats_interval_ns);
}
