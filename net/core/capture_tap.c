/* capture_tap.c - the taps' side of packet capture (contract in
 * net/core/capture.h): a frame a session wants becomes one record (pcap
 * record header, SLL2 header, the frame from its network header on) in the
 * session's buffer, or a counted drop when the reader has not made room.
 * The copy is linearized (a TSO chain's fragments follow its head) and a
 * checksum left to the NIC (PKT_CHECKSUM_PARTIAL) is finished in the copy,
 * never in the frame, which goes on to the driver untouched. */
#include "net/core/capture_internal.h"

#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/capture_format.h"
#include "net/core/checksum.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

/* The largest frame a record holds: a TSO super-segment (a whole IPv4
 * datagram) behind a VLAN-tagged Ethernet header. */
#define CAPTURE_FRAME_MAX (ETHERNET_HEADER_LENGTH + ETHERNET_VLAN_TAG_LENGTH + IPV4_TOTAL_LENGTH_MAX)
#define CAPTURE_RECORD_OVERHEAD (sizeof(struct pcap_record_header) + sizeof(struct sll2_header) - ETHERNET_HEADER_LENGTH)
_Static_assert(CAPTURE_FRAME_MAX - ETHERNET_HEADER_LENGTH + sizeof(struct sll2_header) <= CAPTURE_SNAP_LENGTH,
	       "every frame is recorded whole");
_Static_assert(CAPTURE_FRAME_MAX + CAPTURE_RECORD_OVERHEAD <= CAPTURE_BUFFER_BYTES, "the largest record fits the buffer");

bool capture_active;
struct capture_session capture_session;
struct capture_stats capture_counters;

void capture_session_end(void)
{
	capture_session.ended = true;
	capture_active = false;
}

bool capture_session_check_deadline(uint64_t now_ns)
{
	if (!capture_session.ended && capture_session.deadline_ns && now_ns >= capture_session.deadline_ns)
		capture_session_end();
	return capture_session.ended;
}

/* SLL2's packet type of a received frame, from its destination as the
 * device saw it (Linux's eth_type_trans). Broadcast is the group address of
 * all ones, tested bytewise here: net/ethernet's table of it is not linked
 * where the core is built alone. */
static uint8_t received_packet_type(const struct netdev *dev, const uint8_t *destination)
{
	if (ethernet_address_is_group(destination)) {
		for (unsigned i = 0; i < ETHERNET_ADDRESS_LENGTH; i++)
			if (destination[i] != 0xff)
				return SLL2_PACKET_MULTICAST;
		return SLL2_PACKET_BROADCAST;
	}
	if (memcmp(destination, dev->mac, ETHERNET_ADDRESS_LENGTH) != 0)
		return SLL2_PACKET_OTHERHOST;
	return SLL2_PACKET_HOST;
}

static void write_headers(uint8_t *record, const struct netdev *dev, const uint8_t *ethernet, uint32_t frame_length,
			  enum capture_direction direction, uint64_t now_ns)
{
	const struct ethernet_header *frame_header = (const void *)ethernet;
	uint64_t time_ns = (uint64_t)((int64_t)now_ns + capture_session.realtime_offset_ns);
	uint32_t length = (uint32_t)sizeof(struct sll2_header) + frame_length - ETHERNET_HEADER_LENGTH;
	struct pcap_record_header pcap = {
		.seconds = (uint32_t)(time_ns / NSEC_PER_SEC),
		.microseconds = (uint32_t)(time_ns % NSEC_PER_SEC / NSEC_PER_USEC),
		.captured_length = length,
		.original_length = length,
	};
	struct sll2_header sll2 = {
		.protocol_type = frame_header->ethertype,
		.interface_index = htonl(netdev_index(dev)),
		.arphrd_type = htons(SLL2_ARPHRD_ETHER),
		.packet_type = direction == CAPTURE_TRANSMITTED ? SLL2_PACKET_OUTGOING
							       : received_packet_type(dev, frame_header->destination),
		.address_length = ETHERNET_ADDRESS_LENGTH,
	};
	memcpy(sll2.address, frame_header->source, ETHERNET_ADDRESS_LENGTH);
	memcpy(record, &pcap, sizeof(pcap));
	memcpy(record + sizeof(pcap), &sll2, sizeof(sll2));
}

/* Where the summed bytes of a PARTIAL checksum end in the frame: the IPv4
 * datagram's end, so the zero padding of a short frame stays out of it (as
 * the NIC's context says, 8254x SDM 3.3.6), else the frame's. */
static uint32_t checksummed_end(const uint8_t *frame, uint32_t frame_length)
{
	const struct ethernet_header *ethernet = (const void *)frame;
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4) ||
	    frame_length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return frame_length;
	struct ipv4_header ip;
	memcpy(&ip, frame + ETHERNET_HEADER_LENGTH, sizeof(ip));
	uint32_t end = ETHERNET_HEADER_LENGTH + ntohs(ip.total_length);
	return end < frame_length ? end : frame_length;
}

/* What the NIC does with PKT_CHECKSUM_PARTIAL (netdev.h, virtio 1.2
 * 5.1.6.2): the field holds the pseudo-header sum; the checksum of
 * everything from checksum_start on goes there. frame is the copy, from
 * its Ethernet header. A computed 0 is stored as 0xffff: the same value in
 * ones' complement, and what UDP requires (RFC 768). */
static void finish_partial_checksum(const struct pkt *pkt, uint8_t *frame, uint32_t frame_length)
{
	uint32_t start = pkt_checksum_start_from_data(pkt);
	uint32_t field = start + pkt->checksum_offset;
	uint32_t end = checksummed_end(frame, frame_length);
	if (pkt->checksum_start < pkt_headroom(pkt) || field + 2 > end)
		return;  /* not where the stack ever puts one: left as it is */
	be16 checksum = internet_checksum(frame + start, end - start);
	if (checksum == 0)
		checksum = 0xffff;
	memcpy(frame + field, &checksum, sizeof(checksum));
}

/* Whether the session wants this frame: its device and its filter. The
 * filter reads the headers where they are when the first buffer holds
 * them (every frame but a few chained ones), else a copy of them. */
static bool wanted(const struct netdev *dev, const struct pkt *pkt, uint32_t frame_length)
{
	if (capture_session.device && capture_session.device != dev)
		return false;
	if (capture_filter_is_empty(&capture_session.filter))
		return true;
	uint32_t length = frame_length < CAPTURE_FILTER_BYTES ? frame_length : CAPTURE_FILTER_BYTES;
	if (pkt->length >= length)
		return capture_filter_match(&capture_session.filter, pkt->data, length);
	uint8_t headers[CAPTURE_FILTER_BYTES];
	if (pkt_copy_out(pkt, 0, headers, length) != 0)
		return false;
	return capture_filter_match(&capture_session.filter, headers, length);
}

/* A frame the session does not want costs the device and filter test
 * only: the clock is read (and the duration checked) for a record. */
void capture_tap(struct netdev *dev, const struct pkt *pkt, enum capture_direction direction)
{
	uint32_t frame_length = pkt_total_length(pkt);
	if (!capture_active || !wanted(dev, pkt, frame_length))
		return;
	uint64_t now_ns = clock_monotonic_ns();
	if (capture_session_check_deadline(now_ns))
		return;
	if (frame_length < ETHERNET_HEADER_LENGTH || frame_length > CAPTURE_FRAME_MAX) {
		capture_counters.frames_malformed++;
		return;
	}
	uint8_t *record = capture_ring_reserve(&capture_session.ring, frame_length + (uint32_t)CAPTURE_RECORD_OVERHEAD);
	if (record == NULL) {
		capture_counters.frames_dropped++;
		return;
	}
	/* The frame is copied whole where the SLL2 header's last 14 bytes
	 * are, its Ethernet header read there, then the SLL2 header written
	 * over it. */
	uint8_t *frame = record + CAPTURE_RECORD_OVERHEAD;
	pkt_copy_out(pkt, 0, frame, frame_length);
	if (pkt->checksum_state == PKT_CHECKSUM_PARTIAL)
		finish_partial_checksum(pkt, frame, frame_length);
	uint8_t ethernet[ETHERNET_HEADER_LENGTH];
	memcpy(ethernet, frame, sizeof(ethernet));
	write_headers(record, dev, ethernet, frame_length, direction, now_ns);
	capture_counters.frames_captured++;
	if (capture_session.frame_limit && ++capture_session.frames_recorded >= capture_session.frame_limit)
		capture_session_end();
}
