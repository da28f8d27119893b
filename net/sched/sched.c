/* sched.c - choosing and attaching each device's root qdisc, and its
 * lines in the stats block (contract in net/sched/sched.h). */
#include "net/sched/sched.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/sysctl.h"
#include "net/core/pkt.h"
#include "net/core/stats_print.h"
#include "net/sched/fq_codel.h"
#include "net/sched/pfifo_fast.h"
#include "net/sched/tbf.h"

CMDLINE_KEY("keel.qdisc", "root qdisc per device: <dev>:<fq_codel|pfifo_fast|pfifo>[ <tc options>][,...], "
			  "quoted with options (default: sysctl.net.core.default_qdisc)");

#define KIND_LENGTH 16
#define SCHED_SPEC_LENGTH 160   /* one "<dev>:<kind> <options>" entry */
#define QDISC_WORDS_MAX 20
#define QDISC_ERROR_LENGTH 80

static char default_qdisc[KIND_LENGTH] = "fq_codel";

static bool default_kind_known(const char *kind)
{
	return strcmp(kind, fq_codel_ops.id) == 0 || strcmp(kind, pfifo_fast_ops.id) == 0;
}

static bool kind_known(const char *kind)
{
	return default_kind_known(kind) || strcmp(kind, pfifo_ops.id) == 0;
}

static bool parse_default_qdisc(const char *text, void *target)
{
	if (!default_kind_known(text))
		return false;
	snprintf(target, KIND_LENGTH, "%s", text);
	return true;
}

static void format_default_qdisc(const void *target, char *out, size_t size)
{
	snprintf(out, size, "%s", (const char *)target);
}

static const struct sysctl_vector default_qdisc_sysctl = {
	default_qdisc, parse_default_qdisc, format_default_qdisc, "fq_codel|pfifo_fast", NULL
};
SYSCTL_VECTOR("net.core.default_qdisc", default_qdisc_sysctl);

struct qdisc *qdisc_create(const char *kind)
{
	if (strcmp(kind, fq_codel_ops.id) == 0) {
		struct fq_codel_parameters parameters;
		fq_codel_default_parameters(&parameters, pkt_pool_get_stats().total);
		return fq_codel_create(&parameters);
	}
	if (strcmp(kind, pfifo_fast_ops.id) == 0)
		return pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT);
	if (strcmp(kind, pfifo_ops.id) == 0)
		return pfifo_create(PFIFO_FAST_LIMIT_DEFAULT);
	return NULL;
}

int qdisc_replace(struct netdev *dev, const char *kind)
{
	struct qdisc *qdisc = qdisc_create(kind);
	if (qdisc == NULL)
		return -1;
	netdev_qdisc_attach(dev, qdisc);
	return 0;
}

int qdisc_replace_child(struct netdev *dev, struct qdisc *child)
{
	struct qdisc *root = dev->qdisc;
	if (root == NULL || root->ops != &tbf_ops)
		return -1;
	tbf_graft(root, child);
	return 0;
}

/* Splits text at spaces into at most max words (in place). */
static int split_words(char *text, char **words, int max)
{
	int count = 0;
	char *cursor = NULL;
	for (char *word = strtok_r(text, " ", &cursor); word && count < max; word = strtok_r(NULL, " ", &cursor))
		words[count++] = word;
	return count;
}

/* The "<kind>[ <options>]" of one keel.qdisc= entry for dev; a bad one is
 * warned about and skipped (the device keeps its qdisc). */
static void apply_spec(struct netdev *dev, char *spec)
{
	char error[QDISC_ERROR_LENGTH], *words[QDISC_WORDS_MAX];
	int count = split_words(spec, words, QDISC_WORDS_MAX);
	struct qdisc *qdisc = qdisc_create_from_words(count, words, error, sizeof(error));
	const char *kept = dev->qdisc ? dev->qdisc->ops->id : "none";
	if (qdisc == NULL && count && !kind_known(words[0]))
		pr_warn("keel.qdisc: unknown qdisc %s (fq_codel|pfifo_fast|pfifo), %s keeps %s\n", words[0], dev->name,
			kept);
	else if (qdisc == NULL)
		pr_warn("keel.qdisc: %s: %s, %s keeps %s\n", dev->name, error, dev->name, kept);
	else
		netdev_qdisc_attach(dev, qdisc);
}

struct spec_walk {
	const char *key, *what;
	void (*apply)(struct netdev *dev, char *spec);
};

/* One "<dev>:<spec>" entry of length bytes at entry. */
static void apply_entry(const struct spec_walk *walk, const char *entry, size_t length)
{
	char text[SCHED_SPEC_LENGTH];
	char *colon = NULL;
	if (length < sizeof(text)) {
		memcpy(text, entry, length);
		text[length] = '\0';
		colon = strchr(text, ':');
	}
	if (colon == NULL) {
		pr_warn("%s: \"%.*s\" is not <dev>:<%s>, ignored\n", walk->key, (int)length, entry, walk->what);
		return;
	}
	*colon = '\0';
	struct netdev *dev = netdev_find(text);
	if (dev == NULL)
		pr_warn("%s: no device %s, ignored\n", walk->key, text);
	else
		walk->apply(dev, colon + 1);
}

static void apply_each_spec(const char *key, const char *value, void *context)
{
	const struct spec_walk *walk = context;
	if (strcmp(key, walk->key) != 0)
		return;
	while (*value) {
		size_t length = strcspn(value, ",");
		if (length)
			apply_entry(walk, value, length);
		value += length;
		if (*value == ',')
			value++;
	}
}

void sched_for_each_cmdline_spec(const char *key, const char *what, void (*apply)(struct netdev *dev, char *spec))
{
	struct spec_walk walk = { key, what, apply };
	cmdline_for_each_prefix(key, apply_each_spec, &walk);
}

/* "eth0: qdisc <kind>[ parent 1:1] name=value...": the child of a shaper
 * says where it hangs, as tc does. */
static void print_qdisc_counters(struct netdev *dev, const struct qdisc *qdisc, const char *place)
{
	char prefix[NETDEV_NAME_LENGTH + KIND_LENGTH + 32];
	snprintf(prefix, sizeof(prefix), "%s: qdisc %s%s", dev->name, qdisc->ops->id, place);
	const struct qdisc_stats *stats = &qdisc->stats;
	struct stats_line line;
	stats_line_start(&line, prefix);
	stats_line_add(&line, "sent_bytes", stats->bytes);
	stats_line_add(&line, "sent_packets", stats->packets);
	stats_line_add(&line, "dropped", stats->drops);
	stats_line_add(&line, "overlimits", stats->overlimits);
	stats_line_add(&line, "requeues", stats->requeues);
	stats_line_add(&line, "backlog_bytes", stats->backlog_bytes);
	stats_line_add(&line, "backlog_packets", stats->backlog_packets);
	struct qdisc_counter counters[QDISC_COUNTERS_MAX];
	unsigned count = qdisc->ops->counters(qdisc, counters, QDISC_COUNTERS_MAX);
	for (unsigned i = 0; i < count; i++)
		stats_line_add(&line, counters[i].name, counters[i].value);
	stats_line_finish(&line);
}

static void print_qdiscs(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (dev->qdisc == NULL)
			continue;
		print_qdisc_counters(dev, dev->qdisc, "");
		if (dev->qdisc->ops->child)
			print_qdisc_counters(dev, dev->qdisc->ops->child(dev->qdisc), " parent 1:1");
	}
}

static struct stats_section qdisc_section = { .print = print_qdiscs };

void qdisc_init(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		if (qdisc_replace(dev, default_qdisc) != 0)
			pr_warn("%s: no memory for qdisc %s, frames go straight to the driver\n", dev->name,
				default_qdisc);
	sched_for_each_cmdline_spec("keel.qdisc", "kind", apply_spec);
	qdisc_shape_from_cmdline();
	stats_section_register(&qdisc_section);
}
