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

#include <stddef.h>
#include <string.h>

#include "net/core/gso.h"
#include "net/wire/tcp.h"

/* The headers are where net/core/gso.h finds them, with the partial checksum on TCP's field. */
static int gso_header(struct virtio_net *vn, const struct pkt *pkt, struct virtio_net_header *header)
{
	struct gso_headers headers;
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_HOST_TSO4) || pkt->checksum_state != PKT_CHECKSUM_PARTIAL ||
	    !gso_headers_find(pkt, &headers) || pkt_checksum_start_from_data(pkt) != headers.tcp_offset ||
	    pkt->checksum_offset != offsetof(struct tcp_header, checksum))
		return -1;
	const struct tcp_header *tcp = (const struct tcp_header *)(pkt->data + headers.tcp_offset);
	if (tcp->flags & TCP_FLAG_CWR)
		return -1;
	header->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	header->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	header->gso_size = pkt->gso_size;
	header->header_length = (uint16_t)headers.length;
	header->checksum_start = (uint16_t)headers.tcp_offset;
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
