/* console_link.c - link-level console commands (contract in
 * net/core/console_link.h). Formats follow iproute2 6.1 (ip/ipaddress.c's
 * link line and print_stats64 column layout), Linux's /proc/net/dev
 * (net/core/net-procfs.c) and ethtool 6.1 (-S "NIC statistics:", -k
 * "Features for ethN:"). */
#include "net/core/console_link.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/mm/heap.h"
#include "kernel/mm/pmm.h"
#include "net/core/pkt.h"
#include "net/core/qdisc.h"

#define IP_LINK_MTU_MIN 68   /* RFC 791: every IPv4 host must take 68-byte datagrams; Linux's ETH_MIN_MTU */

void netdev_console_print_link(struct console_output *out, const struct netdev *dev, bool with_mode)
{
	/* As iproute2: UP is the administrative state; LOWER_UP and state UP
	 * follow the carrier of an up device, NO-CARRIER and state DOWN without;
	 * a device set down shows neither and state DOWN. */
	bool up = !dev->administratively_down;
	bool carrier = up && dev->link_up;
	console_printf(out, "%u: %s: <%sBROADCAST,MULTICAST%s%s> mtu %u qdisc %s state %s %sgroup default qlen %u\n",
		       netdev_index(dev), dev->name, up && !carrier ? "NO-CARRIER," : "", up ? ",UP" : "",
		       carrier ? ",LOWER_UP" : "", dev->mtu, dev->qdisc ? dev->qdisc->ops->id : "noqueue",
		       carrier ? "UP" : "DOWN", with_mode ? "mode DEFAULT " : "", netdev_tx_backlog_limit());
	const uint8_t *mac = dev->mac;
	console_printf(out, "    link/ether %02x:%02x:%02x:%02x:%02x:%02x brd ff:ff:ff:ff:ff:ff\n", mac[0], mac[1], mac[2],
		       mac[3], mac[4], mac[5]);
}

/* iproute2's size_columns: the width a value asks for, counted its way
 * (10 and 100 count one and two digits: its loop stops at the power of ten
 * equal to the value), so that columns match its output byte for byte. */
static unsigned column_width(uint64_t value)
{
	unsigned length = 1;
	for (uint64_t power = 10; power < value && length < 20; power *= 10)
		length++;
	return length;
}

/* iproute2's print_stats64: six right-aligned columns, each at least its
 * base width (the first: strlen("*X errors:")) and as wide as its widest
 * RX/TX value, every value followed by one blank; the header pads an
 * (empty) "compressed" column. */
#define STATS_COLUMNS 6
static void print_stats_rows(struct console_output *out, const struct netdev_stats *s)
{
	static const unsigned base_widths[STATS_COLUMNS] = { 10, 7, 6, 7, 7, 7 };
	const uint64_t rx[STATS_COLUMNS] = { s->rx_bytes, s->rx_packets, s->rx_errors, s->rx_dropped,
					     s->rx_fifo_errors, s->rx_multicast };
	const uint64_t tx[STATS_COLUMNS] = { s->tx_bytes, s->tx_packets, s->tx_errors, s->tx_dropped,
					     s->tx_carrier_errors, s->tx_collisions };
	int width[STATS_COLUMNS];
	for (int i = 0; i < STATS_COLUMNS; i++) {
		unsigned widest = base_widths[i];
		if (column_width(rx[i]) > widest)
			widest = column_width(rx[i]);
		if (column_width(tx[i]) > widest)
			widest = column_width(tx[i]);
		width[i] = (int)widest;
	}
	const char *headers[2][STATS_COLUMNS] = {
		{ "RX", "packets", "errors", "dropped", "missed", "mcast" },
		{ "TX", "packets", "errors", "dropped", "carrier", "collsns" },
	};
	for (int row = 0; row < 2; row++) {
		const uint64_t *values = row == 0 ? rx : tx;
		console_printf(out, "    %s: %*s %*s %*s %*s %*s %*s %10s\n", headers[row][0], width[0] - 4, "bytes",
			       width[1], headers[row][1], width[2], headers[row][2], width[3], headers[row][3], width[4],
			       headers[row][4], width[5], headers[row][5], "");
		console_puts(out, "    ");
		for (int i = 0; i < STATS_COLUMNS; i++)
			console_printf(out, "%*llu ", width[i], (unsigned long long)values[i]);
		console_puts(out, "\n");
	}
}

int netdev_console_named_device(struct console_output *out, int argc, char **argv, struct netdev **dev)
{
	const char *name = NULL;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' && strcmp(argv[i], "show") != 0 && strcmp(argv[i], "list") != 0 &&
		    strcmp(argv[i], "dev") != 0)
			name = argv[i];
	*dev = name ? netdev_find(name) : NULL;
	if (name && !*dev) {
		console_printf(out, "Device \"%s\" does not exist.\n", name);
		return 1;
	}
	return 0;
}

/* ip [-s] link [show [dev] NAME] */
static int ip_link_show(struct console_output *out, int argc, char **argv)
{
	bool statistics = false;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && console_word_matches(argv[i] + 1, "statistics"))
			statistics = true;
	struct netdev *only;
	if (netdev_console_named_device(out, argc, argv, &only) != 0)
		return 1;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		if (only && dev != only)
			continue;
		netdev_console_print_link(out, dev, true);
		if (statistics)
			print_stats_rows(out, &dev->stats);
	}
	return 0;
}

/* ip link set [dev] NAME [up|down] [mtu N]: the drivers' receive buffers
 * take Ethernet's 1500 at most, so that is the device maximum; a new MTU is
 * used by the next route/MSS decision (new TCP connections). A device set
 * down stays open but the stack drops what it receives and what it would
 * send (reason device_down), as a Linux device that is down passes nothing. */
static int ip_link_set(struct console_output *out, int argc, char **argv)
{
	int i = 2;
	if (i < argc && strcmp(argv[i], "dev") == 0)
		i++;
	const char *name = i < argc ? argv[i++] : "";
	struct netdev *dev = netdev_find(name);
	if (!dev) {
		console_printf(out, "Cannot find device \"%s\"\n", name);
		return 1;
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "up") == 0 || strcmp(argv[i], "down") == 0) {
			dev->administratively_down = argv[i][0] == 'd';
			continue;
		}
		if (strcmp(argv[i], "mtu") == 0 && i + 1 < argc) {
			char *end;
			unsigned long mtu = strtoul(argv[++i], &end, 0);
			if (*end != '\0' || end == argv[i]) {
				console_printf(out, "Error: argument \"%s\" is wrong: Invalid \"mtu\" value\n", argv[i]);
				return 1;
			}
			if (mtu < IP_LINK_MTU_MIN || mtu > ETHERNET_MTU) {
				console_printf(out, "Error: mtu %s than device %s.\n", mtu < IP_LINK_MTU_MIN ? "less" : "greater",
					       mtu < IP_LINK_MTU_MIN ? "minimum" : "maximum");
				return 2;
			}
			dev->mtu = (uint32_t)mtu;
			continue;
		}
		console_printf(out, "Error: keel does not support \"ip link set %s\".\n", argv[i]);
		return 2;
	}
	return 0;
}

static int ip_link_command(struct console_output *out, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (strcmp(argv[i], "set") == 0) {
			/* argv[1] is "set" once options are skipped: shift them out */
			return ip_link_set(out, argc - i + 1, argv + i - 1);
		}
		break;
	}
	return ip_link_show(out, argc, argv);
}
/* `ip link set` changes the device; every other form shows. */
static bool ip_link_changes_state(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			return strcmp(argv[i], "set") == 0;
	return false;
}
CONSOLE_COMMAND_CHANGING("ip link", "ip [-s] link [show [dev] NAME] | ip link set [dev] NAME up|down|mtu N", ip_link_command,
			 ip_link_changes_state);

void netdev_console_print_proc_net_dev(struct console_output *out)
{
	console_puts(out, "Inter-|   Receive                                                |  Transmit\n");
	console_puts(out, " face |bytes    packets errs drop fifo frame compressed multicast|"
			  "bytes    packets errs drop fifo colls carrier compressed\n");
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		const struct netdev_stats *s = &dev->stats;
		console_printf(out, "%6s: %7llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu %8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
			       dev->name, (unsigned long long)s->rx_bytes, (unsigned long long)s->rx_packets,
			       (unsigned long long)s->rx_errors, (unsigned long long)s->rx_dropped,
			       (unsigned long long)s->rx_fifo_errors, (unsigned long long)s->rx_frame_errors,
			       (unsigned long long)s->rx_compressed, (unsigned long long)s->rx_multicast,
			       (unsigned long long)s->tx_bytes, (unsigned long long)s->tx_packets,
			       (unsigned long long)s->tx_errors, (unsigned long long)s->tx_dropped,
			       (unsigned long long)s->tx_fifo_errors, (unsigned long long)s->tx_collisions,
			       (unsigned long long)s->tx_carrier_errors, (unsigned long long)s->tx_compressed);
	}
}

static int proc_net_dev_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	netdev_console_print_proc_net_dev(out);
	return 0;
}
CONSOLE_COMMAND("cat /proc/net/dev", "the interfaces' counters, as Linux's /proc/net/dev", proc_net_dev_command);

/* /proc/meminfo's first lines (kB), then keel's packet pool in the same
 * "Name:  value" shape. */
static int proc_meminfo_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct pmm_stats pages = pmm_get_stats();
	struct heap_stats heap = heap_get_stats();
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	console_printf(out, "MemTotal:       %8llu kB\n", (unsigned long long)(pages.managed_pages * 4));
	console_printf(out, "MemFree:        %8llu kB\n", (unsigned long long)(pages.free_pages * 4));
	console_printf(out, "Slab:           %8llu kB\n", (unsigned long long)(heap.pages_held * 4));
	console_printf(out, "PktPoolTotal:   %8u\n", pool.total);
	console_printf(out, "PktPoolFree:    %8u\n", pool.free);
	console_printf(out, "PktPoolLowWater:%8u\n", pool.low_water);
	console_printf(out, "PktAllocFailures:%7llu\n", (unsigned long long)pool.alloc_failures);
	return 0;
}
CONSOLE_COMMAND("cat /proc/meminfo", "memory (kB) and the packet pool", proc_meminfo_command);

static void print_feature(struct console_output *out, const char *name, bool on, const char *detail)
{
	console_printf(out, "%s: %s\n", name, on ? "on" : "off");
	if (detail)
		console_printf(out, "\t%s: %s\n", detail, on ? "on" : "off");
}

static void ethtool_features(struct console_output *out, const struct netdev *dev)
{
	console_printf(out, "Features for %s:\n", dev->name);
	print_feature(out, "rx-checksumming", dev->features & NETDEV_FEATURE_RX_CHECKSUM, NULL);
	print_feature(out, "tx-checksumming", dev->features & NETDEV_FEATURE_TX_CHECKSUM, "tx-checksum-ipv4");
	print_feature(out, "scatter-gather", dev->features & NETDEV_FEATURE_SCATTER_GATHER, "tx-scatter-gather");
	print_feature(out, "tcp-segmentation-offload", netdev_tso_usable(dev), "tx-tcp-segmentation");
	print_feature(out, "generic-segmentation-offload", true, NULL);   /* net/core/gso.c */
	print_feature(out, "generic-receive-offload", false, NULL);
	print_feature(out, "rx-gro-hw", dev->features & NETDEV_FEATURE_RX_GRO_HW, NULL);
}

static void ethtool_statistics(struct console_output *out, const struct netdev *dev)
{
	console_puts(out, "NIC statistics:\n");
	const struct netdev_stats *s = &dev->stats;
	const struct { const char *name; uint64_t value; } common[] = {
		{ "rx_packets", s->rx_packets }, { "tx_packets", s->tx_packets }, { "rx_bytes", s->rx_bytes },
		{ "tx_bytes", s->tx_bytes }, { "rx_errors", s->rx_errors }, { "tx_errors", s->tx_errors },
		{ "rx_dropped", s->rx_dropped }, { "tx_dropped", s->tx_dropped }, { "interrupts", dev->interrupts },
		{ "napi_polls", dev->polls }, { "napi_budget_exhausted", dev->polls_budget_exhausted },
		{ "tx_software_gso", dev->tx_segmented_in_software },
		/* Queue stops (Linux's netdev qstats tx-stop / tx-wake): the ring
		 * had no room, the byte queue limit was reached, and restarts. */
		{ "tx_stop", dev->tx_limits.ring_stops }, { "tx_stop_bql", dev->tx_limits.limit_stops },
		{ "tx_wake", dev->tx_limits.wakes }, { "tx_bql_miscounted_bytes", dev->tx_limits.miscounted_bytes },
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		console_printf(out, "     %s: %llu\n", common[i].name, (unsigned long long)common[i].value);
	for (unsigned i = 0; i < dev->driver_counter_count; i++)
		console_printf(out, "     %s: %llu\n", dev->driver_counters[i].name,
			       (unsigned long long)*dev->driver_counters[i].value);
}

static void print_ring_values(struct console_output *out, uint32_t rx, uint32_t tx)
{
	console_printf(out, "RX:\t\t%u\nRX Mini:\tn/a\nRX Jumbo:\tn/a\nTX:\t\t%u\n", rx, tx);
}

/* ethtool 6.1's -g layout (the newer fields it prints are not ours). */
static void ethtool_rings(struct console_output *out, const struct netdev *dev)
{
	console_printf(out, "Ring parameters for %s:\nPre-set maximums:\n", dev->name);
	print_ring_values(out, dev->rings.rx_maximum, dev->rings.tx_maximum);
	console_puts(out, "Current hardware settings:\n");
	print_ring_values(out, dev->rings.rx, dev->rings.tx);
}

/* ethtool -S|-k|-g|-i NAME, or ethtool NAME (link settings). */
static int ethtool_command(struct console_output *out, int argc, char **argv)
{
	const char *option = argc == 3 ? argv[1] : NULL;
	const char *name = argc == 3 ? argv[2] : argc == 2 ? argv[1] : NULL;
	struct netdev *dev = name ? netdev_find(name) : NULL;
	if (!name || (option && option[0] != '-')) {
		console_puts(out, "ethtool: bad command line argument(s)\nFor more information run ethtool -h\n");
		return 1;
	}
	if (!dev) {
		console_puts(out, "netlink error: no device matches name (offset 24)\nnetlink error: No such device\n");
		return 1;
	}
	if (!option) {
		console_printf(out, "Settings for %s:\n\tSpeed: %uMb/s\n\tDuplex: Full\n\tLink detected: %s\n", dev->name,
			       dev->link_speed_mbps, dev->link_up ? "yes" : "no");
	} else if (strcmp(option, "-S") == 0 || strcmp(option, "--statistics") == 0) {
		ethtool_statistics(out, dev);
	} else if (strcmp(option, "-k") == 0 || strcmp(option, "--show-features") == 0) {
		ethtool_features(out, dev);
	} else if (strcmp(option, "-g") == 0 || strcmp(option, "--show-ring") == 0) {
		ethtool_rings(out, dev);
	} else if (strcmp(option, "-i") == 0 || strcmp(option, "--driver") == 0) {
		console_printf(out, "driver: %s\nbus-info: \n", dev->driver_name);
	} else {
		console_printf(out, "ethtool: keel does not support %s\n", option);
		return 1;
	}
	return 0;
}
CONSOLE_COMMAND("ethtool", "ethtool [-S|-k|-g|-i] NAME: driver counters, offloads, rings, driver", ethtool_command);
