/* stats_print.h - the one way the stack prints its counters on the console,
 * shared by the netdev block (net/core/netdev_stats.c: every keel.stats=
 * seconds, on shutdown and on panic), the tcp block (keel.tcp.stats=) and
 * the drop reasons (net/core/drop.c). Tests parse this output
 * (tests/qemu/netharness.py, tcp_stats.py), so its shapes are fixed:
 *
 *     <title> stats #N at S.mmm s          stats_block_begin
 *     <prefix> name=value name=value ...   stats_line_*: five pairs a line
 *     <title> stats end #N                 stats_block_end
 *
 * Layers above the core add their lines to the netdev block by registering
 * a stats_section (TCP's counters), so the core never calls up into them. */
#ifndef KEEL_NET_STATS_PRINT_H
#define KEEL_NET_STATS_PRINT_H

#include <stdint.h>

#include "kernel/time/timer.h"

#define STATS_COUNTERS_PER_LINE 5
#define STATS_LINE_LENGTH 256   /* prefix + five " name=value" with 24-character names and 20-digit values */

/* "<prefix> name=value ..." lines: start, add any number, finish. A line
 * is printed when it holds five pairs and at finish; no pairs, no line. */
struct stats_line {
	char text[STATS_LINE_LENGTH];
	int length;
	unsigned count;
	const char *prefix;
};

void stats_line_start(struct stats_line *line, const char *prefix);
void stats_line_add(struct stats_line *line, const char *name, uint64_t value);
void stats_line_finish(struct stats_line *line);

/* "<title> stats #N at S.mmm s" with N = ++*blocks_printed; returns N for
 * stats_block_end's "<title> stats end #N". */
unsigned stats_block_begin(const char *title, unsigned *blocks_printed);
void stats_block_end(const char *title, unsigned block);

/* Calls print every <key>=seconds (0 or absent: never; above a day: a day,
 * with a warning). periodic is the caller's (static) storage. */
struct stats_periodic {
	struct timer timer;
	uint64_t interval_ns;
	void (*print)(void);
};
void stats_periodic_start(struct stats_periodic *periodic, const char *key, void (*print)(void));

/* Lines a layer adds to the netdev block, after the core's counters and
 * before the drop reasons; registered once at the layer's init. */
struct stats_section {
	void (*print)(void);
	struct stats_section *next;   /* owned by stats_print.c */
};
void stats_section_register(struct stats_section *section);
void stats_sections_print(void);

#endif
