/* gso.h - software segmentation: what netdev_transmit does with a pkt the
 * device cannot take as built (Linux's GSO fallback).
 *
 * A TSO super-segment (pkt.h: gso_size != 0; Ethernet + IPv4 + TCP, all
 * headers in the head buffer) for a device without NETDEV_FEATURE_TSO4 is
 * cut into frames of gso_size payload bytes, each a copy of the headers
 * with its own IPv4 length, ID and checksum and TCP sequence number, FIN
 * and PSH only on the last, CWR only on the first (what a TSO device does:
 * 8254x SDM 3.5, the virtio 1.2 5.1.6.2 host side). A multi-buffer pkt for a
 * device without SCATTER_GATHER is copied into its head's buffer. Either
 * way the TCP checksum is left PARTIAL for a device with TX_CHECKSUM and
 * finished here otherwise. Super-segments also arrive from a driver
 * (virtio-net GUEST_TSO4): forwarded whole, they meet the same rule on the
 * way out; IPv4 cuts them with gso_segment_datagrams where whole segments
 * are needed (TCP input, fragmentation). */
#ifndef KEEL_NET_GSO_H
#define KEEL_NET_GSO_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/netdev.h"

/* Where a super-segment's headers are, from pkt->data: Ethernet, IPv4 and
 * TCP, all in the head buffer, and payload after them. Drivers with TSO
 * read them here too. */
struct gso_headers {
	uint32_t ip_offset, tcp_offset, length;  /* length: all headers */
};
/* false when pkt has no gso_size or is not such a packet. */
bool gso_headers_find(const struct pkt *pkt, struct gso_headers *headers);
/* The same for a pkt whose data starts at its IPv4 header (ip_offset 0):
 * a received super-segment (a driver's GSO receive, virtio GUEST_TSO4)
 * inside the IPv4 layer. */
bool gso_headers_find_network(const struct pkt *pkt, struct gso_headers *headers);
/* The longest piece pkt becomes on the wire: for a super-segment, its
 * headers plus gso_size (Linux's skb_gso_validate_mac_len/network_len: a
 * GSO packet whose segments fit the MTU is not too big), else its whole
 * length, as for a malformed one. find: gso_headers_find from the link
 * layer, gso_headers_find_network inside IPv4. */
static inline uint32_t gso_largest_piece(const struct pkt *pkt,
					 bool (*find)(const struct pkt *, struct gso_headers *))
{
	struct gso_headers headers;
	if (pkt->gso_size && find(pkt, &headers))   /* inline: every received frame asks */
		return headers.length + pkt->gso_size;
	return pkt_total_length(pkt);
}
/* Whether dev takes pkt as it is (features and buffer count). */
bool gso_device_takes(const struct netdev *dev, const struct pkt *pkt);
/* Frames pkt becomes on the wire (1 unless gso_size), and their bytes with
 * the headers repeated in each: what /proc/net/dev counts. */
void gso_wire_size(const struct pkt *pkt, uint32_t *frames, uint64_t *bytes);
/* Builds the frames and hands each to send (which consumes it); consumes
 * pkt. Returns 0 when every frame was accepted, -1 otherwise (malformed
 * pkts and an empty pool are counted as drops). */
int gso_transmit(struct netdev *dev, struct pkt *pkt, int (*send)(struct netdev *dev, struct pkt *frame));

/* What a cut frame's TCP checksum is left as: PARTIAL for a device that
 * sums, COMPLETE in the data, or VERIFIED (PKT_CHECKSUM_UNNECESSARY, not
 * summed: a received super-segment came with the sending host's word,
 * Linux's CHECKSUM_PARTIAL on receive). */
enum gso_checksum {
	GSO_CHECKSUM_PARTIAL,
	GSO_CHECKSUM_COMPLETE,
	GSO_CHECKSUM_VERIFIED,
};
/* Cuts a received super-segment whose data starts at its IPv4 header into
 * datagrams (Linux's skb_gso_segment where a GSO skb meets a path that
 * needs real segments: TCP input, IPv4 fragmentation), each handed to
 * consume in order (which consumes it; nonzero: it was dropped). Consumes
 * pkt; 0 when every datagram was taken, -1 otherwise (a malformed pkt and
 * an empty pool are counted as drops). */
int gso_segment_datagrams(struct pkt *pkt, enum gso_checksum mode, int (*consume)(void *context, struct pkt *datagram),
			  void *context);

#endif
