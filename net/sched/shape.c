/* shape.c - keel.shape=<dev>:<rate>[,<dev>:<rate>...]: a token-bucket
 * shaper (net/sched/tbf.h) put in front of each named device's root qdisc
 * at bring-up, and qdisc_shape for it (contract in net/sched/sched.h). */

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/sched/sched.h"
#include "net/sched/tbf.h"
#include "net/sched/tc_format.h"
#include "net/sched/tc_parse.h"

CMDLINE_KEY("keel.shape", "egress shaper per device: <dev>:<rate>[,<dev>:<rate>...], rate in bit/s "
			  "with kbit|mbit|gbit as tc (e.g. eth0:20mbit)");

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

/* The "<rate>" of one keel.shape= entry for dev; a bad one is warned
 * about and skipped. */
static void apply_spec(struct netdev *dev, char *spec)
{
	uint64_t rate;
	if (tc_parse_rate(spec, &rate) != 0 || rate < TBF_RATE_MIN)
		pr_warn("keel.shape: %s: bad rate \"%s\" (8kbit .. 1000gbit, e.g. 20mbit), not shaped\n", dev->name,
			spec);
	else if (qdisc_shape(dev, rate) != 0)
		pr_warn("%s: no memory for the shaper, not shaped\n", dev->name);
	else {
		char shown[TC_NUMBER_LENGTH];
		tc_format_rate(rate, shown);
		pr_info("%s: shaped to %s, burst %u bytes\n", dev->name, shown, tbf_burst_for_rate(rate));
	}
}

void qdisc_shape_from_cmdline(void)
{
	sched_for_each_cmdline_spec("keel.shape", "rate", apply_spec);
}
