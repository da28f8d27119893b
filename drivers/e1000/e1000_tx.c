/* e1000_tx.c - the transmit ring (8254x SDM 3.3-3.4, 14.5; 82574 DS 4.6).
 *
 * One legacy descriptor per frame (a pkt is one contiguous buffer), with
 * RS so the device writes DD back; the driver owns the pkt until it sees DD
 * and frees it then (reclaim runs on every xmit and every poll). One slot
 * stays empty: tx_next_to_use + 1 == tx_next_to_clean means full, and a
 * full ring drops the frame (tx_dropped) instead of waiting. Short frames
 * are padded by the MAC (TCTL.PSP). No checksum offload is advertised; a
 * PKT_CHECKSUM_PARTIAL pkt that arrives anyway is completed in software. */
#include "drivers/e1000/e1000.h"
#include "kernel/paging.h"
#include "net/checksum.h"

#include <stdlib.h>

#define ETH_HEADER_LENGTH 14
#define VLAN_TAG_LENGTH 4

/* Transmit initialization (8254x SDM 14.5): ring base/length, head and
 * tail 0 (empty), inter packet gap per chip. TCTL.EN comes with tx_enable. */
int e1000_tx_init(struct e1000 *nic)
{
	unsigned count = netdev_tx_ring_size(E1000_RING_MINIMUM, E1000_RING_MAXIMUM);
	count -= count % E1000_RING_COUNT_MULTIPLE;
	nic->tx_ring = e1000_ring_alloc(count);
	nic->tx_pkts = calloc(count, sizeof(*nic->tx_pkts));
	if (!nic->tx_ring || !nic->tx_pkts)
		return -1;
	nic->tx_count = count;
	nic->tx_next_to_use = nic->tx_next_to_clean = 0;

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

/* Frees the pkts of every descriptor the device has finished, oldest first. */
unsigned e1000_tx_reclaim(struct e1000 *nic)
{
	unsigned reclaimed = 0;
	while (nic->tx_next_to_clean != nic->tx_next_to_use) {
		unsigned index = nic->tx_next_to_clean;
		if (!(nic->tx_ring[index].status & E1000_TXD_STATUS_DD))
			break;
		pkt_free(nic->tx_pkts[index]);
		nic->tx_pkts[index] = NULL;
		nic->tx_next_to_clean = (index + 1) % nic->tx_count;
		reclaimed++;
	}
	return reclaimed;
}

/* Folds the ones' complement sum from checksum_start to the end into
 * checksum_start + checksum_offset (the field holds the pseudo-header seed).
 * Returns -1 when those offsets do not fit the packet. */
static int tx_checksum_in_software(struct pkt *pkt)
{
	uint32_t start = pkt_checksum_start_from_data(pkt), field = start + pkt->checksum_offset;
	if (start >= pkt->length || field + sizeof(be16) > pkt->length)
		return -1;
	be16 checksum = internet_checksum(pkt->data + start, pkt->length - start);
	__builtin_memcpy(pkt->data + field, &checksum, sizeof(checksum));
	pkt->checksum_state = PKT_CHECKSUM_NONE;
	return 0;
}

static int tx_drop(struct e1000 *nic, struct pkt *pkt, uint64_t *reason)
{
	pkt_free(pkt);
	nic->netdev.stats.tx_dropped++;
	if (reason)
		(*reason)++;
	return -1;
}

int e1000_xmit(struct netdev *dev, struct pkt *pkt)
{
	struct e1000 *nic = e1000_from_netdev(dev);
	uint32_t longest = ETH_HEADER_LENGTH + VLAN_TAG_LENGTH + dev->mtu;
	if (pkt->length < ETH_HEADER_LENGTH || pkt->length > longest) {
		dev->stats.tx_errors++;
		return tx_drop(nic, pkt, NULL);
	}
	if (pkt->checksum_state == PKT_CHECKSUM_PARTIAL && tx_checksum_in_software(pkt) != 0) {
		dev->stats.tx_errors++;
		return tx_drop(nic, pkt, NULL);
	}
	e1000_tx_reclaim(nic);
	unsigned index = nic->tx_next_to_use, next = (index + 1) % nic->tx_count;
	if (next == nic->tx_next_to_clean)
		return tx_drop(nic, pkt, &nic->counters.tx_ring_full);

	volatile struct e1000_tx_desc *desc = &nic->tx_ring[index];
	nic->tx_pkts[index] = pkt;
	desc->buffer_address = pkt_dma_address(pkt, pkt->data);
	desc->length = (uint16_t)pkt->length;
	desc->checksum_offset = 0;
	desc->checksum_start = 0;
	desc->special = 0;
	desc->status = 0;
	desc->command = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	nic->tx_next_to_use = next;
	/* The write barrier in e1000_write32 orders the descriptor before the tail. */
	e1000_write32(nic, E1000_TDT, next);
	return 0;
}
