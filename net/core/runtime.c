/* runtime.c - the packet pool, driver probes and the kernel loop's device
 * work (contract in net/core/runtime.h). */
#include "net/core/runtime.h"

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/loop.h"
#include "net/core/netdev.h"
#include "net/core/netdev_driver.h"
#include "net/core/netdev_internal.h"
#include "net/core/pkt.h"

CMDLINE_KEY("keel.pkts", "packet buffers in the pool (default 1024, fewer when that would take over half the free memory)");

#define PKT_POOL_MAX 65536

int net_core_init(void)
{
	uint64_t pool_size = cmdline_has("keel.pkts") ? cmdline_get_u64("keel.pkts", PKT_POOL_DEFAULT)
						: pkt_pool_size_for_memory();
	if (pool_size > PKT_POOL_MAX) {
		pr_warn("net: keel.pkts=%llu is above the maximum, using %u\n", (unsigned long long)pool_size, PKT_POOL_MAX);
		pool_size = PKT_POOL_MAX;
	}
	if (pkt_pool_init((unsigned)pool_size) != 0)
		return -1;
	netdev_requested_irq_mode(); /* warns about a bad keel.irq= even without devices */
	int devices = (int)netdev_drivers_probe();
	netdev_apply_mtu_cmdline();
	return devices;
}

/* A device in poll mode raises no interrupt, and a finished descriptor does
 * not on every device: both are only noticed by polling again soon. */
static bool devices_want_short_sleep(void)
{
	return netdev_poll_mode_any() || netdev_tx_backlog_any();
}

static struct loop_work device_work = {
	.name = "net devices",
	.run = net_poll,
	.wants_short_sleep = devices_want_short_sleep,
	.work_pending = netdev_poll_scheduled_any,
};

void net_core_start(void)
{
	netdev_stats_init();
	kernel_loop_register(&device_work);
}
