/* gso.c - software segmentation and linearization (contract in net/core/gso.h). */
#include "net/core/gso.h"

#include <stddef.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

/* Headers from ip_offset (the IPv4 header's, from pkt->data) on. */
static bool find_headers(const struct pkt *pkt, uint32_t ip_offset, struct gso_headers *headers)
{
	if (pkt->gso_size == 0 || pkt->length < ip_offset + IPV4_HEADER_MIN_LENGTH)
		return false;
	const struct ipv4_header *ip = (const void *)(pkt->data + ip_offset);
	unsigned ip_length = ipv4_header_length(ip);
	if (ip->protocol != IP_PROTOCOL_TCP || ip_length < IPV4_HEADER_MIN_LENGTH)
		return false;
	headers->ip_offset = ip_offset;
	headers->tcp_offset = ip_offset + ip_length;
	if (pkt->length < headers->tcp_offset + TCP_HEADER_MIN_LENGTH)
		return false;
	unsigned tcp_length = tcp_header_length((const void *)(pkt->data + headers->tcp_offset));
	headers->length = headers->tcp_offset + tcp_length;
	return tcp_length >= TCP_HEADER_MIN_LENGTH && pkt->length >= headers->length &&
	       pkt_total_length(pkt) > headers->length;
}

bool gso_headers_find(const struct pkt *pkt, struct gso_headers *headers)
{
	if (pkt->length < ETHERNET_HEADER_LENGTH)
		return false;
	const struct ethernet_header *ethernet = (const void *)pkt->data;
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4))
		return false;
	return find_headers(pkt, ETHERNET_HEADER_LENGTH, headers);
}

bool gso_headers_find_network(const struct pkt *pkt, struct gso_headers *headers)
{
	return find_headers(pkt, 0, headers);
}

bool gso_device_takes(const struct netdev *dev, const struct pkt *pkt)
{
	if (pkt->gso_size && !(dev->features & NETDEV_FEATURE_TSO4))
		return false;
	if (pkt->gso_size && pkt_total_length(pkt) - ETHERNET_HEADER_LENGTH > dev->tso_max_bytes)
		return false;
	if (pkt->fragments == NULL)
		return true;
	if (!(dev->features & NETDEV_FEATURE_SCATTER_GATHER))
		return false;
	return pkt_buffer_count(pkt) <= dev->tx_max_buffers;
}

/* Frames of payload bytes cut at gso_size. */
static uint32_t segment_count(const struct pkt *pkt, const struct gso_headers *headers)
{
	uint32_t payload = pkt_total_length(pkt) - headers->length;
	return (payload + pkt->gso_size - 1) / pkt->gso_size;
}

void gso_wire_size(const struct pkt *pkt, uint32_t *frames, uint64_t *bytes)
{
	struct gso_headers headers;
	*frames = 1;
	*bytes = pkt_total_length(pkt);
	if (!gso_headers_find(pkt, &headers))
		return;
	*frames = segment_count(pkt, &headers);
	*bytes += (uint64_t)(*frames - 1) * headers.length;
}

/* The TCP checksum of a finished frame at frame->data (RFC 9293 3.1):
 * the pseudo-header sum left for the device (PARTIAL), the whole sum, or
 * (VERIFIED) the pseudo-header sum with the state saying no one needs to
 * check: the data came with the sender host's word (received PARTIAL). */
static void finish_tcp_checksum(enum gso_checksum mode, struct pkt *frame, const struct gso_headers *headers)
{
	struct ipv4_header *ip = (void *)(frame->data + headers->ip_offset);
	struct tcp_header *tcp = (void *)(frame->data + headers->tcp_offset);
	uint32_t tcp_length = frame->length - headers->tcp_offset;
	tcp->checksum = ipv4_pseudo_header_sum(ip->source, ip->destination, IP_PROTOCOL_TCP, tcp_length);
	switch (mode) {
	case GSO_CHECKSUM_PARTIAL:
		frame->checksum_state = PKT_CHECKSUM_PARTIAL;
		frame->checksum_start = (uint16_t)(pkt_headroom(frame) + headers->tcp_offset);
		frame->checksum_offset = offsetof(struct tcp_header, checksum);
		return;
	case GSO_CHECKSUM_VERIFIED:
		frame->checksum_state = PKT_CHECKSUM_UNNECESSARY;
		return;
	case GSO_CHECKSUM_COMPLETE:
		frame->checksum_state = PKT_CHECKSUM_NONE;
		tcp->checksum = internet_checksum(tcp, tcp_length);
		return;
	}
}

/* Frame number index of the super-segment: headers copied and adjusted,
 * then its slice of the payload. FIN and PSH only on the last, CWR only on
 * the first (RFC 3168 6.1.2: once per window reduction; Linux's
 * tcp_gso_segment). */
static struct pkt *build_segment(enum gso_checksum mode, const struct pkt *pkt, const struct gso_headers *headers,
				 uint32_t index, uint32_t count)
{
	uint32_t payload_total = pkt_total_length(pkt) - headers->length;
	uint32_t offset = index * pkt->gso_size;
	uint32_t length = payload_total - offset < pkt->gso_size ? payload_total - offset : pkt->gso_size;
	struct pkt *frame = pkt_alloc();
	if (frame == NULL)
		return NULL;
	uint8_t *bytes = pkt_put(frame, headers->length + length);
	if (bytes == NULL) {
		pkt_free(frame);
		return NULL;
	}
	memcpy(bytes, pkt->data, headers->length);
	pkt_copy_out(pkt, headers->length + offset, bytes + headers->length, length);
	frame->protocol = pkt->protocol;
	frame->device = pkt->device;
	frame->flags = pkt->flags & (PKT_FLAG_BROADCAST | PKT_FLAG_MULTICAST);
	frame->timestamp_ns = pkt->timestamp_ns;
	frame->network_offset = (uint16_t)(pkt_headroom(frame) + headers->ip_offset);
	frame->transport_offset = (uint16_t)(pkt_headroom(frame) + headers->tcp_offset);

	struct ipv4_header *ip = (void *)(bytes + headers->ip_offset);
	ip->total_length = htons((uint16_t)(frame->length - headers->ip_offset));
	ip->identification = htons((uint16_t)(ntohs(ip->identification) + index));
	ip->header_checksum = 0;
	ip->header_checksum = internet_checksum(ip, headers->tcp_offset - headers->ip_offset);

	struct tcp_header *tcp = (void *)(bytes + headers->tcp_offset);
	tcp->sequence = htonl(ntohl(tcp->sequence) + offset);
	if (index + 1 < count)
		tcp->flags &= (uint8_t)~(TCP_FLAG_FIN | TCP_FLAG_PSH);
	if (index > 0)
		tcp->flags &= (uint8_t)~TCP_FLAG_CWR;
	finish_tcp_checksum(mode, frame, headers);
	return frame;
}

/* The frame takes its share of the super-segment's owned bytes (its own
 * length, or what is left), so the owner hears of each frame as the driver
 * frees it; the super-segment keeps the rest, if any. */
static void hand_on_ownership(struct pkt *pkt, struct pkt *frame)
{
	if (pkt->destructor == NULL || pkt->owner_bytes == 0)
		return;
	uint32_t bytes = pkt_total_length(frame) < pkt->owner_bytes ? pkt_total_length(frame) : pkt->owner_bytes;
	frame->destructor = pkt->destructor;
	frame->owner = pkt->owner;
	frame->owner_bytes = bytes;
	pkt->owner_bytes -= bytes;
	if (pkt->owner_bytes == 0)
		pkt->destructor = NULL;
}

/* Cuts pkt (headers found) into frames handed to hand_on; consumes pkt. */
static int segment(struct pkt *pkt, const struct gso_headers *headers, enum gso_checksum mode,
		   int (*hand_on)(void *context, struct pkt *frame), void *context)
{
	uint32_t count = segment_count(pkt, headers);
	int result = 0;
	for (uint32_t index = 0; index < count; index++) {
		struct pkt *frame = build_segment(mode, pkt, headers, index, count);
		if (frame == NULL) {
			/* The rest is lost like frames a full ring drops; TCP retransmits. */
			net_drop(NULL, NET_DROP_NO_BUFFER);
			result = -1;
			break;
		}
		hand_on_ownership(pkt, frame);
		if (hand_on(context, frame) != 0)
			result = -1;
	}
	pkt_free(pkt);
	return result;
}

struct transmit_context {
	struct netdev *dev;
	int (*send)(struct netdev *dev, struct pkt *frame);
};

static int send_frame(void *context, struct pkt *frame)
{
	struct transmit_context *transmit = context;
	return transmit->send(transmit->dev, frame);
}

int gso_segment_datagrams(struct pkt *pkt, enum gso_checksum mode, int (*consume)(void *context, struct pkt *datagram),
			  void *context)
{
	struct gso_headers headers;
	if (!gso_headers_find_network(pkt, &headers)) {
		net_drop(pkt, NET_DROP_GSO_MALFORMED);
		return -1;
	}
	return segment(pkt, &headers, mode, consume, context);
}

int gso_transmit(struct netdev *dev, struct pkt *pkt, int (*send)(struct netdev *, struct pkt *))
{
	if (pkt->gso_size) {
		struct gso_headers headers;
		if (!gso_headers_find(pkt, &headers)) {
			net_drop(pkt, NET_DROP_GSO_MALFORMED);
			return -1;
		}
		struct transmit_context transmit = { dev, send };
		enum gso_checksum mode = dev->features & NETDEV_FEATURE_TX_CHECKSUM ? GSO_CHECKSUM_PARTIAL
										     : GSO_CHECKSUM_COMPLETE;
		return segment(pkt, &headers, mode, send_frame, &transmit);
	}
	/* One frame in several buffers: its bytes join the head's buffer, where
	 * every header offset stays valid (an MTU-sized frame always fits). */
	if (pkt_pull_fragments(pkt) != 0) {
		net_drop(pkt, NET_DROP_GSO_MALFORMED);
		return -1;
	}
	return send(dev, pkt);
}
