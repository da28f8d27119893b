/* net.c - network bring-up (net_init) and the net loop (net_main_loop),
 * contract in net/net.h; net_wait_once (net/socket/sock.h) is one step of that
 * loop for an application blocked in a socket call. */
#include "net/net.h"
#include "net/tcp/tcp.h"

#include "kernel/app/app.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/netdev.h"
#include "net/core/netdev_driver.h"
#include "net/core/netdev_internal.h"
#include "net/core/pkt.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/interface.h"
#include "net/socket/sock.h"
#include "net/socket/socket.h"

CMDLINE_KEY("keel.pkts", "packet buffers in the pool (default 1024)");

#define PKT_POOL_MAX 65536

/* Poll mode's idle sleep. A 256-entry ring of minimum-size frames arriving
 * at 1 Gbit/s line rate (672 ns each) fills in 172 us: waking every 50 us
 * can never let it overflow (a busy poll re-polls at once without sleeping),
 * while costing only 20000 wake-ups a second when idle and adding at most
 * 50 us to a packet's latency. */
#define POLL_MODE_IDLE_NS (50 * NSEC_PER_USEC)

static bool network_ready;

static void print_device(struct netdev *dev)
{
	char address[64];
	net_interface_describe(dev, address, sizeof(address));
	pr_info("%s: %s %02x:%02x:%02x:%02x:%02x:%02x irq %s, %s\n", dev->name, dev->driver_name, dev->mac[0],
		dev->mac[1], dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5], netdev_irq_mode_name(dev->irq_mode),
		address);
}

static void open_devices(void)
{
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (dev->ops->open(dev) != 0) {
			pr_err("%s: open failed, device unused\n", dev->name);
			continue;
		}
		print_device(dev);
		struct net_interface *interface = net_interface_of(dev);
		if (interface)
			arp_announce(interface);
	}
}

void net_init(void)
{
	uint64_t pool_size = cmdline_get_u64("keel.pkts", PKT_POOL_DEFAULT);
	if (pool_size > PKT_POOL_MAX) {
		pr_warn("net: keel.pkts=%llu is above the maximum, using %u\n", (unsigned long long)pool_size, PKT_POOL_MAX);
		pool_size = PKT_POOL_MAX;
	}
	if (pkt_pool_init((unsigned)pool_size) != 0)
		return;
	netdev_requested_irq_mode(); /* warns about a bad keel.irq= even without devices */
	unsigned devices = netdev_drivers_probe();
	if (devices == 0)
		pr_info("net: no network device found\n");
	net_interface_configure();
	open_devices();
	netdev_stats_init();
	/* Secrets, sysctls and timers now rather than on the first segment. */
	tcp_init();
	network_ready = true;
}

/* With interrupts off, nothing can schedule a poll behind our back; sti;hlt
 * then sleeps until the next interrupt (device or timer) without missing one
 * that arrives between the check and the hlt (kernel/arch/x86/cpu.h). */
static void idle(struct timer *poll_timer)
{
	bool short_sleep = netdev_poll_mode_any() || netdev_tx_backlog_any();
	if (short_sleep)
		timer_arm(poll_timer, clock_monotonic_ns() + POLL_MODE_IDLE_NS);
	interrupts_disable();
	bool work_waiting = netdev_poll_scheduled_any() || timer_next_deadline() <= clock_monotonic_ns();
	if (work_waiting)
		interrupts_enable();
	else
		cpu_wait_for_interrupt();
}

/* Both timers only wake the CPU: the work is done by whoever waits. */
static void wake_only(struct timer *timer, void *context)
{
}

static struct timer poll_timer;
static struct timer deadline_timer;
static bool loop_timers_ready;

static void loop_timers_setup(void)
{
	if (loop_timers_ready)
		return;
	timer_setup(&poll_timer, wake_only, NULL);
	timer_setup(&deadline_timer, wake_only, NULL);
	loop_timers_ready = true;
}

/* Devices first, then timers (TCP's retransmissions, the stats printer). */
static unsigned net_step(void)
{
	return net_poll() + timer_run_expired();
}

void net_wait_once(uint64_t deadline_ns)
{
	loop_timers_setup();
	if (net_step() != 0)
		return;
	if (deadline_ns != 0 && deadline_ns <= clock_monotonic_ns())
		return;
	if (deadline_ns != 0)
		timer_arm(&deadline_timer, deadline_ns);
	idle(&poll_timer);
	timer_cancel(&deadline_timer);
	net_step();
}

void net_main_loop(void)
{
	loop_timers_setup();
	if (app_present())
		app_run(); /* does not return */
	socket_announce_ready(network_ready ? "" : " (no network)");
	for (;;) {
		if (net_step() == 0)
			idle(&poll_timer);
	}
}
