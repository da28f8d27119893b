/* virtio_rx_offload_check.c - host driver for tests/host/test_virtio_rx_offload.py:
 * the virtio-net receive header (drivers/virtio-net/virtio_net_rx_offload.c,
 * virtio 1.2 5.1.6.4) judged over hand-built frames in chains of 2 KB pkts,
 * as the driver assembles a MRG_RXBUF frame, then (net/core/gso.c) the
 * accepted super-frame cut into the datagrams TCP input gets.
 *
 * Every malformed header or frame is refused (-1) with exactly its own
 * counter moved; a valid one becomes a pkt with gso_size and a PARTIAL
 * checksum on TCP's field; a one-segment "super-frame" an ordinary frame
 * with its checksum finished. Ends with the pool full (no leak). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio-net/virtio_net.h"
#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/core/checksum.h"
#include "net/core/gso.h"
#include "net/core/pkt_pool.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

#include "host_check.h"

#define POOL_COUNT 128
#define HEADERS (ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH + TCP_HEADER_MIN_LENGTH)
#define TCP_OFFSET (ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
#define MSS 1448u
#define PAYLOAD (20 * MSS + 100)          /* 21 segments, the last short */
#define FIRST_SEQUENCE 0x10203040u

static struct virtio_net vn;
static uint64_t drops;

/* net/core/gso.c counts its drops here (net/core/drop.c needs every layer). */
void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	drops++;
	pkt_free(pkt);
}
static uint8_t frame_bytes[HEADERS + PAYLOAD];

static void pool_create(void)
{
	pkt_pool_attach(malloc((size_t)POOL_COUNT * PKT_BUFFER_SIZE), malloc(POOL_COUNT * sizeof(struct pkt)),
			malloc(POOL_COUNT), POOL_COUNT);
}

/* Ethernet + IPv4 (DF) + TCP + payload, checksums as a Linux sender leaves
 * a TSO packet: IPv4 complete, TCP's field the pseudo-header sum. */
static uint32_t build_frame(uint32_t payload)
{
	memset(frame_bytes, 0, HEADERS);
	struct ethernet_header *ethernet = (void *)frame_bytes;
	ethernet->ethertype = htons(ETHERTYPE_IPV4);
	struct ipv4_header *ip = (void *)(frame_bytes + ETHERNET_HEADER_LENGTH);
	ip->version_ihl = 0x45;
	ip->total_length = htons((uint16_t)(IPV4_HEADER_MIN_LENGTH + TCP_HEADER_MIN_LENGTH + payload));
	ip->identification = htons(7);
	ip->flags_fragment_offset = htons(IPV4_FLAG_DONT_FRAGMENT);
	ip->time_to_live = 64;
	ip->protocol = IP_PROTOCOL_TCP;
	ip->source = htonl(0x0A610002);
	ip->destination = htonl(0x0A620002);
	ip->header_checksum = internet_checksum(ip, IPV4_HEADER_MIN_LENGTH);
	struct tcp_header *tcp = (void *)(frame_bytes + TCP_OFFSET);
	tcp->source_port = htons(40000);
	tcp->destination_port = htons(5001);
	tcp->sequence = htonl(FIRST_SEQUENCE);
	tcp->data_offset = 5 << 4;
	tcp->flags = TCP_FLAG_ACK | TCP_FLAG_PSH;
	tcp->window = htons(1000);
	tcp->checksum = ipv4_pseudo_header_sum(ip->source, ip->destination, IP_PROTOCOL_TCP, TCP_HEADER_MIN_LENGTH + payload);
	for (uint32_t i = 0; i < payload; i++)
		frame_bytes[HEADERS + i] = (uint8_t)(i * 7 + i / 251);
	return HEADERS + payload;
}

/* The frame as the driver hands it over: a head of up to head_bytes, then
 * 2 KB buffers (PKT_DATA_SIZE each, the tail of a merged frame). */
static struct pkt *chain_of(uint32_t length, uint32_t head_bytes)
{
	struct pkt *head = NULL;
	for (uint32_t offset = 0; offset < length;) {
		uint32_t room = head ? PKT_DATA_SIZE : head_bytes;
		uint32_t piece = length - offset < room ? length - offset : room;
		struct pkt *pkt = pkt_alloc();
		memcpy(pkt_put(pkt, piece), frame_bytes + offset, piece);
		if (head)
			pkt_append_fragment(head, pkt);
		else
			head = pkt;
		offset += piece;
	}
	return head;
}

static struct virtio_net_header good_header(void)
{
	return (struct virtio_net_header){
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .header_length = HEADERS,
		.gso_size = MSS, .checksum_start = TCP_OFFSET, .checksum_offset = offsetof(struct tcp_header, checksum),
	};
}

static uint64_t counters_sum(void)
{
	const uint64_t *c = (const uint64_t *)&vn.counters;
	uint64_t sum = 0;
	for (size_t i = 0; i < sizeof vn.counters / sizeof(uint64_t); i++)
		sum += c[i];
	return sum;
}

/* The frame (already in frame_bytes, length bytes) with header is refused,
 * and only counter moved, by one. */
static void expect_refused(const char *what, struct virtio_net_header header, uint32_t length, uint32_t head_bytes,
			   const uint64_t *counter)
{
	struct pkt *pkt = chain_of(length, head_bytes);
	uint64_t before = *counter, all_before = counters_sum();
	int result = virtio_net_rx_offload(&vn, pkt, &header);
	if (result != -1 || *counter != before + 1 || counters_sum() != all_before + 1)
		printf("FAIL: %s: result %d, counter %llu -> %llu\n", what, result, (unsigned long long)before,
		       (unsigned long long)*counter);
	CHECK(result == -1 && *counter == before + 1 && counters_sum() == all_before + 1);
	pkt_free(pkt);
}

static void test_malformed_headers(void)
{
	struct virtio_net_counters *c = &vn.counters;
	uint32_t length = build_frame(PAYLOAD);
	struct virtio_net_header header = good_header();
	header.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	expect_refused("ECN flag", header, length, PKT_DATA_SIZE, &c->rx_gso_ecn);
	uint8_t bad_types[] = { VIRTIO_NET_HDR_GSO_UDP, VIRTIO_NET_HDR_GSO_TCPV6, 5, 0x7F };
	for (unsigned i = 0; i < sizeof bad_types; i++) {
		header = good_header();
		header.gso_type = bad_types[i];
		expect_refused("gso_type", header, length, PKT_DATA_SIZE, &c->rx_gso_bad_type);
	}
	header = good_header();
	header.gso_size = 0;
	expect_refused("gso_size 0", header, length, PKT_DATA_SIZE, &c->rx_gso_bad_size);
	header = good_header();
	header.header_length = (uint16_t)(length + 1);
	expect_refused("hdr_len", header, length, PKT_DATA_SIZE, &c->rx_gso_bad_header_length);
	header = good_header();
	header.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	expect_refused("no NEEDS_CSUM", header, length, PKT_DATA_SIZE, &c->rx_bad_checksum_request);
	header = good_header();
	header.checksum_start = TCP_OFFSET + 4;
	expect_refused("csum_start", header, length, PKT_DATA_SIZE, &c->rx_bad_checksum_request);
	header = good_header();
	header.checksum_start = 0xFFFF;
	expect_refused("csum_start out of range", header, length, PKT_DATA_SIZE, &c->rx_bad_checksum_request);
	header = good_header();
	header.checksum_offset = 6;
	expect_refused("csum_offset", header, length, PKT_DATA_SIZE, &c->rx_bad_checksum_request);
	/* Headers split over buffers: the head ends inside the TCP header. */
	expect_refused("headers split", good_header(), length, TCP_OFFSET + 10, &c->rx_gso_bad_header_length);

	uint64_t negotiated = vn.features;
	vn.features &= ~VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4);
	expect_refused("GSO not negotiated", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_bad_type);
	vn.features = negotiated;
}

/* Frames that are no IPv4 TCP datagram, or not one whole one. */
static void test_not_tcp(void)
{
	struct virtio_net_counters *c = &vn.counters;
	struct ipv4_header *ip = (void *)(frame_bytes + ETHERNET_HEADER_LENGTH);
	struct tcp_header *tcp = (void *)(frame_bytes + TCP_OFFSET);
	uint32_t length = build_frame(PAYLOAD);
	ip->protocol = IP_PROTOCOL_UDP;
	expect_refused("UDP", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	length = build_frame(PAYLOAD);
	((struct ethernet_header *)frame_bytes)->ethertype = htons(ETHERTYPE_ARP);
	expect_refused("ARP", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	length = build_frame(PAYLOAD);
	ip->total_length = htons(ntohs(ip->total_length) - 1);
	expect_refused("IPv4 length", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	length = build_frame(PAYLOAD);
	ip->flags_fragment_offset = htons(IPV4_FLAG_MORE_FRAGMENTS);
	expect_refused("fragment", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	length = build_frame(PAYLOAD);
	ip->version_ihl = 0x44;
	expect_refused("IHL 4", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	struct virtio_net_header header = good_header();
	header.header_length = 0;                        /* a hint (5.1.6.4): not what refuses this one */
	expect_refused("Ethernet only", header, ETHERNET_HEADER_LENGTH + 4, PKT_DATA_SIZE, &c->rx_gso_not_tcp);
	length = build_frame(PAYLOAD);
	tcp->data_offset = 4 << 4;
	expect_refused("TCP offset 4", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_bad_header_length);
	length = build_frame(PAYLOAD);
	tcp->flags |= TCP_FLAG_CWR;
	expect_refused("CWR", good_header(), length, PKT_DATA_SIZE, &c->rx_gso_ecn);
}

/* The datagrams TCP input gets: each gso_size bytes of the payload, in
 * order, with its own sequence number, lengths and IPv4 checksum. */
struct cut_result {
	unsigned count;
	uint32_t payload_seen;
	bool complete_checksums;
};

static int take_datagram(void *context, struct pkt *datagram)
{
	struct cut_result *result = context;
	const struct ipv4_header *ip = (const void *)datagram->data;
	const struct tcp_header *tcp = (const void *)(datagram->data + IPV4_HEADER_MIN_LENGTH);
	uint32_t payload = datagram->length - IPV4_HEADER_MIN_LENGTH - TCP_HEADER_MIN_LENGTH;
	CHECK(datagram->fragments == NULL);
	CHECK(ntohs(ip->total_length) == datagram->length);
	CHECK(internet_checksum(ip, IPV4_HEADER_MIN_LENGTH) == 0);
	CHECK(ntohl(tcp->sequence) == FIRST_SEQUENCE + result->payload_seen);
	CHECK(payload == MSS || result->payload_seen + payload == PAYLOAD);
	CHECK(memcmp(datagram->data + IPV4_HEADER_MIN_LENGTH + TCP_HEADER_MIN_LENGTH,
		     frame_bytes + HEADERS + result->payload_seen, payload) == 0);
	bool last = result->payload_seen + payload == PAYLOAD;
	CHECK(!!(tcp->flags & TCP_FLAG_PSH) == last);
	if (result->complete_checksums) {
		uint64_t sum = ones_complement_sum(tcp, datagram->length - IPV4_HEADER_MIN_LENGTH);
		sum += ipv4_pseudo_header_sum(ip->source, ip->destination, IP_PROTOCOL_TCP,
					      datagram->length - IPV4_HEADER_MIN_LENGTH);
		CHECK(ones_complement_fold(sum) == 0xFFFF);
		CHECK(datagram->checksum_state == PKT_CHECKSUM_NONE);
	} else {
		CHECK(datagram->checksum_state == PKT_CHECKSUM_UNNECESSARY);
	}
	result->count++;
	result->payload_seen += payload;
	pkt_free(datagram);
	return 0;
}

static void test_super_frame_accepted_and_cut(bool complete_checksums)
{
	uint32_t length = build_frame(PAYLOAD);
	struct pkt *pkt = chain_of(length, PKT_DATA_SIZE);
	struct virtio_net_header header = good_header();
	uint64_t accepted = vn.counters.rx_gso_packets;
	CHECK(pkt->fragment_count > 10);
	CHECK(virtio_net_rx_offload(&vn, pkt, &header) == 0);
	CHECK(vn.counters.rx_gso_packets == accepted + 1);
	CHECK(pkt->gso_size == MSS && pkt->checksum_state == PKT_CHECKSUM_PARTIAL);
	CHECK(pkt_checksum_start_from_data(pkt) == TCP_OFFSET);
	CHECK(pkt->checksum_offset == offsetof(struct tcp_header, checksum));
	struct gso_headers headers;
	CHECK(gso_headers_find(pkt, &headers) && headers.length == HEADERS);
	pkt_pull(pkt, ETHERNET_HEADER_LENGTH);           /* as IPv4 input sees it */
	struct cut_result result = { .complete_checksums = complete_checksums };
	enum gso_checksum mode = complete_checksums ? GSO_CHECKSUM_COMPLETE : GSO_CHECKSUM_VERIFIED;
	CHECK(gso_segment_datagrams(pkt, mode, take_datagram, &result) == 0);
	CHECK(result.count == (PAYLOAD + MSS - 1) / MSS && result.payload_seen == PAYLOAD);
}

/* One segment's worth is no super-frame (Linux's virtio_net_hdr_to_skb):
 * an ordinary frame, in one buffer, its checksum finished. */
static void test_small_gso_frame_is_ordinary(void)
{
	uint32_t payload = 1000;
	uint32_t length = build_frame(payload);
	struct pkt *pkt = chain_of(length, 600);
	struct virtio_net_header header = good_header();
	CHECK(virtio_net_rx_offload(&vn, pkt, &header) == 0);
	CHECK(pkt->gso_size == 0 && pkt->fragments == NULL && pkt->length == length);
	CHECK(pkt->checksum_state == PKT_CHECKSUM_UNNECESSARY);
	const struct ipv4_header *ip = (const void *)(pkt->data + ETHERNET_HEADER_LENGTH);
	uint64_t sum = ones_complement_sum(pkt->data + TCP_OFFSET, length - TCP_OFFSET);
	sum += ipv4_pseudo_header_sum(ip->source, ip->destination, IP_PROTOCOL_TCP, length - TCP_OFFSET);
	CHECK(ones_complement_fold(sum) == 0xFFFF);
	pkt_free(pkt);
}

/* A gso_size as large as the whole payload makes one segment's worth, but
 * one too long for a buffer cannot become an ordinary frame: refused
 * (rx_gso_bad_size), not handed up as a super-frame of one segment. */
static void test_small_gso_frame_too_long_for_a_buffer(void)
{
	uint32_t payload = 4000;
	uint32_t length = build_frame(payload);
	struct virtio_net_header header = good_header();
	header.gso_size = (uint16_t)payload;
	expect_refused("one segment too long for a buffer", header, length, PKT_DATA_SIZE, &vn.counters.rx_gso_bad_size);
}

/* Without GSO: a frame a device spread over buffers is joined; one too
 * long for a buffer is refused (rx_merged_dropped). */
static void test_plain_merged_frames(void)
{
	struct virtio_net_header header = { .gso_type = VIRTIO_NET_HDR_GSO_NONE };
	uint32_t length = build_frame(1400);
	struct pkt *pkt = chain_of(length, 500);
	CHECK(virtio_net_rx_offload(&vn, pkt, &header) == 0);
	CHECK(pkt->fragments == NULL && pkt->length == length && memcmp(pkt->data, frame_bytes, length) == 0);
	pkt_free(pkt);
	length = build_frame(4000);
	expect_refused("long plain frame", header, length, PKT_DATA_SIZE, &vn.counters.rx_merged_dropped);
}

int main(void)
{
	pool_create();
	vn.header_size = sizeof(struct virtio_net_header);
	vn.features = VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_NET_F_MRG_RXBUF) |
		      VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4);
	test_malformed_headers();
	test_not_tcp();
	test_super_frame_accepted_and_cut(false);
	test_super_frame_accepted_and_cut(true);
	test_small_gso_frame_is_ordinary();
	test_small_gso_frame_too_long_for_a_buffer();
	test_plain_merged_frames();
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK(stats.free == stats.total);
	CHECK(drops == 0);
	printf("virtio_rx_offload: %d failures\n", failures);
	return failures != 0;
}
