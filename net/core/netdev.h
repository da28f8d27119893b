/* netdev.h - the boundary between NIC drivers and the stack.
 *
 * A driver fills a struct netdev (ops, MAC, MTU, features) and registers it.
 * Receive and interrupts follow Linux's NAPI: the device's interrupt handler
 * masks the device's interrupts and calls netdev_schedule_poll(); the net
 * loop (net_poll) then calls ops->poll(dev, budget), which takes up to budget
 * frames off the RX ring (handing each to netdev_receive) and reclaims
 * finished TX descriptors. When a poll does less than its budget the ring is
 * empty: the loop calls ops->irq_enable() (interrupts back on, "NAPI
 * complete"); otherwise the device stays scheduled. In NETDEV_IRQ_POLL mode
 * interrupts are never enabled and every device is polled on every loop
 * iteration, the idle loop sleeping with a short timer instead.
 *
 * Counters are laid out and named as Linux's /proc/net/dev. */
#ifndef KEEL_NET_NETDEV_H
#define KEEL_NET_NETDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/dql.h"
#include "net/core/pkt.h"
#include "net/wire/ethernet.h"

#define NETDEV_NAME_LENGTH 16
#define NETDEV_POLL_BUDGET_DEFAULT 64  /* sysctl net.core.dev_weight */
#define NETDEV_DRIVER_COUNTERS_MAX 40

/* keel.irq=, best first; a driver falls back down the list. */
enum netdev_irq_mode {
	NETDEV_IRQ_MSIX = 0,
	NETDEV_IRQ_MSI,
	NETDEV_IRQ_INTX,
	NETDEV_IRQ_POLL,
};

/* Offloads the device does (NETDEV_FEATURE_*). */
#define NETDEV_FEATURE_RX_CHECKSUM (1u << 0)    /* verifies IPv4/TCP/UDP checksums on receive */
#define NETDEV_FEATURE_TX_CHECKSUM (1u << 1)    /* computes PKT_CHECKSUM_PARTIAL on transmit */
#define NETDEV_FEATURE_SCATTER_GATHER (1u << 2) /* transmits pkts with fragments (pkt.h) */
#define NETDEV_FEATURE_TSO4 (1u << 3)           /* segments IPv4 TCP pkts with gso_size (needs both above) */
#define NETDEV_FEATURE_RX_GRO_HW (1u << 4)      /* hands up TCP super-frames it got whole (virtio GUEST_TSO4; Linux's rx-gro-hw) */

/* /proc/net/dev columns. */
struct netdev_stats {
	uint64_t rx_bytes, rx_packets, rx_errors, rx_dropped, rx_fifo_errors, rx_frame_errors, rx_compressed, rx_multicast;
	uint64_t tx_bytes, tx_packets, tx_errors, tx_dropped, tx_fifo_errors, tx_collisions, tx_carrier_errors, tx_compressed;
};

/* A driver-specific counter shown under the table (e.g. "rx_no_buffer"). */
struct netdev_counter {
	const char *name;
	const uint64_t *value;
};

struct netdev;
struct qdisc;

struct netdev_ops {
	/* Brings the device up (rings filled, RX/TX enabled, interrupts per irq_mode). 0 or -1. */
	int (*open)(struct netdev *dev);
	/* Queues one frame (pkt->data = Ethernet header) for transmit; always
	 * consumes pkt. Returns 0, or -1 when the ring is full (pkt freed,
	 * tx_dropped counted by the driver). Only a device with
	 * SCATTER_GATHER gets pkts with fragments (at most tx_max_buffers
	 * buffers), only one with TSO4 gets gso_size != 0: then the pkt is
	 * Ethernet + IPv4 + TCP, PKT_CHECKSUM_PARTIAL, and its IPv4 total
	 * length and TCP checksum field follow Linux's convention (length of
	 * the whole datagram; pseudo-header sum over the whole TCP length);
	 * the driver adapts them to what its device expects. netdev_transmit
	 * segments in software what a device cannot take. */
	int (*xmit)(struct netdev *dev, struct pkt *pkt);
	/* NAPI poll: receive up to budget frames, reclaim TX; returns frames received. */
	int (*poll)(struct netdev *dev, int budget);
	/* Optional: whether the TX ring has room for pkt now (after reclaiming
	 * finished descriptors). With it, netdev_transmit holds frames in the
	 * device's qdisc instead of letting a full ring drop them. */
	bool (*tx_ready)(struct netdev *dev, const struct pkt *pkt);
	/* Device interrupts on / off (no-ops in poll mode). */
	void (*irq_enable)(struct netdev *dev);
	void (*irq_disable)(struct netdev *dev);
};

struct netdev {
	char name[NETDEV_NAME_LENGTH];          /* "eth0", assigned by netdev_register */
	const char *driver_name;                /* "e1000", "e1000e", "virtio-net" */
	const struct netdev_ops *ops;
	uint8_t mac[ETHERNET_ADDRESS_LENGTH];
	uint32_t mtu;                           /* L3 bytes, ETHERNET_MTU */
	bool link_up;
	bool administratively_down;             /* `ip link set down`: frames in and out are dropped (device_down) */
	uint32_t link_speed_mbps;
	/* Where the device sits, set by the driver before netdev_register so
	 * that ethN follow PCI order whichever driver probes first:
	 * netdev_pci_position() for PCI; 0 (virtio-mmio): after every PCI
	 * device, in registration order. */
	uint32_t bus_position;
	uint32_t features;                      /* NETDEV_FEATURE_* */
	uint32_t tso_max_bytes;                 /* TSO4: largest IPv4 datagram (header included) it takes, <= 65535 */
	uint16_t tx_max_buffers;                /* SCATTER_GATHER: most buffers (head + fragments) per pkt */
	enum netdev_irq_mode irq_mode;          /* what the driver actually set up */
	struct netdev_stats stats;
	/* NAPI accounting. */
	uint64_t interrupts;                    /* handler invocations */
	uint64_t polls;                         /* ops->poll calls */
	uint64_t polls_budget_exhausted;        /* polls that used the whole budget */
	volatile bool poll_scheduled;
	/* The root queueing discipline every transmitted frame goes through
	 * (net/core/qdisc.h; attached by net/sched): frames wait there for
	 * room in the TX ring and net_poll sends them as the driver reclaims
	 * descriptors. NULL: straight to the driver (Linux's noqueue). */
	struct qdisc *qdisc;
	/* Byte queue limits on the TX ring (Linux's BQL; net/core/netdev_bql.c):
	 * a driver that reports what it queues and completes
	 * (netdev_tx_sent_queue / netdev_tx_completed_queue) has its queue
	 * stopped while its ring holds limit bytes, so the backlog waits in
	 * the qdisc. The counters are ethtool -S's tx_stop, tx_stop_bql, tx_wake. */
	struct netdev_tx_queue_limits {
		struct dql dql;
		bool stopped_by_limit;          /* Linux's __QUEUE_STATE_STACK_XOFF */
		bool stopped_by_ring;           /* tx_ready said no (Linux's __QUEUE_STATE_DRV_XOFF) */
		uint64_t ring_stops, limit_stops, wakes;
		uint64_t miscounted_bytes;      /* in flight with the ring empty (netdev_tx_ring_empty): stays 0 */
	} tx_limits;
	uint64_t tx_segmented_in_software;      /* pkts netdev_transmit cut or copied for the device (gso.h) */
	/* Descriptor rings as the driver set them up, and the most the device
	 * takes (ethtool -g); 0: not reported. */
	struct netdev_rings {
		uint32_t rx, tx, rx_maximum, tx_maximum;
	} rings;
	struct netdev_counter driver_counters[NETDEV_DRIVER_COUNTERS_MAX];
	unsigned driver_counter_count;
	unsigned index;                         /* netdev_index, kept by netdev_register; 0: unregistered */
	struct netdev *next;
};

/* The irq mode asked for on the command line (keel.irq=), or MSIX (= best). */
enum netdev_irq_mode netdev_requested_irq_mode(void);
const char *netdev_irq_mode_name(enum netdev_irq_mode mode);
/* RX/TX ring sizes from keel.rxring= / keel.txring= (default 256), clamped to [minimum, maximum]. */
unsigned netdev_rx_ring_size(unsigned minimum, unsigned maximum);
unsigned netdev_tx_ring_size(unsigned minimum, unsigned maximum);

/* For a driver's xmit: whether pkt is what netdev_transmit may hand this
 * device (ops->xmit above): one frame of at most the MTU, or a TSO
 * datagram within tso_max_bytes; no more buffers than tx_max_buffers and
 * none of them empty. */
bool netdev_tx_acceptable(const struct netdev *dev, const struct pkt *pkt);
/* Applies every keel.mtu=<device>:<mtu> to the registered devices. */
void netdev_apply_mtu_cmdline(void);
/* Whether the stack may hand dev TSO super-segments (features, keel.tso=). */
bool netdev_tso_usable(const struct netdev *dev);

/* Adds the device to the list in bus_position order and names the list
 * eth0, eth1, ... in that order (a device a new one moves down prints
 * "eth1: renamed from eth0", as udev's renames do); prints it. 0 or -1. */
int netdev_register(struct netdev *dev);
void netdev_add_driver_counter(struct netdev *dev, const char *name, const uint64_t *value);
struct netdev *netdev_first(void);
/* The device named name ("eth0"), or NULL. */
struct netdev *netdev_find(const char *name);
/* Its interface index (ip link's "N:"), 1 for the first registered: keel has no lo
 * (0: not registered). A field read: IPv4 asks per packet (devconf.c). */
unsigned netdev_index(const struct netdev *dev);
/* Frames the transmit backlog holds (ip link's qlen, Linux's txqueuelen). */
unsigned netdev_tx_backlog_limit(void);
/* Link state change from the driver: prints "eth0: link up, 1000 Mbps" like Linux. */
void netdev_set_link(struct netdev *dev, bool up, uint32_t speed_mbps);

/* From interrupt context: device interrupts are already masked by the driver. */
void netdev_schedule_poll(struct netdev *dev);
/* From a driver's poll: hands one received frame (data = Ethernet header) to
 * the stack; counts rx_packets/rx_bytes itself. Consumes pkt. */
void netdev_receive(struct netdev *dev, struct pkt *pkt);
/* From the stack: transmits (counts tx_packets/tx_bytes on success, per
 * frame on the wire), segmenting in software what the device cannot take
 * (net/core/gso.h) and passing every frame through the device's qdisc
 * (net/core/qdisc.h), which holds what its ring has no room for.
 * Consumes pkt. Returns 0 (sent, queued, or dropped by the qdisc, which
 * counted it) or -1 (dropped and not counted). */
int netdev_transmit(struct netdev *dev, struct pkt *pkt);

/* BQL (Linux's netdev_tx_sent_queue / netdev_tx_completed_queue), for a
 * driver: from xmit, once a frame is on the ring, its bytes (any fixed
 * measure of the frame: pkt_total_length as xmit got it); from the
 * reclaim, the packets and bytes the device finished since the last call
 * (by the same measure), once per reclaim that freed any. A completion
 * that brings the bytes in flight below the limit restarts the queue: the
 * net loop sends what the qdisc holds in the same step. */
void netdev_tx_sent_queue(struct netdev *dev, uint32_t bytes);
void netdev_tx_completed_queue(struct netdev *dev, unsigned packets, uint32_t bytes);
/* From a reclaim that left nothing on the ring: bytes still counted in
 * flight were miscounted (sent and completed measured differently); they
 * are completed and counted (miscounted_bytes), so a miscount can never
 * keep the queue stopped. */
void netdev_tx_ring_empty(struct netdev *dev);

/* The net loop's step: polls every scheduled (or, in poll mode, every)
 * device once with the budget; returns frames processed. */
unsigned net_poll(void);

#endif
