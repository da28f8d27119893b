/* virtio_net_tx_offload.c - the virtio-net header of a transmitted pkt
 * (virtio 1.2 section 5.1.6.2): what the device should do with it.
 *
 * PKT_CHECKSUM_PARTIAL: with VIRTIO_NET_F_CSUM, NEEDS_CSUM with csum_start
 * and csum_offset (the device sums from csum_start to the end and stores at
 * csum_start + csum_offset; the field holds the pseudo-header sum); without
 * it the sum is finished here, which needs the frame in one buffer - so
 * scatter-gather is only advertised with CSUM, as Linux does.
 *
 * gso_size != 0 (only with VIRTIO_NET_F_HOST_TSO4): gso_type TCPV4,
 * gso_size = TCP payload bytes per segment, hdr_len = Ethernet + IPv4 + TCP
 * header bytes, and NEEDS_CSUM, which 5.1.6.2 requires for every GSO
 * packet. The device (in practice the host kernel behind tap/vhost) fixes
 * each segment's IPv4 length, id and checksum and TCP sequence number,
 * flags and checksum from the headers as Linux's GSO leaves them - the
 * convention netdev.h promises (IPv4 total length of the whole datagram,
 * pseudo-header sum over the whole TCP length) - so nothing is rewritten. A
 * pkt with CWR set would need GSO_ECN and VIRTIO_NET_F_HOST_ECN (5.1.6.2);
 * we do not negotiate it and reject such a pkt. */
#include "drivers/virtio-net/virtio_net.h"

#include <string.h>

#define ETH_HEADER_LENGTH 14
#define TCP_DATA_OFFSET 12
#define TCP_FLAGS 13
#define TCP_FLAG_CWR 0x80
#define TCP_CHECKSUM 16
#define TCP_HEADER_MIN 20

static int gso_header(struct virtio_net *vn, const struct pkt *pkt, struct virtio_net_header *header)
{
	uint32_t tcp_start = pkt_checksum_start_from_data(pkt);
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_HOST_TSO4) || pkt->checksum_state != PKT_CHECKSUM_PARTIAL ||
	    pkt->checksum_offset != TCP_CHECKSUM || tcp_start < ETH_HEADER_LENGTH ||
	    pkt->length < tcp_start + TCP_HEADER_MIN)
		return -1;
	const uint8_t *tcp = pkt->data + tcp_start;
	uint32_t header_length = tcp_start + (tcp[TCP_DATA_OFFSET] >> 4) * 4u;
	if (header_length > pkt->length || header_length >= pkt_total_length(pkt) || (tcp[TCP_FLAGS] & TCP_FLAG_CWR))
		return -1;
	header->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	header->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	header->gso_size = pkt->gso_size;
	header->header_length = (uint16_t)header_length;
	header->checksum_start = (uint16_t)tcp_start;
	header->checksum_offset = pkt->checksum_offset;
	vn->counters.tx_tso_packets++;
	return 0;
}

int virtio_net_tx_header(struct virtio_net *vn, struct pkt *pkt, struct virtio_net_header *header)
{
	memset(header, 0, sizeof *header);
	header->gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (pkt->gso_size != 0) {
		if (gso_header(vn, pkt, header) != 0) {
			vn->counters.tx_offload_rejected++;
			return -1;
		}
		return 0;
	}
	if (pkt->checksum_state != PKT_CHECKSUM_PARTIAL)
		return 0;
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_CSUM)) {
		header->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		header->checksum_start = (uint16_t)pkt_checksum_start_from_data(pkt);
		header->checksum_offset = pkt->checksum_offset;
		return 0;
	}
	if (pkt->fragments) {
		vn->counters.tx_offload_rejected++;
		return -1;
	}
	vn->counters.tx_checksum_software++;
	return virtio_net_checksum_complete(pkt->data, pkt->length, pkt_checksum_start_from_data(pkt),
					    pkt->checksum_offset);
}
