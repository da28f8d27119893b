/* e1000_rx.c - the receive ring (8254x SDM 3.2, 14.4; 82574 DS 4.6, 7.1).
 *
 * Every descriptor always holds a pkt from the pool: a completed frame is
 * swapped for a fresh pkt before it goes up, and when the pool is empty the
 * frame is dropped and its buffer handed straight back, so the ring never
 * runs dry. Buffers are 2048 bytes (RCTL.BSIZE), more than a 1518-byte frame
 * with long packets off, so a frame spread over several descriptors is an
 * anomaly: it is discarded whole (rx_discarding) and counted. We write only
 * RDT, once per poll, to the last descriptor we gave back. */
#include "drivers/e1000/e1000.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"
#include "kernel/mm/paging.h"
#include "kernel/time/clock.h"

#include <stdlib.h>

/* Sets up a descriptor to receive into pkt's data area. */
static void rx_attach(struct e1000 *nic, unsigned index, struct pkt *pkt)
{
	volatile struct e1000_rx_desc *desc = &nic->rx_ring[index];
	nic->rx_pkts[index] = pkt;
	desc->buffer_address = pkt_dma_address(pkt, pkt->data);
	desc->status = 0;
}

/* The ring takes at most half of the pool's free pkts, so the stack (and
 * other NICs) keep buffers to reply with: a ring holding the whole pool
 * would drop every frame for want of a replacement. */
static unsigned rx_ring_count(struct e1000 *nic)
{
	unsigned count = netdev_rx_ring_size(E1000_RING_MINIMUM, E1000_RING_MAXIMUM);
	unsigned share = pkt_pool_get_stats().free / 2;
	if (count > share) {
		pr_warn("%s: packet pool short: RX ring of %u instead of %u\n", nic->netdev.name, share, count);
		count = share;
	}
	return count - count % E1000_RING_COUNT_MULTIPLE;
}

/* Fills the ring; should the pool run dry anyway the ring shrinks to what
 * it could fill (still a multiple of 8). Returns the count, 0 if not even 8. */
static unsigned rx_fill(struct e1000 *nic, unsigned count)
{
	unsigned filled = 0;
	while (filled < count) {
		struct pkt *pkt = pkt_alloc();
		if (!pkt)
			break;
		rx_attach(nic, filled++, pkt);
	}
	unsigned usable = filled - filled % E1000_RING_COUNT_MULTIPLE;
	while (filled > usable)
		pkt_free(nic->rx_pkts[--filled]);
	return usable;
}

/* Receive initialization (8254x SDM 14.4): ring base/length, head 0, tail
 * at the last filled descriptor, no receive delay timers (ITR moderates;
 * RDTR would only add latency, and RADV works only with RDTR set), checksum
 * offload on. RCTL.EN is set by e1000_rx_enable once interrupts are ready. */
int e1000_rx_init(struct e1000 *nic)
{
	unsigned count = rx_ring_count(nic);
	if (count == 0)
		return -1;
	nic->rx_ring = e1000_ring_alloc(count);
	nic->rx_pkts = calloc(count, sizeof(*nic->rx_pkts));
	if (!nic->rx_ring || !nic->rx_pkts)
		return -1;
	nic->rx_count = rx_fill(nic, count);
	if (nic->rx_count == 0)
		return -1;
	nic->netdev.rings.rx = nic->rx_count;
	nic->netdev.rings.rx_maximum = E1000_RING_MAXIMUM;
	nic->rx_next_to_clean = 0;
	nic->rx_discarding = false;

	uint64_t ring = virt_to_phys(nic->rx_ring);
	e1000_write32(nic, E1000_RDBAL, (uint32_t)ring);
	e1000_write32(nic, E1000_RDBAH, (uint32_t)(ring >> 32));
	e1000_write32(nic, E1000_RDLEN, nic->rx_count * (uint32_t)sizeof(struct e1000_rx_desc));
	e1000_write32(nic, E1000_RDH, 0);
	e1000_write32(nic, E1000_RDT, nic->rx_count - 1);
	e1000_write32(nic, E1000_RDTR, 0);
	e1000_write32(nic, E1000_RADV, 0);
	e1000_write32(nic, E1000_RXCSUM, E1000_RXCSUM_IPOFLD | E1000_RXCSUM_TUOFLD);
	return 0;
}

/* RCTL (8254x SDM 13.4.22): on, broadcasts accepted, CRC stripped, 2048-byte
 * buffers, no long packets, RXDMT0 at half the ring, no promiscuity.
 * QEMU's e1000 model (not e1000e) holds received frames back for one
 * second after every RCTL write; they are delivered late, not lost. */
void e1000_rx_enable(struct e1000 *nic)
{
	e1000_write32(nic, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC | E1000_RCTL_BSIZE_2048 |
					       E1000_RCTL_RDMTS_HALF);
}

/* The NIC vouches for the frame only when it checked the IPv4 header and
 * the TCP/UDP checksum and found no error (8254x SDM 3.2.3.1, 3.2.9);
 * otherwise the stack checks in software and counts what is wrong. */
static uint8_t rx_checksum_state(struct e1000 *nic, uint8_t status, uint8_t errors)
{
	if (status & E1000_RXD_STATUS_IXSM)
		return PKT_CHECKSUM_NONE;
	if (errors & (E1000_RXD_ERROR_IPE | E1000_RXD_ERROR_TCPE))
		return PKT_CHECKSUM_NONE;
	bool l4_checked = status & (E1000_RXD_STATUS_TCPCS | E1000_RXD_STATUS_UDPCS);
	if (!(status & E1000_RXD_STATUS_IPCS) || !l4_checked)
		return PKT_CHECKSUM_NONE;
	nic->counters.rx_checksum_offloaded++;
	return PKT_CHECKSUM_UNNECESSARY;
}

/* Whether a completed descriptor carries a frame to deliver; counts every
 * reason not to. The descriptor keeps its buffer when this says no. */
static bool rx_frame_wanted(struct e1000 *nic, uint8_t status, uint8_t errors, uint16_t length)
{
	struct netdev_stats *stats = &nic->netdev.stats;
	if (!(status & E1000_RXD_STATUS_EOP)) {
		if (!nic->rx_discarding)
			nic->counters.rx_discard_multi_descriptor++;
		nic->rx_discarding = true;
		return false;
	}
	if (nic->rx_discarding) {  /* the last piece of a discarded frame */
		nic->rx_discarding = false;
		return false;
	}
	if (errors & E1000_RXD_ERROR_FRAME) {
		nic->counters.rx_descriptor_errors++;
		stats->rx_errors++;
		if (errors & (E1000_RXD_ERROR_CE | E1000_RXD_ERROR_SE | E1000_RXD_ERROR_SEQ | E1000_RXD_ERROR_CXE))
			stats->rx_frame_errors++;
		return false;
	}
	if (length == 0 || length > E1000_RX_BUFFER_SIZE) {
		nic->counters.rx_descriptor_errors++;
		stats->rx_errors++;
		return false;
	}
	return true;
}

/* Handles the completed descriptor at index: delivers its frame (after
 * putting a fresh pkt in its place) or gives its buffer back. */
static void rx_complete(struct e1000 *nic, unsigned index, uint64_t now_ns)
{
	volatile struct e1000_rx_desc *desc = &nic->rx_ring[index];
	uint8_t status = desc->status, errors = desc->errors;
	uint16_t length = desc->length;
	if (!rx_frame_wanted(nic, status, errors, length)) {
		desc->status = 0;
		return;
	}
	struct pkt *replacement = pkt_alloc();
	if (!replacement) {
		nic->counters.rx_no_buffer++;
		nic->netdev.stats.rx_dropped++;
		desc->status = 0;
		return;
	}
	struct pkt *pkt = nic->rx_pkts[index];
	rx_attach(nic, index, replacement);
	pkt_put(pkt, length);
	pkt->device = &nic->netdev;
	pkt->timestamp_ns = now_ns;
	pkt->checksum_state = rx_checksum_state(nic, status, errors);
	netdev_receive(&nic->netdev, pkt);
}

/* Takes up to budget completed descriptors off the ring, then hands them
 * back by moving RDT to the last one. Returns descriptors processed. */
int e1000_rx_poll(struct e1000 *nic, int budget)
{
	unsigned index = nic->rx_next_to_clean;
	int done = 0;
	uint64_t now_ns = clock_monotonic_ns();
	while (done < budget) {
		if (!(nic->rx_ring[index].status & E1000_RXD_STATUS_DD))
			break;
		/* The device writes DD last: read the rest only after seeing it. */
		read_barrier();
		rx_complete(nic, index, now_ns);
		index = (index + 1) % nic->rx_count;
		done++;
	}
	if (done > 0) {
		nic->rx_next_to_clean = index;
		e1000_write32(nic, E1000_RDT, (index + nic->rx_count - 1) % nic->rx_count);
	}
	return done;
}
