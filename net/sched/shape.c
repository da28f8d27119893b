/* shape.c - keel.shape=<dev>:<rate>[,<dev>:<rate>...]: a token-bucket
 * shaper (net/sched/tbf.h) put in front of each named device's root qdisc
 * at bring-up, and qdisc_shape for it (contract in net/sched/sched.h). */
#include <stdio.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/sched/sched.h"
#include "net/sched/tbf.h"
#include "net/sched/tc_format.h"
#include "net/sched/tc_parse.h"

CMDLINE_KEY("keel.shape", "egress shaper per device: <dev>:<rate>[,<dev>:<rate>...], rate in bit/s "
			  "with kbit|mbit|gbit as tc (e.g. eth0:20mbit)");

#define SHAPE_SPEC_LENGTH 64

int qdisc_shape(struct netdev *dev, uint64_t bits_per_second)
{
	struct qdisc *root = dev->qdisc;
	if (root && root->ops == &tbf_ops)
		return tbf_set_rate(root, bits_per_second);
	if (root == NULL && (root = qdisc_create("pfifo_fast")) == NULL)
		return -1;
	struct qdisc *shaper = tbf_create(bits_per_second, root);
	if (shaper == NULL) {
		if (dev->qdisc != root)
			root->ops->destroy(root);
		return -1;
	}
	dev->qdisc = NULL;   /* the root, its frames included, moves under the shaper */
	netdev_qdisc_attach(dev, shaper);
	return 0;
}

/* One "<dev>:<rate>"; a bad one is warned about and skipped. */
static void apply_spec(const char *spec, size_t length)
{
	char text[SHAPE_SPEC_LENGTH];
	char *colon = NULL;
	if (length < sizeof(text)) {
		memcpy(text, spec, length);
		text[length] = '\0';
		colon = strchr(text, ':');
	}
	if (colon == NULL) {
		pr_warn("keel.shape: \"%.*s\" is not <dev>:<rate>, ignored\n", (int)length, spec);
		return;
	}
	*colon = '\0';
	uint64_t rate;
	struct netdev *dev = netdev_find(text);
	if (dev == NULL)
		pr_warn("keel.shape: no device %s, ignored\n", text);
	else if (tc_parse_rate(colon + 1, &rate) != 0 || rate < TBF_RATE_MIN)
		pr_warn("keel.shape: %s: bad rate \"%s\" (8kbit .. 1000gbit, e.g. 20mbit), not shaped\n", text,
			colon + 1);
	else if (qdisc_shape(dev, rate) != 0)
		pr_warn("%s: no memory for the shaper, not shaped\n", text);
	else {
		char shown[TC_NUMBER_LENGTH];
		tc_format_rate(rate, shown);
		pr_info("%s: shaped to %s, burst %u bytes\n", text, shown, tbf_burst_for_rate(rate));
	}
}

void qdisc_shape_from_cmdline(void)
{
	sched_for_each_cmdline_spec("keel.shape", apply_spec);
}
