/* stats_print.c - counter lines, block framing, periodic printing and the
 * sections of the netdev block (net/core/stats_print.h). */
#include "net/core/stats_print.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"

#define STATS_INTERVAL_MAX_SECONDS 86400u

void stats_line_start(struct stats_line *line, const char *prefix)
{
	line->prefix = prefix;
	line->length = snprintf(line->text, sizeof(line->text), "%s", prefix);
	if (line->length >= (int)sizeof(line->text))
		line->length = (int)sizeof(line->text) - 1;
	line->count = 0;
}

void stats_line_finish(struct stats_line *line)
{
	if (line->count)
		printk(LOG_ALWAYS, "%s\n", line->text);
	stats_line_start(line, line->prefix);
}

void stats_line_add(struct stats_line *line, const char *name, uint64_t value)
{
	if (line->count == STATS_COUNTERS_PER_LINE)
		stats_line_finish(line);
	line->length += snprintf(line->text + line->length, sizeof(line->text) - (size_t)line->length, " %s=%llu",
				 name, (unsigned long long)value);
	if (line->length >= (int)sizeof(line->text))
		line->length = (int)sizeof(line->text) - 1;
	line->count++;
}

unsigned stats_block_begin(const char *title, unsigned *blocks_printed)
{
	unsigned block = ++*blocks_printed;
	uint64_t now = clock_monotonic_ns();
	printk(LOG_ALWAYS, "%s stats #%u at %llu.%03llu s\n", title, block, (unsigned long long)(now / NSEC_PER_SEC),
	       (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_MSEC));
	return block;
}

void stats_block_end(const char *title, unsigned block)
{
	printk(LOG_ALWAYS, "%s stats end #%u\n", title, block);
}

static void periodic_expired(struct timer *timer, void *context)
{
	struct stats_periodic *periodic = context;
	periodic->print();
	timer_arm(timer, clock_monotonic_ns() + periodic->interval_ns);
}

void stats_periodic_start(struct stats_periodic *periodic, const char *key, void (*print)(void))
{
	uint64_t seconds = cmdline_get_u64(key, 0);
	if (seconds == 0)
		return;
	if (seconds > STATS_INTERVAL_MAX_SECONDS) {
		pr_warn("net: %s=%llu is above the maximum, using %u\n", key, (unsigned long long)seconds,
			STATS_INTERVAL_MAX_SECONDS);
		seconds = STATS_INTERVAL_MAX_SECONDS;
	}
	periodic->interval_ns = seconds * NSEC_PER_SEC;
	periodic->print = print;
	timer_setup(&periodic->timer, periodic_expired, periodic);
	timer_arm(&periodic->timer, clock_monotonic_ns() + periodic->interval_ns);
}

static struct stats_section *sections;

void stats_section_register(struct stats_section *section)
{
	struct stats_section **tail = &sections;
	while (*tail) {
		if (*tail == section)
			return;          /* registered already */
		tail = &(*tail)->next;
	}
	section->next = NULL;
	*tail = section;
}

void stats_sections_print(void)
{
	for (const struct stats_section *section = sections; section; section = section->next)
		section->print();
}
