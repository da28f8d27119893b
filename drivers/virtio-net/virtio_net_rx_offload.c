/* virtio_net_rx_offload.c - what the virtio-net header of a received frame
 * asks of us (virtio 1.2 section 5.1.6.4), judged before the stack sees it.
 *
 * gso_type NONE: DATA_VALID means the device checked the checksum;
 * NEEDS_CSUM means only the pseudo-header sum is in place (a sender on the
 * host offloaded it), which we finish here so the stack sees a correct
 * frame. The frame is one buffer by then (virtio_net_rxtx.c).
 *
 * gso_type TCPV4 (only with VIRTIO_NET_F_GUEST_TSO4): a TCP super-frame of
 * up to 64 KB, possibly in several buffers, that the host never cut. It
 * becomes a pkt with gso_size and PKT_CHECKSUM_PARTIAL - the form TCP
 * gives a TSO super-segment (net/core/pkt.h, netdev.h: IPv4 total length of
 * the whole datagram, the pseudo-header sum in the TCP checksum field) - so
 * forwarding hands it to the egress device as one unit and the stack cuts
 * it (net/core/gso.c) where it must. Like Linux's virtio_net_hdr_to_skb
 * the header is untrusted input: a wrong type, ECN (GUEST_ECN is not
 * negotiated), gso_size 0, hdr_len beyond the frame, no NEEDS_CSUM (5.1.6.4
 * requires it with GSO), a checksum request that is not TCP's field, or a
 * frame that is not one whole IPv4/TCP datagram is dropped, each counted
 * under its own driver counter. A frame whose payload fits one segment is
 * no super-frame ("too small packets are not really GSO ones", as Linux):
 * it goes up as an ordinary frame with its checksum finished here. */
#include "drivers/virtio-net/virtio_net.h"

#include <stddef.h>

#include "net/core/byteorder.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

static int apply_checksum(struct virtio_net *vn, struct pkt *pkt, const struct virtio_net_header *header)
{
	pkt->checksum_state = PKT_CHECKSUM_NONE;
	if (header->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (virtio_net_checksum_complete(pkt->data, pkt->length, header->checksum_start,
						 header->checksum_offset) != 0) {
			vn->counters.rx_bad_checksum_request++;
			return -1;
		}
		vn->counters.rx_checksum_completed++;
		pkt->checksum_state = PKT_CHECKSUM_UNNECESSARY;
	} else if (header->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		pkt->checksum_state = PKT_CHECKSUM_UNNECESSARY;
	}
	return 0;
}

/* Where the IPv4 and TCP headers of a super-frame are. */
struct super_frame {
	uint32_t tcp_offset;    /* from pkt->data */
	uint32_t headers;       /* Ethernet + IPv4 + TCP bytes */
};

/* The frame must be one whole IPv4 datagram (no fragment, total length =
 * the frame's) carrying TCP, every header in the head buffer. NULL, or the
 * counter naming what is wrong. */
static uint64_t *parse_super_frame(struct virtio_net *vn, const struct pkt *pkt, struct super_frame *frame)
{
	struct virtio_net_counters *c = &vn->counters;
	if (pkt->length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return &c->rx_gso_not_tcp;
	const struct ethernet_header *ethernet = (const void *)pkt->data;
	const struct ipv4_header *ip = (const void *)(pkt->data + ETHERNET_HEADER_LENGTH);
	unsigned ip_length = ipv4_header_length(ip);
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4) || ipv4_version(ip) != IPV4_VERSION ||
	    ip_length < IPV4_HEADER_MIN_LENGTH || ip->protocol != IP_PROTOCOL_TCP || ipv4_is_fragment(ip) ||
	    ntohs(ip->total_length) != pkt_total_length(pkt) - ETHERNET_HEADER_LENGTH)
		return &c->rx_gso_not_tcp;
	frame->tcp_offset = ETHERNET_HEADER_LENGTH + ip_length;
	if (pkt->length < frame->tcp_offset + TCP_HEADER_MIN_LENGTH)
		return &c->rx_gso_bad_header_length;
	const struct tcp_header *tcp = (const void *)(pkt->data + frame->tcp_offset);
	unsigned tcp_length = tcp_header_length(tcp);
	frame->headers = frame->tcp_offset + tcp_length;
	if (tcp_length < TCP_HEADER_MIN_LENGTH || pkt->length < frame->headers)
		return &c->rx_gso_bad_header_length;
	if (tcp->flags & TCP_FLAG_CWR)
		return &c->rx_gso_ecn;      /* would need GSO_ECN (CWR on the first segment only) */
	return NULL;
}

/* The header's own fields, before the frame is read. */
static uint64_t *check_gso_header(struct virtio_net *vn, const struct pkt *pkt, const struct virtio_net_header *header)
{
	struct virtio_net_counters *c = &vn->counters;
	if (header->gso_type & VIRTIO_NET_HDR_GSO_ECN)
		return &c->rx_gso_ecn;
	if (!virtio_net_has_feature(vn, VIRTIO_NET_F_GUEST_TSO4) || header->gso_type != VIRTIO_NET_HDR_GSO_TCPV4)
		return &c->rx_gso_bad_type;
	if (header->gso_size == 0)
		return &c->rx_gso_bad_size;
	if (header->header_length > pkt_total_length(pkt))
		return &c->rx_gso_bad_header_length;
	if (!(header->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return &c->rx_bad_checksum_request;
	return NULL;
}

/* A super-frame: the checksum request must be TCP's field; the pkt keeps
 * it PARTIAL (the host vouched for the data, as Linux's CHECKSUM_PARTIAL
 * on receive) and carries gso_size. */
static int accept_super_frame(struct virtio_net *vn, struct pkt *pkt, const struct virtio_net_header *header)
{
	uint64_t *reason = check_gso_header(vn, pkt, header);
	struct super_frame frame;
	if (reason == NULL)
		reason = parse_super_frame(vn, pkt, &frame);
	if (reason == NULL && (header->checksum_start != frame.tcp_offset ||
			       header->checksum_offset != offsetof(struct tcp_header, checksum)))
		reason = &vn->counters.rx_bad_checksum_request;
	if (reason) {
		(*reason)++;
		return -1;
	}
	if (pkt_total_length(pkt) - frame.headers <= header->gso_size) {
		/* One segment's worth: an ordinary frame, in one buffer. */
		if (pkt_pull_fragments(pkt) != 0) {
			vn->counters.rx_gso_bad_size++;
			return -1;
		}
		return apply_checksum(vn, pkt, header);
	}
	pkt->gso_size = header->gso_size;
	pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
	pkt->checksum_start = (uint16_t)(pkt_headroom(pkt) + frame.tcp_offset);
	pkt->checksum_offset = offsetof(struct tcp_header, checksum);
	vn->counters.rx_gso_packets++;
	return 0;
}

int virtio_net_rx_offload(struct virtio_net *vn, struct pkt *pkt, const struct virtio_net_header *header)
{
	if (header->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return accept_super_frame(vn, pkt, header);
	/* Without GSO a frame fits one buffer; a device that spread one over
	 * several (MRG_RXBUF allows it) gets it joined here. */
	if (pkt_pull_fragments(pkt) != 0) {
		vn->counters.rx_merged_dropped++;
		return -1;
	}
	return apply_checksum(vn, pkt, header);
}
