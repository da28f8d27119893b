/* e1000_tx.c - the transmit ring (8254x SDM 3.3-3.4, 14.5; 82574 DS 4.6).
 *
 * A pkt is one data descriptor per buffer (head, then each fragment;
 * 3.3.3: a packet may span descriptors, EOP on the last). A pkt without
 * offloads uses legacy descriptors; one with a partial checksum or TSO
 * uses a context descriptor (when the cached one does not fit) and TCP/IP
 * data descriptors (e1000_tx_offload.c) - the formats both QEMU models
 * and the hardware implement (QEMU's e1000 ignores the legacy CSO/CSS).
 * Only the last descriptor has RS, so the device writes DD there alone;
 * the pkt is kept with its first descriptor, with the index of its last,
 * and freed, chain and all, when DD shows there (reclaim runs on every
 * xmit, tx_ready and poll, and reports to byte queue limits: the bytes
 * each pkt had when xmit took it, netdev_tx_sent_queue). Free descriptors for the
 * whole pkt are checked before the first is written, so the device never
 * sees half a packet. One slot stays empty: tx_next_to_use + 1 ==
 * tx_next_to_clean means full. tx_ready tells netdev_transmit whether the
 * pkt fits, so it waits in the device's backlog; a pkt that reaches xmit
 * anyway and does not fit is dropped (tx_dropped, tx_ring_full). Short
 * frames are padded by the MAC (TCTL.PSP). */
#include "drivers/e1000/e1000.h"
#include "kernel/mm/paging.h"
#include <stdlib.h>
#include <string.h>

/* Transmit initialization (8254x SDM 14.5): ring base/length, head and
 * tail 0 (empty), inter packet gap per chip. TCTL.EN comes with tx_enable. */
int e1000_tx_init(struct e1000 *nic)
{
	unsigned count = netdev_tx_ring_size(E1000_RING_MINIMUM, E1000_RING_MAXIMUM);
	count -= count % E1000_RING_COUNT_MULTIPLE;
	nic->tx_ring = e1000_ring_alloc(count);
	nic->tx_packets = calloc(count, sizeof(*nic->tx_packets));
	if (!nic->tx_ring || !nic->tx_packets)
		return -1;
	nic->tx_count = count;
	nic->netdev.rings.tx = count;
	nic->netdev.rings.tx_maximum = E1000_RING_MAXIMUM;
	nic->tx_next_to_use = nic->tx_next_to_clean = 0;
	nic->tx_context_valid = false;  /* a reset device holds no context */

	uint64_t ring = virt_to_phys(nic->tx_ring);
	e1000_write32(nic, E1000_TDBAL, (uint32_t)ring);
	e1000_write32(nic, E1000_TDBAH, (uint32_t)(ring >> 32));
	e1000_write32(nic, E1000_TDLEN, count * (uint32_t)sizeof(struct e1000_tx_desc));
	e1000_write32(nic, E1000_TDH, 0);
	e1000_write32(nic, E1000_TDT, 0);

	uint32_t ipg_transmit = nic->model->family == E1000_FAMILY_82574 ? E1000_TIPG_IPGT_82574
									  : E1000_TIPG_IPGT_8254X_COPPER;
	e1000_write32(nic, E1000_TIPG, ipg_transmit | E1000_TIPG_IPGR1 << E1000_TIPG_IPGR1_SHIFT |
					       E1000_TIPG_IPGR2 << E1000_TIPG_IPGR2_SHIFT);
	return 0;
}

/* TCTL (8254x SDM 13.4.33, 14.5): on, pad short packets, 16 retries,
 * full-duplex collision distance. */
void e1000_tx_enable(struct e1000 *nic)
{
	e1000_write32(nic, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP |
					       E1000_TCTL_CT_RECOMMENDED << E1000_TCTL_CT_SHIFT |
					       E1000_TCTL_COLD_FULL_DUPLEX << E1000_TCTL_COLD_SHIFT);
}

/* Frees the pkt of every packet the device has finished, oldest first:
 * a packet is done when its last descriptor (EOP, RS) has DD. What was
 * freed goes to byte queue limits, which may restart the queue. */
unsigned e1000_tx_reclaim(struct e1000 *nic)
{
	unsigned reclaimed = 0;
	uint32_t bytes = 0;
	while (nic->tx_next_to_clean != nic->tx_next_to_use) {
		struct e1000_tx_packet *packet = &nic->tx_packets[nic->tx_next_to_clean];
		if (!(nic->tx_ring[packet->last].status & E1000_TXD_STATUS_DD))
			break;
		bytes += packet->bytes;
		pkt_free(packet->pkt);
		packet->pkt = NULL;
		nic->tx_next_to_clean = (packet->last + 1u) % nic->tx_count;
		reclaimed++;
	}
	netdev_tx_completed_queue(&nic->netdev, reclaimed, bytes);
	if (nic->tx_next_to_clean == nic->tx_next_to_use)
		netdev_tx_ring_empty(&nic->netdev);
	return reclaimed;
}

static unsigned tx_free_descriptors(const struct e1000 *nic)
{
	return (nic->tx_next_to_clean + nic->tx_count - nic->tx_next_to_use - 1) % nic->tx_count;
}

static int tx_drop(struct e1000 *nic, struct pkt *pkt, uint64_t *reason)
{
	pkt_free(pkt);
	nic->netdev.stats.tx_dropped++;
	if (reason)
		(*reason)++;
	return -1;
}

static int tx_error(struct e1000 *nic, struct pkt *pkt, uint64_t *reason)
{
	nic->netdev.stats.tx_errors++;
	return tx_drop(nic, pkt, reason);
}

static void write_context(struct e1000 *nic, unsigned index, const struct e1000_tx_context_desc *context)
{
	volatile struct e1000_tx_context_desc *desc = (volatile struct e1000_tx_context_desc *)&nic->tx_ring[index];
	desc->ip_checksum_start = context->ip_checksum_start;
	desc->ip_checksum_offset = context->ip_checksum_offset;
	desc->ip_checksum_end = context->ip_checksum_end;
	desc->tu_checksum_start = context->tu_checksum_start;
	desc->tu_checksum_offset = context->tu_checksum_offset;
	desc->tu_checksum_end = context->tu_checksum_end;
	desc->command_and_length = context->command_and_length;
	desc->status = 0;
	desc->header_length = context->header_length;
	desc->mss = context->mss;
	nic->tx_context = *context;
	nic->tx_context_valid = true;
	nic->counters.tx_context_descriptors++;
}

/* A TSO context is always new (PAYLEN); a checksum one only when it differs
 * from what the device holds. */
static bool context_needed(const struct e1000 *nic, const struct e1000_tx_offload *offload)
{
	if (!offload->extended)
		return false;
	if (offload->context.command_and_length & E1000_TXD_TUCMD_TSE)
		return true;
	return !nic->tx_context_valid || memcmp(&nic->tx_context, &offload->context, sizeof offload->context) != 0;
}

static void write_data(struct e1000 *nic, unsigned index, const struct pkt *buffer, bool last,
		       const struct e1000_tx_offload *offload)
{
	if (!offload->extended) {
		volatile struct e1000_tx_desc *desc = &nic->tx_ring[index];
		desc->buffer_address = pkt_dma_address(buffer, buffer->data);
		desc->length = (uint16_t)buffer->length;
		desc->checksum_offset = 0;
		desc->checksum_start = 0;
		desc->special = 0;
		desc->status = 0;
		desc->command = E1000_TXD_CMD_IFCS | (last ? E1000_TXD_CMD_EOP | E1000_TXD_CMD_RS : 0);
		return;
	}
	volatile struct e1000_tx_data_desc *desc = (volatile struct e1000_tx_data_desc *)&nic->tx_ring[index];
	desc->buffer_address = pkt_dma_address(buffer, buffer->data);
	desc->command_and_length = buffer->length | E1000_TXD_DTYP_DATA | E1000_TXD_DEXT | E1000_TXD_DCMD_IFCS |
				   offload->data_command | (last ? E1000_TXD_DCMD_EOP | E1000_TXD_DCMD_RS : 0);
	desc->status = 0;
	desc->options = offload->options;
	desc->special = 0;
}

/* netdev_ops.tx_ready: room for the whole pkt after reclaiming, counting a
 * context descriptor whenever the pkt asks for an offload (whether the
 * cached context fits is only known once xmit has looked at its headers). */
bool e1000_tx_ready(struct netdev *dev, const struct pkt *pkt)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	e1000_tx_reclaim(nic);
	bool offload = pkt->gso_size != 0 || pkt->checksum_state == PKT_CHECKSUM_PARTIAL;
	return tx_free_descriptors(nic) >= pkt_buffer_count(pkt) + (offload ? 1u : 0u);
}

int e1000_xmit(struct netdev *dev, struct pkt *pkt)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	unsigned buffers = pkt_buffer_count(pkt);
	if (!netdev_tx_acceptable(dev, pkt))
		return tx_error(nic, pkt, NULL);
	struct e1000_tx_offload offload;
	if (e1000_tx_offload_prepare(pkt, nic->model->family, &offload) != 0)
		return tx_error(nic, pkt, &nic->counters.tx_offload_rejected);
	e1000_tx_reclaim(nic);
	bool with_context = context_needed(nic, &offload);
	if (tx_free_descriptors(nic) < buffers + (with_context ? 1u : 0u))
		return tx_drop(nic, pkt, &nic->counters.tx_ring_full);

	uint32_t bytes = pkt_total_length(pkt);
	unsigned first = nic->tx_next_to_use, index = first;
	if (with_context) {
		write_context(nic, index, &offload.context);
		index = (index + 1) % nic->tx_count;
	}
	for (const struct pkt *buffer = pkt; buffer; buffer = pkt_next_buffer(pkt, buffer)) {
		bool last = pkt_next_buffer(pkt, buffer) == NULL;
		write_data(nic, index, buffer, last, &offload);
		if (last)
			nic->tx_packets[first] = (struct e1000_tx_packet){ pkt, (uint16_t)index, bytes };
		index = (index + 1) % nic->tx_count;
	}
	if (offload.data_command & E1000_TXD_DCMD_TSE) {
		nic->counters.tx_tso_packets++;
		nic->counters.tx_tso_segments += offload.segments;
	} else if (offload.extended) {
		nic->counters.tx_checksum_offloaded++;
	} else if (offload.summed_in_software) {
		nic->counters.tx_checksum_software++;
	}
	nic->tx_next_to_use = index;
	netdev_tx_sent_queue(&nic->netdev, bytes);   /* before the tail: the device may finish it at once */
	/* The write barrier in e1000_write32 orders the descriptors before the tail. */
	e1000_write32(nic, E1000_TDT, index);
	return 0;
}
