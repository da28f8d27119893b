/* netdev_stats.c - the console statistics: a /proc/net/dev table (same
 * header and columns as Linux), then per device the NAPI and driver
 * counters, the packet pool, the heap, packet capture, the sections other
 * layers registered (ARP, TCP's counters and states) and every layer's
 * drop reasons. Printed every
 * keel.stats= seconds and once on shutdown or panic. Each block starts with
 * "netdev stats #N at T s" and ends with "netdev stats end #N" so tools can
 * pick the latest complete one (net/core/stats_print.h). */
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/panic.h"
#include "kernel/mm/heap.h"
#include "net/core/capture.h"
#include "net/core/console_link.h"
#include "net/core/drop.h"
#include "net/core/stats_print.h"

CMDLINE_KEY("keel.stats", "print the network statistics every <seconds> (default 0: only on shutdown/panic)");

static unsigned blocks_printed;
static struct stats_periodic periodic_stats;

/* The /proc/net/dev table, the same rows `cat /proc/net/dev` prints. */
static void print_table(void)
{
	netdev_console_print_proc_net_dev(&console_printk_output);
}

static void print_device_counters(struct netdev *dev)
{
	printk(LOG_ALWAYS, "%s: %s irq %s link %s napi interrupts=%llu polls=%llu budget_exhausted=%llu\n",
	       dev->name, dev->driver_name, netdev_irq_mode_name(dev->irq_mode), dev->link_up ? "up" : "down",
	       (unsigned long long)dev->interrupts, (unsigned long long)dev->polls,
	       (unsigned long long)dev->polls_budget_exhausted);
	const struct netdev_tx_queue_limits *limits = &dev->tx_limits;
	printk(LOG_ALWAYS,
	       "%s: tx software_gso=%llu tx_stop=%llu tx_stop_bql=%llu tx_wake=%llu bql_limit=%u bql_inflight=%u "
	       "bql_miscounted=%llu\n",
	       dev->name, (unsigned long long)dev->tx_segmented_in_software, (unsigned long long)limits->ring_stops,
	       (unsigned long long)limits->limit_stops, (unsigned long long)limits->wakes, limits->dql.limit,
	       dql_in_flight(&limits->dql), (unsigned long long)limits->miscounted_bytes);
	char prefix[NETDEV_NAME_LENGTH + 8];
	snprintf(prefix, sizeof(prefix), "%s: driver", dev->name);
	struct stats_line line;
	stats_line_start(&line, prefix);
	for (unsigned i = 0; i < dev->driver_counter_count; i++)
		stats_line_add(&line, dev->driver_counters[i].name, *dev->driver_counters[i].value);
	stats_line_finish(&line);
}

/* The kernel heap the stack, its sockets and the app allocate from
 * (kernel/mm/heap.h): a soak (tests/soak) compares bytes_in_use at the end
 * with its level after boot to find leaks. */
static void print_heap(void)
{
	struct heap_stats heap = heap_get_stats();
	struct stats_line line;
	stats_line_start(&line, "heap:");
	stats_line_add(&line, "bytes_in_use", heap.bytes_in_use);
	stats_line_add(&line, "allocations", heap.allocations);
	stats_line_add(&line, "frees", heap.frees);
	stats_line_add(&line, "failures", heap.failures);
	stats_line_add(&line, "pages_held", heap.pages_held);
	stats_line_finish(&line);
}

/* Packet capture (net/core/capture.h, the management port's /pcap). */
static void print_capture(void)
{
	struct capture_stats capture;
	capture_get_stats(&capture);
	struct stats_line line;
	stats_line_start(&line, "capture:");
	stats_line_add(&line, "sessions", capture.sessions);
	stats_line_add(&line, "frames_captured", capture.frames_captured);
	stats_line_add(&line, "frames_dropped", capture.frames_dropped);
	stats_line_add(&line, "frames_malformed", capture.frames_malformed);
	stats_line_add(&line, "buffer_failures", capture.buffer_failures);
	stats_line_finish(&line);
}

static void print_stack_counters(void)
{
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	printk(LOG_ALWAYS, "pkt pool: total=%u free=%u low_water=%u allocations=%llu alloc_failures=%llu\n",
	       pool.total, pool.free, pool.low_water, (unsigned long long)pool.allocations,
	       (unsigned long long)pool.alloc_failures);
	print_heap();
	print_capture();
	stats_sections_print();
	net_drop_print();
}

static void netdev_print_stats(void)
{
	unsigned block = stats_block_begin("netdev", &blocks_printed);
	print_table();
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		print_device_counters(dev);
	print_stack_counters();
	stats_block_end("netdev", block);
}

void netdev_stats_init(void)
{
	panic_notifier_register(netdev_print_stats);
	stats_periodic_start(&periodic_stats, "keel.stats", netdev_print_stats);
}
