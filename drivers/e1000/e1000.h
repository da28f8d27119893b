/* e1000.h - driver state for the Intel 8254x / 82574L NICs and what the
 * driver's files share.
 *
 * Contract: e1000_probe() (registered with NETDEV_DRIVER) finds every
 * supported function on the PCI bus, resets it, reads its MAC and registers
 * a struct netdev; ops->open fills the RX ring with pkts from the pool, starts
 * RX/TX and sets up the interrupt mode asked for by keel.irq= (falling back
 * msix -> msi -> intx -> poll). After that the driver follows net/core/netdev.h:
 * interrupt handlers only mask the device (IMC) and schedule a poll; ops->poll
 * (net loop, never interrupt context) receives up to the budget, reclaims TX,
 * checks the link and restocks the RX ring; ops->irq_enable unmasks (IMS).
 * Ring rule: the hardware owns the descriptors from head to tail-1, we own
 * the rest; we write only the tail, and only after the descriptors it hands
 * over are complete (write barrier inside e1000_write32). */
#ifndef KEEL_DRIVERS_E1000_H
#define KEEL_DRIVERS_E1000_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/e1000/e1000_regs.h"
#include "kernel/core/container_of.h"
#include "kernel/pci/interrupts.h"
#include "kernel/time/timer.h"
#include "net/core/netdev.h"

enum e1000_family {
	E1000_FAMILY_8254X,   /* 82540/82541/82544/82545/82546/82547: legacy interrupts only */
	E1000_FAMILY_82574,   /* 82574L: PCIe, MSI and MSI-X, 82574 EERD layout */
};

/* Where EERD keeps its fields (8254x SDM 13.4.4 has both layouts). */
enum e1000_eerd_layout {
	E1000_EERD_NONE,              /* 82544: no EERD, the MAC must come from RAL/RAH */
	E1000_EERD_ADDRESS_8,         /* 82540/82545/82546: DONE bit 4, address bits 15:8 */
	E1000_EERD_ADDRESS_2,         /* 82541/82547/82574: DONE bit 1, address bits 15:2 */
};

struct e1000_model {
	uint16_t device_id;
	const char *name;             /* chip, for the probe line */
	enum e1000_family family;
	enum e1000_eerd_layout eerd;
};

/* MSI-X entries we program (82574: 5 in the table, 3 used). */
enum e1000_msix_entry {
	E1000_MSIX_RX = 0,
	E1000_MSIX_TX = 1,
	E1000_MSIX_OTHER = 2,
	E1000_MSIX_ENTRIES = 3,
};

/* Driver counters shown under the /proc/net/dev table. */
struct e1000_counters {
	uint64_t rx_no_buffer;               /* pool empty: frame dropped, buffer reused */
	uint64_t rx_discard_multi_descriptor; /* frames longer than one buffer, discarded */
	uint64_t rx_descriptor_errors;       /* frames with an error bit in the descriptor */
	uint64_t rx_checksum_offloaded;      /* frames the NIC verified */
	uint64_t rx_hw_no_descriptor;        /* RNBC: the ring was empty when a frame came */
	uint64_t tx_ring_full;               /* xmit found too few free descriptors for the whole pkt */
	uint64_t tx_checksum_offloaded;      /* PKT_CHECKSUM_PARTIAL pkts summed by the NIC */
	uint64_t tx_checksum_software;       /* ones the driver summed instead (82574: padded frames) */
	uint64_t tx_tso_packets;             /* pkts the NIC segmented (TSE) */
	uint64_t tx_tso_segments;            /* frames they became on the wire */
	uint64_t tx_context_descriptors;     /* context descriptors written (the rest reused the cached one) */
	uint64_t tx_offload_rejected;        /* offload requests whose headers the NIC cannot take: dropped */
	uint64_t irq_rx, irq_tx, irq_other;  /* MSI-X vectors fired */
	uint64_t irq_not_ours;               /* INTx/MSI with ICR = 0 */
	uint64_t irq_rx_overrun;             /* RXO causes seen */
	uint64_t link_changes;
};

struct e1000 {
	struct netdev netdev;                /* the ops recover us with container_of */
	struct pci_device *pci;
	volatile void *registers;            /* BAR0, uncached */
	const struct e1000_model *model;

	/* RX ring: rx_next_to_clean is the next descriptor the hardware may
	 * have completed; RDT trails it by one (the descriptor before it). */
	volatile struct e1000_rx_desc *rx_ring;   /* written by the device (DMA) */
	struct pkt **rx_pkts;                /* pkt whose data each descriptor points at */
	unsigned rx_count;
	unsigned rx_next_to_clean;
	bool rx_discarding;                  /* inside a frame that spans descriptors */

	/* TX ring: descriptors [tx_next_to_clean, tx_next_to_use) are the
	 * hardware's; one slot stays empty so full and empty differ. A pkt
	 * takes an optional context descriptor and one data descriptor per
	 * buffer; tx_packets at its first descriptor holds the pkt and where
	 * its last (EOP, RS: the one the device writes DD to) is. */
	volatile struct e1000_tx_desc *tx_ring;
	struct e1000_tx_packet {
		struct pkt *pkt;
		uint16_t last;
		uint32_t bytes;              /* reported to BQL when sent, again when completed */
	} *tx_packets;
	/* The context the device holds (valid once written; 8254x SDM 3.3.6). */
	struct e1000_tx_context_desc tx_context;
	bool tx_context_valid;
	unsigned tx_count;
	unsigned tx_next_to_use;
	unsigned tx_next_to_clean;

	/* Interrupts. */
	uint32_t interrupt_mask;             /* what irq_enable writes to IMS */
	uint32_t itr_interval;               /* ITR/EITR value, 256 ns units */
	struct pci_interrupts interrupts;    /* mode and vectors (kernel/pci/interrupts.h) */
	volatile uint32_t pending_causes;    /* ICR bits seen by handlers, consumed by poll */

	/* Link and statistics. */
	uint64_t next_link_check_ns;         /* poll mode: when to look at STATUS again */
	struct timer stats_timer;            /* folds the clear-on-read statistics registers */
	struct e1000_counters counters;
};

static inline struct e1000 *e1000_from_netdev(struct netdev *dev)
{
	return container_of(dev, struct e1000, netdev);
}

/* e1000_main.c: zeroed, page-aligned memory for count descriptors; NULL when out of memory. */
void *e1000_ring_alloc(unsigned count);

/* e1000_hw.c: register access (barriers inside) and chip bring-up. */
uint32_t e1000_read32(const struct e1000 *nic, uint32_t offset);
void e1000_write32(struct e1000 *nic, uint32_t offset, uint32_t value);
int e1000_reset(struct e1000 *nic);
void e1000_init_mac_layer(struct e1000 *nic);
int e1000_read_mac_address(struct e1000 *nic);
void e1000_update_link(struct e1000 *nic);
void e1000_update_stats(struct e1000 *nic);

/* e1000_rx.c */
int e1000_rx_init(struct e1000 *nic);
void e1000_rx_enable(struct e1000 *nic);
int e1000_rx_poll(struct e1000 *nic, int budget);

/* e1000_tx.c */
int e1000_tx_init(struct e1000 *nic);
void e1000_tx_enable(struct e1000 *nic);
int e1000_xmit(struct netdev *dev, struct pkt *pkt);
bool e1000_tx_ready(struct netdev *dev, const struct pkt *pkt);
unsigned e1000_tx_reclaim(struct e1000 *nic);

/* e1000_tx_offload.c: what a pkt asks of the checksum/TSO engines. */
struct e1000_tx_offload {
	bool extended;                       /* use context + data descriptors (else legacy) */
	struct e1000_tx_context_desc context; /* the context this pkt needs (when extended) */
	uint32_t data_command;               /* extra DCMD bits for every data descriptor (TSE) */
	uint8_t options;                     /* POPTS */
	uint32_t segments;                   /* frames on the wire (TSO), else 1 */
	bool summed_in_software;             /* the partial checksum was completed here (QEMU 82574 padding) */
};
/* Fills offload for pkt; for TSO rewrites the IPv4 total length and
 * checksum and the TCP checksum seed as the device wants them; on the
 * 82574 completes the partial checksum of a padded frame itself (then no
 * offload). 0, or -1 when the headers are outside what the descriptors can
 * describe. */
int e1000_tx_offload_prepare(struct pkt *pkt, enum e1000_family family, struct e1000_tx_offload *offload);
/* Largest buffers per pkt for a ring of ring_count descriptors. */
uint16_t e1000_tx_max_buffers(unsigned ring_count);

/* e1000_irq.c */
void e1000_irq_setup(struct e1000 *nic);
void e1000_irq_enable(struct netdev *dev);
void e1000_irq_disable(struct netdev *dev);

#endif
