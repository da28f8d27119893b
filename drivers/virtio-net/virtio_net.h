/* virtio_net.h - the virtio-net driver's private state, shared by its files:
 * virtio_net.c (probe over PCI and virtio-mmio, feature negotiation, open), virtio_net_rxtx.c
 * (receive, transmit, NAPI poll), virtio_net_irq.c (MSI-X / INTx / poll
 * modes and notification suppression) and virtio_net_checksum.c.
 *
 * One receive queue and one transmit queue (5.1.2); no control queue, no
 * multiqueue. Each RX buffer is one pkt in one descriptor with the
 * virtio-net header just in front of pkt->data; with MRG_RXBUF a frame may
 * span several (num_buffers), chained as the pkt's fragments - with
 * VIRTIO_NET_F_GUEST_TSO4 a TCP super-frame of up to 64 KB does
 * (virtio_net_rx_offload.c reads its header). A TX
 * pkt is one descriptor chain: the header pushed into the head's headroom
 * together with the head's data, then one descriptor per fragment; with
 * VIRTIO_RING_F_INDIRECT_DESC the chain lives in a per-descriptor table and
 * takes one ring slot. With VIRTIO_NET_F_HOST_TSO4 a pkt with gso_size is
 * segmented by the device (5.1.6.2, virtio_net_tx_offload.c). The driver
 * owns those pkts until the device gives them back. */
#ifndef KEEL_VIRTIO_NET_H
#define KEEL_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/virtio-net/virtio_mmio.h"
#include "drivers/virtio-net/virtio_pci.h"
#include "drivers/virtio-net/virtqueue.h"
#include "kernel/arch/x86/gsi.h"
#include "kernel/core/container_of.h"
#include "kernel/pci/interrupts.h"
#include "kernel/time/timer.h"
#include "net/core/netdev.h"

/* MSI-X table entries we program (one per queue plus configuration changes). */
enum virtio_net_msix_entry {
	VIRTIO_NET_MSIX_CONFIG = 0,
	VIRTIO_NET_MSIX_RX,
	VIRTIO_NET_MSIX_TX,
	VIRTIO_NET_MSIX_ENTRIES,
};

/* Driver counters, shown under the netdev table (netdev_add_driver_counter). */
struct virtio_net_counters {
	uint64_t rx_no_buffer;              /* pool empty: frame dropped, its buffer reused */
	uint64_t rx_merged_dropped;         /* multi-buffer frames: too many buffers, or too long without GSO */
	uint64_t rx_gso_packets;            /* TCP super-frames handed up as one pkt with gso_size (GUEST_TSO4) */
	uint64_t rx_gso_bad_type;           /* gso_type not TCPV4, or GSO not negotiated */
	uint64_t rx_gso_ecn;                /* GSO_ECN or CWR on a super-frame (GUEST_ECN not negotiated) */
	uint64_t rx_gso_bad_size;           /* gso_size 0 */
	uint64_t rx_gso_bad_header_length;  /* hdr_len beyond the frame, or headers not in the first buffer */
	uint64_t rx_gso_not_tcp;            /* GSO on a frame that is not one whole IPv4 TCP datagram */
	uint64_t rx_bad_length;             /* used length shorter than the header or longer than the buffer */
	uint64_t rx_bad_checksum_request;   /* NEEDS_CSUM outside the frame; on GSO: missing or not TCP's field */
	uint64_t rx_checksum_completed;     /* NEEDS_CSUM frames we finished in software (5.1.6.4) */
	uint64_t tx_ring_full;
	uint64_t tx_checksum_software;      /* PARTIAL frames completed here (no VIRTIO_NET_F_CSUM) */
	uint64_t tx_tso_packets;            /* pkts handed over with GSO_TCPV4 (the device segments them) */
	uint64_t tx_multi_buffer;           /* pkts sent as a chain of more than one buffer */
	uint64_t tx_offload_rejected;       /* pkts whose offload request the device cannot take: dropped */
	uint64_t notifications_sent;        /* available buffer notifications (kicks) */
	uint64_t notifications_suppressed;  /* kicks the device said it did not need */
	uint64_t tx_forced_notifications;   /* lost TX notifications resent (safety net, stays 0; virtio_net_rxtx.c) */
	uint64_t device_barriers;           /* device barriers run (virtio_net_ordering.c) */
	uint64_t interrupts_config;
	uint64_t interrupts_rx;
	uint64_t interrupts_tx;
	uint64_t interrupts_intx;
	uint64_t interrupts_intx_not_ours;  /* shared line, ISR read 0 */
	uint64_t interrupts_mmio;           /* virtio-mmio line with InterruptStatus set */
	uint64_t link_changes;
};

struct virtio_net {
	struct netdev netdev;
	struct virtio_pci_device transport;
	struct virtqueue rx_queue;
	struct virtqueue tx_queue;
	bool tx_check_waiting;              /* TX lost-notification check: state seen, since when */
	uint16_t tx_check_used_index;
	uint16_t tx_check_event;
	uint64_t tx_check_since_ns;
	uint64_t features;                  /* negotiated */
	uint32_t header_size;               /* 12, or 10 on a legacy device without MRG_RXBUF */
	uint16_t rx_discard_buffers;        /* buffers left of a multi-buffer frame being dropped */
	struct pkt *rx_frame;               /* a multi-buffer frame being assembled (its head), or NULL */
	uint16_t rx_frame_missing;          /* buffers it still lacks */
	volatile bool config_changed;       /* set by the interrupt, handled by poll */
	bool needs_reset_reported;
	struct pci_interrupts interrupts;   /* PCI: mode and vectors (kernel/pci/interrupts.h) */
	struct gsi_interrupt mmio_irq;      /* virtio-mmio: its one IOAPIC-routed line */
	struct timer link_timer;            /* poll mode: link status is polled too */
	struct virtio_net_counters counters;
};

static inline struct virtio_net *virtio_net_from_netdev(struct netdev *dev)
{
	return container_of(dev, struct virtio_net, netdev);
}

static inline bool virtio_net_has_feature(const struct virtio_net *vn, unsigned bit)
{
	return (vn->features & VIRTIO_FEATURE(bit)) != 0;
}

/* virtio_net.c */
/* Poll's answer to a configuration interrupt: DEVICE_NEEDS_RESET, then the link. */
void virtio_net_config_changed(struct virtio_net *vn);

/* virtio_net_rxtx.c */
/* Posts receive buffers until the queue is full or the pool is empty; notifies if needed. */
void virtio_net_rx_fill(struct virtio_net *vn);
int virtio_net_xmit(struct netdev *dev, struct pkt *pkt);
bool virtio_net_tx_ready(struct netdev *dev, const struct pkt *pkt);
int virtio_net_poll(struct netdev *dev, int budget);

/* virtio_net_ordering.c */
/* Installs the device barrier on both queues where fences do not reach the
 * device (keel.virtio_ordering=, kernel/arch/x86/hypervisor.h); after the
 * queues are set up. Prints the choice when it is not plain fences. */
void virtio_net_setup_ordering(struct virtio_net *vn);

/* virtio_net_irq.c */
/* Sets up the best mode at most as good as keel.irq= asks, falling back
 * msix -> intx -> poll; records it in netdev.irq_mode. Before the queues are
 * activated: MSI-X vectors are assigned per queue. */
void virtio_net_setup_interrupts(struct virtio_net *vn);
/* Undoes virtio_net_setup_interrupts (open failed). */
void virtio_net_release_interrupts(struct virtio_net *vn);
void virtio_net_irq_enable(struct netdev *dev);
void virtio_net_irq_disable(struct netdev *dev);

/* virtio_net_tx_offload.c */
/* The most buffers (head + fragments) of one TX pkt we describe. */
#define VIRTIO_NET_TX_BUFFERS_MAX 48
/* Fills the header for pkt (5.1.6.2): checksum and segmentation requests,
 * or the checksum done here. 0, or -1 when the device cannot take it. */
int virtio_net_tx_header(struct virtio_net *vn, struct pkt *pkt, struct virtio_net_header *header);

/* virtio_net_rx_offload.c */
/* The most buffers one received frame may span: a 64 KB super-frame in
 * 2 KB buffers with room to spare (5.1.6.3.1: MRG_RXBUF buffers of any size). */
#define VIRTIO_NET_RX_BUFFERS_MAX 48
/* Applies the received header to the whole frame (pkt->data = Ethernet,
 * fragments chained): checksum state, or the GSO metadata of a super-frame
 * (5.1.6.4). 0, or -1 when the frame must be dropped (a counter says why). */
int virtio_net_rx_offload(struct virtio_net *vn, struct pkt *pkt, const struct virtio_net_header *header);

/* virtio_net_checksum.c */
/* Folds the ones' complement sum of frame[start..length) into frame[start+offset]
 * (RFC 1071; the field already holds the pseudo-header sum). 0, or -1 when
 * start/offset do not fit the frame. */
int virtio_net_checksum_complete(uint8_t *frame, uint32_t length, uint32_t start, uint32_t offset);

#endif
