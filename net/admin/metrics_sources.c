/* metrics_sources.c - what /metrics says (net/admin/metrics.h), each
 * family read from the registry that already holds it:
 *   - every device's /proc/net/dev counters (struct netdev_stats), with
 *     node_exporter's netdev names, and its NAPI and qdisc counters;
 *   - every SNMP counter nstat prints (NET_MIB_TABLE, net/core/mib.h) as
 *     node_exporter's netstat collector names it: "TcpExtListenDrops" is
 *     /proc/net/netstat's group "TcpExt" and field "ListenDrops", so
 *     node_netstat_TcpExt_ListenDrops; Tcp_CurrEstab and the sockstat
 *     gauges from the sockets `ss` lists (SOCK_DIAG), Ip_Forwarding from
 *     the sysctl;
 *   - every drop reason of every layer (net/core/drop.h) as
 *     keel_drops_total{layer,reason};
 *   - the packet pool, memory, uptime, capture and the port's own counters.
 * Names follow node_exporter where it has one, so its dashboards work. */
#include <stdio.h>
#include <string.h>

#include "kernel/core/sysctl.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/pmm.h"
#include "kernel/time/clock.h"
#include "kernel/time/rtc.h"
#include "net/admin/internal.h"
#include "net/admin/metrics.h"
#include "net/core/capture.h"
#include "net/core/drop.h"
#include "net/core/mib.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/core/qdisc.h"
#include "net/socket/sock_diag.h"

#define LABELS_MAX 96
#define NAME_MAX_LENGTH 96
#define PAGE_BYTES 4096

extern const struct net_mib_entry __start_net_mibs[];
extern const struct net_mib_entry __stop_net_mibs[];

/* ---- devices ---------------------------------------------------------- */

struct device_family {
	const char *name, *type, *help;
	uint64_t (*value)(const struct netdev *dev);
};

#define STAT(field) \
	static uint64_t stat_##field(const struct netdev *dev) { return dev->stats.field; }
STAT(rx_bytes) STAT(rx_packets) STAT(rx_errors) STAT(rx_dropped) STAT(rx_fifo_errors) STAT(rx_frame_errors)
STAT(rx_compressed) STAT(rx_multicast) STAT(tx_bytes) STAT(tx_packets) STAT(tx_errors) STAT(tx_dropped)
STAT(tx_fifo_errors) STAT(tx_collisions) STAT(tx_carrier_errors) STAT(tx_compressed)

static uint64_t device_up(const struct netdev *dev) { return dev->link_up && !dev->administratively_down; }
static uint64_t device_mtu(const struct netdev *dev) { return dev->mtu; }
static uint64_t device_interrupts(const struct netdev *dev) { return dev->interrupts; }
static uint64_t device_polls(const struct netdev *dev) { return dev->polls; }
static uint64_t device_polls_exhausted(const struct netdev *dev) { return dev->polls_budget_exhausted; }
static uint64_t device_segmented(const struct netdev *dev) { return dev->tx_segmented_in_software; }
static uint64_t bql_limit(const struct netdev *dev) { return dev->tx_limits.dql.limit; }
static uint64_t bql_inflight(const struct netdev *dev) { return dql_in_flight(&dev->tx_limits.dql); }
static uint64_t tx_ring_stops(const struct netdev *dev) { return dev->tx_limits.ring_stops; }
static uint64_t tx_limit_stops(const struct netdev *dev) { return dev->tx_limits.limit_stops; }
static uint64_t tx_wakes(const struct netdev *dev) { return dev->tx_limits.wakes; }
static uint64_t qdisc_packets(const struct netdev *dev) { return dev->qdisc ? dev->qdisc->stats.backlog_packets : 0; }
static uint64_t qdisc_bytes(const struct netdev *dev) { return dev->qdisc ? dev->qdisc->stats.backlog_bytes : 0; }
static uint64_t qdisc_drops(const struct netdev *dev) { return dev->qdisc ? dev->qdisc->stats.drops : 0; }
static uint64_t qdisc_requeues(const struct netdev *dev) { return dev->qdisc ? dev->qdisc->stats.requeues : 0; }

/* node_exporter's netdev collector: /proc/net/dev's column names. */
#define NETDEV_COUNTER(suffix, field) \
	{ "node_network_" #suffix "_total", "counter", "Network device statistic " #suffix ".", stat_##field }
static const struct device_family device_families[] = {
	NETDEV_COUNTER(receive_bytes, rx_bytes), NETDEV_COUNTER(receive_packets, rx_packets),
	NETDEV_COUNTER(receive_errs, rx_errors), NETDEV_COUNTER(receive_drop, rx_dropped),
	NETDEV_COUNTER(receive_fifo, rx_fifo_errors), NETDEV_COUNTER(receive_frame, rx_frame_errors),
	NETDEV_COUNTER(receive_compressed, rx_compressed), NETDEV_COUNTER(receive_multicast, rx_multicast),
	NETDEV_COUNTER(transmit_bytes, tx_bytes), NETDEV_COUNTER(transmit_packets, tx_packets),
	NETDEV_COUNTER(transmit_errs, tx_errors), NETDEV_COUNTER(transmit_drop, tx_dropped),
	NETDEV_COUNTER(transmit_fifo, tx_fifo_errors), NETDEV_COUNTER(transmit_colls, tx_collisions),
	NETDEV_COUNTER(transmit_carrier, tx_carrier_errors), NETDEV_COUNTER(transmit_compressed, tx_compressed),
	{ "node_network_up", "gauge", "Value is 1 if operstate is 'up', 0 otherwise.", device_up },
	{ "node_network_mtu_bytes", "gauge", "Network device property: mtu_bytes", device_mtu },
	{ "keel_netdev_interrupts_total", "counter", "Device interrupts handled (each schedules a NAPI poll).",
	  device_interrupts },
	{ "keel_napi_polls_total", "counter", "NAPI polls of the device.", device_polls },
	{ "keel_napi_polls_budget_exhausted_total", "counter", "NAPI polls that used the whole budget (net.core.dev_weight).",
	  device_polls_exhausted },
	{ "keel_netdev_tx_software_segmented_total", "counter", "Packets cut or copied in software for the device (GSO).",
	  device_segmented },
	{ "keel_bql_limit_bytes", "gauge", "Byte queue limit of the TX ring (byte_queue_limits/limit).", bql_limit },
	{ "keel_bql_inflight_bytes", "gauge", "Bytes in the TX ring (byte_queue_limits/inflight).", bql_inflight },
	{ "keel_netdev_tx_stop_total", "counter", "TX queue stops: the ring had no room.", tx_ring_stops },
	{ "keel_netdev_tx_stop_bql_total", "counter", "TX queue stops: the byte queue limit was reached.",
	  tx_limit_stops },
	{ "keel_netdev_tx_wake_total", "counter", "TX queue restarts after a stop.", tx_wakes },
	{ "keel_qdisc_backlog_packets", "gauge", "Frames the root qdisc holds.", qdisc_packets },
	{ "keel_qdisc_backlog_bytes", "gauge", "Bytes the root qdisc holds.", qdisc_bytes },
	{ "keel_qdisc_drops_total", "counter", "Frames the root qdisc dropped.", qdisc_drops },
	{ "keel_qdisc_requeues_total", "counter", "Frames the root qdisc requeued.", qdisc_requeues },
};
#define DEVICE_FAMILY_COUNT (sizeof(device_families) / sizeof(device_families[0]))

static unsigned device_count(void)
{
	unsigned count = 0;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next)
		count++;
	return count;
}

static struct netdev *device_at(unsigned index)
{
	struct netdev *dev = netdev_first();
	while (dev && index--)
		dev = dev->next;
	return dev;
}

/* Item = family * devices + device: each family's samples stay together. */
static bool devices_source(struct metrics_writer *writer, unsigned item)
{
	unsigned devices = device_count();
	if (devices == 0 || item >= DEVICE_FAMILY_COUNT * devices)
		return false;
	const struct device_family *family = &device_families[item / devices];
	const struct netdev *dev = device_at(item % devices);
	if (item % devices == 0)
		metrics_family(writer, family->name, family->type, family->help);
	char labels[LABELS_MAX];
	snprintf(labels, sizeof(labels), "device=\"%s\"", dev->name);
	metrics_sample(writer, family->name, labels, family->value(dev));
	return true;
}

/* ---- SNMP counters (nstat's registry) ----------------------------------- */

/* /proc/net/snmp and /proc/net/netstat's group names, longest first where
 * one begins another: node_exporter splits nstat's names at them. */
static const char *const snmp_groups[] = { "TcpExt", "Tcp", "IpExt", "IcmpMsg", "Icmp", "Ip", "UdpLite", "Udp" };

static void netstat_name(const char *mib, char *out, size_t size)
{
	for (size_t i = 0; i < sizeof(snmp_groups) / sizeof(snmp_groups[0]); i++) {
		size_t length = strlen(snmp_groups[i]);
		if (strncmp(mib, snmp_groups[i], length) == 0 && mib[length]) {
			snprintf(out, size, "node_netstat_%s_%s", snmp_groups[i], mib + length);
			return;
		}
	}
	snprintf(out, size, "node_netstat_%s", mib);
}

/* node_exporter exposes them untyped, with this help. */
static bool mib_source(struct metrics_writer *writer, unsigned item)
{
	const struct net_mib_entry *entry = __start_net_mibs + item;
	if (entry >= __stop_net_mibs)
		return false;
	char name[NAME_MAX_LENGTH], help[NAME_MAX_LENGTH];
	netstat_name(entry->name, name, sizeof(name));
	snprintf(help, sizeof(help), "Statistic %s.", entry->name);
	metrics_single(writer, name, "untyped", help, net_mib_value(entry));
	return true;
}

/* ---- sockets (ss's registry), forwarding -------------------------------- */

/* One item: the walk is done once per scrape. Linux's /proc/net/sockstat
 * semantics: TCP inuse excludes TIME_WAIT, mem is in pages. */
static bool sockets_source(struct metrics_writer *writer, unsigned item)
{
	if (item > 0)
		return false;
	struct sock_diag_summary counts = sock_diag_summary();
	uint64_t tcp_pages = sock_diag_pages(counts.tcp_bytes);
	uint64_t udp_pages = sock_diag_pages(counts.udp_bytes);
	metrics_single(writer, "node_netstat_Tcp_CurrEstab", "untyped", "Statistic TcpCurrEstab.",
		       counts.current_established);
	metrics_single(writer, "node_sockstat_sockets_used", "gauge", "Number of IPv4 sockets in use.",
		       counts.tcp_in_use + counts.udp);
	metrics_single(writer, "node_sockstat_TCP_inuse", "gauge", "Number of TCP sockets in state inuse.", counts.tcp_in_use);
	metrics_single(writer, "node_sockstat_TCP_orphan", "gauge", "Number of TCP sockets in state orphan.", counts.orphaned);
	metrics_single(writer, "node_sockstat_TCP_tw", "gauge", "Number of TCP sockets in state tw.", counts.time_wait);
	metrics_single(writer, "node_sockstat_TCP_alloc", "gauge", "Number of TCP sockets in state alloc.", counts.tcp_all);
	metrics_single(writer, "node_sockstat_TCP_mem", "gauge", "Number of TCP sockets in state mem.", tcp_pages);
	metrics_single(writer, "node_sockstat_TCP_mem_bytes", "gauge", "Number of TCP sockets in state mem_bytes.",
		       tcp_pages * SOCK_DIAG_PAGE_BYTES);
	metrics_single(writer, "node_sockstat_UDP_inuse", "gauge", "Number of UDP sockets in state inuse.", counts.udp);
	metrics_single(writer, "node_sockstat_UDP_mem", "gauge", "Number of UDP sockets in state mem.", udp_pages);
	metrics_single(writer, "node_sockstat_UDP_mem_bytes", "gauge", "Number of UDP sockets in state mem_bytes.",
		       udp_pages * SOCK_DIAG_PAGE_BYTES);
	return true;
}

/* RFC 4293 ipForwarding: 1 forwarding, 2 not (what /proc/net/snmp says). */
static bool forwarding_source(struct metrics_writer *writer, unsigned item)
{
	const struct sysctl_integer *ip_forward = sysctl_lookup("net.ipv4.ip_forward");
	if (item > 0 || !ip_forward)
		return false;
	/* Read as `sysctl` prints it: the knob may be a plain integer or a
	 * vector (setting it sets every device's forwarding). */
	char text[24];
	sysctl_format_value(ip_forward, text, sizeof(text));
	metrics_single(writer, "node_netstat_Ip_Forwarding", "untyped", "Statistic IpForwarding.",
		       strcmp(text, "0") != 0 ? 1 : 2);
	return true;
}

/* ---- drop reasons ------------------------------------------------------- */

static bool drops_source(struct metrics_writer *writer, unsigned item)
{
	enum net_drop_reason reason = (enum net_drop_reason)(NET_DROP_NONE + 1 + item);
	if (reason >= NET_DROP_REASON_TOTAL)
		return false;
	if (item == 0)
		metrics_family(writer, "keel_drops_total", "counter",
			       "Packets dropped, by layer and reason (the console's drops).");
	char layer[32];
	const char *upper = net_drop_layer_name(net_drop_reason_layer(reason));
	size_t i = 0;
	for (; upper[i] && i + 1 < sizeof(layer); i++)
		layer[i] = (char)(upper[i] >= 'A' && upper[i] <= 'Z' ? upper[i] + 32 : upper[i]);
	layer[i] = '\0';
	char labels[LABELS_MAX];
	snprintf(labels, sizeof(labels), "layer=\"%s\",reason=\"%s\"", layer, net_drop_reason_name(reason));
	metrics_sample(writer, "keel_drops_total", labels, net_drop_count(reason));
	return true;
}

/* ---- the kernel: packet pool, memory, time ------------------------------ */

static bool kernel_source(struct metrics_writer *writer, unsigned item)
{
	if (item > 0)
		return false;
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	metrics_single(writer, "keel_pkt_pool_buffers", "gauge", "Packet buffers in the pool (keel.pkts).", pool.total);
	metrics_single(writer, "keel_pkt_pool_free_buffers", "gauge", "Packet buffers free now.", pool.free);
	metrics_single(writer, "keel_pkt_pool_low_water_buffers", "gauge", "Fewest packet buffers ever free.", pool.low_water);
	metrics_single(writer, "keel_pkt_allocations_total", "counter", "Packet buffers handed out.", pool.allocations);
	metrics_single(writer, "keel_pkt_allocation_failures_total", "counter", "Packet buffer requests the empty pool refused.",
		       pool.alloc_failures);
	struct pmm_stats pages = pmm_get_stats();
	struct heap_stats heap = heap_get_stats();
	metrics_single(writer, "node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes.",
		       pages.managed_pages * PAGE_BYTES);
	metrics_single(writer, "node_memory_MemFree_bytes", "gauge", "Memory information field MemFree_bytes.",
		       pages.free_pages * PAGE_BYTES);
	metrics_single(writer, "node_memory_Slab_bytes", "gauge", "Memory information field Slab_bytes.",
		       heap.pages_held * PAGE_BYTES);
	metrics_single(writer, "keel_heap_bytes_in_use", "gauge", "Heap bytes allocated now (as requested).",
		       heap.bytes_in_use);
	metrics_single(writer, "keel_heap_allocation_failures_total", "counter", "Heap allocations refused.", heap.failures);
	uint64_t now = clock_monotonic_ns();
	metrics_single(writer, "keel_uptime_seconds", "gauge", "Seconds since boot.", now / NSEC_PER_SEC);
	int64_t wall = rtc_realtime_ns();
	if (wall > 0)
		metrics_single(writer, "node_boot_time_seconds", "gauge", "Node boot time, in unixtime.",
			       (uint64_t)(wall - (int64_t)now) / NSEC_PER_SEC);
	return true;
}

/* ---- capture and the port itself ---------------------------------------- */

static bool capture_source(struct metrics_writer *writer, unsigned item)
{
	if (item > 0)
		return false;
	struct capture_stats stats;
	capture_get_stats(&stats);
	metrics_single(writer, "keel_capture_sessions_total", "counter", "Packet captures started (/pcap).", stats.sessions);
	metrics_single(writer, "keel_capture_frames_total", "counter", "Frames handed to capture readers.",
		       stats.frames_captured);
	metrics_single(writer, "keel_capture_dropped_frames_total", "counter",
		       "Frames a capture matched but dropped: the reader was too slow.", stats.frames_dropped);
	metrics_single(writer, "keel_capture_active", "gauge", "1 while a capture runs.", stats.active);
	return true;
}

static bool admin_source(struct metrics_writer *writer, unsigned item)
{
	if (item > 0)
		return false;
	char labels[LABELS_MAX];
	metrics_single(writer, "keel_admin_connections_accepted_total", "counter",
		       "Management port connections given a slot.", admin_stats.accepted);
	metrics_single(writer, "keel_admin_connections_open", "gauge", "Management port connections open now.",
		       admin_stats.open);
	metrics_family(writer, "keel_admin_requests_total", "counter", "Management port requests, by endpoint.");
	for (int endpoint = 0; endpoint < ADMIN_ENDPOINT_COUNT; endpoint++) {
		snprintf(labels, sizeof(labels), "endpoint=\"%s\"", admin_endpoint_path((enum admin_endpoint)endpoint));
		metrics_sample(writer, "keel_admin_requests_total", labels, admin_stats.requests[endpoint]);
	}
	metrics_family(writer, "keel_admin_refusals_total", "counter",
		       "Management port connections or requests refused or ended, by reason.");
	for (int refusal = 0; refusal < ADMIN_REFUSAL_COUNT; refusal++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\"", admin_refusal_name((enum admin_refusal)refusal));
		metrics_sample(writer, "keel_admin_refusals_total", labels, admin_stats.refusals[refusal]);
	}
	metrics_single(writer, "keel_admin_state_changing_commands_total", "counter",
		       "State-changing /cmd commands run with the token.", admin_stats.commands_changing);
	return true;
}

const metrics_source admin_metrics_sources[] = {
	devices_source, mib_source, sockets_source, forwarding_source, drops_source,
	kernel_source, capture_source, admin_source,
};
const unsigned admin_metrics_source_count = sizeof(admin_metrics_sources) / sizeof(admin_metrics_sources[0]);
