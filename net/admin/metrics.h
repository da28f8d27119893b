/* metrics.h - how /metrics is generated (net/admin/metrics.c): a list of
 * sources, each a function that writes one numbered item of the
 * Prometheus text exposition format 0.0.4 (a family's "# HELP"/"# TYPE"
 * lines before its first sample, then samples) and answers false past its
 * last item. The generator calls them in order while the buffer has room
 * for one more item (METRICS_ITEM_MAX), so the body is produced in pieces
 * as the socket takes them, whatever its total size. Sources read the
 * stack's registries (net/admin/metrics_sources.c); none keeps a list of
 * its own. */
#ifndef KEEL_NET_ADMIN_METRICS_H
#define KEEL_NET_ADMIN_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most one item writes: a few families, or one family and ~40 samples. */
#define METRICS_ITEM_MAX 4096

struct metrics_writer {
	char *text;
	size_t used, capacity;
};

typedef bool (*metrics_source)(struct metrics_writer *writer, unsigned item);

extern const metrics_source admin_metrics_sources[];
extern const unsigned admin_metrics_source_count;

__attribute__((format(printf, 2, 3))) void metrics_printf(struct metrics_writer *writer, const char *format, ...);
/* "# HELP name help" and "# TYPE name type" (counter, gauge, untyped). */
void metrics_family(struct metrics_writer *writer, const char *name, const char *type, const char *help);
/* "name{labels} value"; labels "" for none, else 'device="eth0"'. */
void metrics_sample(struct metrics_writer *writer, const char *name, const char *labels, uint64_t value);
/* A family of one sample without labels. */
void metrics_single(struct metrics_writer *writer, const char *name, const char *type, const char *help, uint64_t value);

#endif
