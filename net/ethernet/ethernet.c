/* ethernet.c - Ethernet II input and output.
 *
 * Input drops, each counted: frames shorter than the header ("runt": the
 * 60-byte minimum is not enforced because QEMU and some NICs deliver short
 * frames unpadded; the L3 length checks judge the rest), frames longer than
 * the MTU allows (a received super-frame: its segments), unicast frames for
 * another MAC, EtherTypes we do not speak. */
#include "net/ethernet/ethernet.h"

#include <string.h>

#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/ipv4.h"
#include "net/wire/ethernet.h"

const uint8_t ethernet_broadcast_address[ETHERNET_ADDRESS_LENGTH] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

static uint32_t max_frame_length(const struct netdev *dev, uint16_t ethertype)
{
	return dev->mtu + ETHERNET_HEADER_LENGTH + (ethertype == ETHERTYPE_VLAN ? ETHERNET_VLAN_TAG_LENGTH : 0);
}

/* The longest frame pkt is on the wire: a super-frame a driver received
 * whole (gso_size, virtio GUEST_TSO4) stands for segments of its headers
 * plus gso_size each, which must fit the link like any frame (Linux lets
 * such skbs through; here an oversized segment would not fit a pkt when
 * cut for TCP input). A malformed one is judged by its full length. */
static uint32_t frame_length(const struct pkt *pkt)
{
	return gso_largest_piece(pkt, gso_headers_find);
}

/* Sets the broadcast/multicast flags; false for unicast to another MAC. */
static bool destination_accepted(struct netdev *dev, struct pkt *pkt, const struct ethernet_header *header)
{
	if (!ethernet_address_is_group(header->destination))
		return memcmp(header->destination, dev->mac, ETHERNET_ADDRESS_LENGTH) == 0;
	if (ethernet_address_is_broadcast(header->destination)) {
		pkt->flags |= PKT_FLAG_BROADCAST;
	} else {
		pkt->flags |= PKT_FLAG_MULTICAST;
		dev->stats.rx_multicast++;
	}
	return true;
}

void ethernet_input(struct netdev *dev, struct pkt *pkt)
{
	const struct ethernet_header *header = ethernet_header_view(pkt);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_ETH_RUNT);
		return;
	}
	uint16_t ethertype = ntohs(header->ethertype);
	if (frame_length(pkt) > max_frame_length(dev, ethertype)) {
		net_drop(pkt, NET_DROP_ETH_OVERSIZED);
		return;
	}
	if (!destination_accepted(dev, pkt, header)) {
		net_drop(pkt, NET_DROP_ETH_NOT_FOR_US);
		return;
	}
	pkt->protocol = ethertype;
	pkt_pull(pkt, ETHERNET_HEADER_LENGTH);
	pkt_set_network_header(pkt);
	switch (ethertype) {
	case ETHERTYPE_IPV4:
		ipv4_input(dev, pkt);
		break;
	case ETHERTYPE_ARP:
		arp_input(dev, pkt);
		break;
	default:
		net_drop(pkt, NET_DROP_ETH_UNKNOWN_ETHERTYPE);
		break;
	}
}

/* Short frames are padded here, with zeros (never old buffer contents),
 * rather than trusting every NIC to pad (e1000 TCTL.PSP, virtio: nothing).
 * The padding goes after the last byte: a short chain (a few referenced
 * bytes behind the headers) is made one buffer first. */
static bool pad_to_minimum(struct pkt *pkt)
{
	uint32_t minimum = ETHERNET_MIN_FRAME_LENGTH - ETHERNET_HEADER_LENGTH;
	if (pkt_total_length(pkt) >= minimum)
		return true;
	if (pkt->fragments && pkt_pull_fragments(pkt) != 0)
		return false;
	uint32_t missing = minimum - pkt->length;
	uint8_t *padding = pkt_put(pkt, missing);
	if (padding == NULL)
		return false;
	memset(padding, 0, missing);
	return true;
}

void ethernet_output(struct netdev *dev, struct pkt *pkt, const uint8_t *destination, uint16_t ethertype)
{
	if (!pad_to_minimum(pkt)) {
		net_drop(pkt, NET_DROP_ETH_NO_HEADROOM);
		return;
	}
	struct ethernet_header *header = (struct ethernet_header *)pkt_push(pkt, ETHERNET_HEADER_LENGTH);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_ETH_NO_HEADROOM);
		return;
	}
	memcpy(header->destination, destination, ETHERNET_ADDRESS_LENGTH);
	memcpy(header->source, dev->mac, ETHERNET_ADDRESS_LENGTH);
	header->ethertype = htons(ethertype);
	pkt->protocol = ethertype;
	if (netdev_transmit(dev, pkt) != 0)
		net_drop(NULL, NET_DROP_TX_FAILED);
}
