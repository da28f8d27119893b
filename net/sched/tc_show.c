/* tc_show.c - `tc [-s] qdisc show [dev ethN]` in iproute2's layout
 * (tc_qdisc.c print_qdisc, tc_util.c print_tcstats_attr; contract in
 * net/sched/sched.h):
 *
 *   qdisc fq_codel 0: [dev eth0 ]root refcnt 2 <options>
 *    Sent B bytes P pkt (dropped D, overlimits O requeues R)
 *    backlog Sb Np requeues R
 *   <the qdisc's extended statistics lines>
 *
 * A device without a qdisc shows Linux's noqueue. */
#include <stdio.h>
#include <string.h>

#include "net/sched/sched.h"
#include "net/sched/tc_format.h"

#define TC_LINE_LENGTH 512

static void show_statistics(const struct qdisc *qdisc, tc_output output, void *context)
{
	static const struct qdisc_stats none;
	const struct qdisc_stats *stats = qdisc ? &qdisc->stats : &none;
	char text[TC_LINE_LENGTH], backlog[TC_NUMBER_LENGTH];
	tc_format_size(stats->backlog_bytes, backlog);
	snprintf(text, sizeof(text),
		 " Sent %llu bytes %llu pkt (dropped %llu, overlimits %llu requeues %llu) \n"
		 " backlog %s %up requeues %llu\n",
		 (unsigned long long)stats->bytes, (unsigned long long)stats->packets, (unsigned long long)stats->drops,
		 (unsigned long long)stats->overlimits, (unsigned long long)stats->requeues, backlog,
		 stats->backlog_packets, (unsigned long long)stats->requeues);
	output(context, text);
	if (qdisc == NULL)
		return;
	qdisc->ops->format_extended_stats(qdisc, text, sizeof(text));
	if (text[0])
		output(context, text);
}

/* "qdisc <kind> <handle> [dev <name> ]<place> <options>": the root is
 * "0:" alone, "1:" with a child, which is "10: parent 1:1" (the handles of
 * `tc qdisc add dev eth0 root handle 1: tbf ...; tc qdisc add dev eth0
 * parent 1:1 handle 10: fq_codel`). */
static void show_qdisc(const struct netdev *dev, const struct qdisc *qdisc, const char *handle, const char *place,
		       bool with_name, bool statistics, tc_output output, void *context)
{
	char options[TC_LINE_LENGTH] = "", text[TC_LINE_LENGTH + 64];
	if (qdisc)
		qdisc->ops->format_options(qdisc, options, sizeof(options));
	const char *kind = qdisc ? qdisc->ops->id : "noqueue";
	snprintf(text, sizeof(text), "qdisc %s %s %s%s%s%s %s\n", kind, handle, with_name ? "dev " : "",
		 with_name ? dev->name : "", with_name ? " " : "", place, options);
	output(context, text);
	if (statistics)
		show_statistics(qdisc, output, context);
}

static void show_device(const struct netdev *dev, bool with_name, bool statistics, tc_output output, void *context)
{
	const struct qdisc *qdisc = dev->qdisc;
	const struct qdisc *child = qdisc && qdisc->ops->child ? qdisc->ops->child(qdisc) : NULL;
	show_qdisc(dev, qdisc, child ? "1:" : "0:", "root refcnt 2", with_name, statistics, output, context);
	if (child)
		show_qdisc(dev, child, "10:", "parent 1:1", with_name, statistics, output, context);
}

int tc_qdisc_show(const char *device_name, bool statistics, tc_output output, void *context)
{
	bool found = false;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (device_name && strcmp(dev->name, device_name) != 0)
			continue;
		show_device(dev, device_name == NULL, statistics, output, context);
		found = true;
	}
	if (device_name && !found) {
		char text[NETDEV_NAME_LENGTH + 64];
		snprintf(text, sizeof(text), "Cannot find device \"%s\"\n", device_name);
		output(context, text);
		return -1;
	}
	return 0;
}
