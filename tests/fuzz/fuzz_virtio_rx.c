/* fuzz_virtio_rx.c - libFuzzer harness: the virtio-net receive header
 * (drivers/virtio-net/virtio_net_rx_offload.c, virtio 1.2 5.1.6.4) over
 * arbitrary headers and frames in chains of pool buffers, as the driver
 * assembles a MRG_RXBUF frame, and an accepted super-frame cut for TCP input
 * (net/core/gso.c gso_segment_datagrams), compiled unchanged against glibc
 * with a malloc'd pool.
 *
 * Input: a 4-byte harness header, the 12-byte struct virtio_net_header,
 * then the frame (at most FRAME_MAX bytes).
 *   [0] bit 0: VIRTIO_NET_F_GUEST_TSO4 negotiated
 *   [1-2] bytes in the head buffer (big-endian, 1..PKT_DATA_SIZE)
 *   [3] bytes in each further buffer, in 16s (0: a whole buffer); never
 *       more than VIRTIO_NET_RX_BUFFERS_MAX buffers
 *
 * Rules (any broken one aborts): a refused frame moved exactly one driver
 * counter; an accepted one is either one buffer (no gso_size) or a
 * super-frame whose headers gso.h finds, PARTIAL on TCP's checksum field,
 * with more payload than one segment; cut, its datagrams are single
 * buffers of at most the headers plus gso_size whose payloads add up to the
 * super-frame's; after each input the pool is full again. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio-net/virtio_net.h"
#include "net/core/drop.h"
#include "net/core/gso.h"
#include "net/core/pkt_pool.h"
#include "net/wire/ethernet.h"
#include "net/wire/tcp.h"

#define HARNESS_BYTES 4
#define FRAME_MAX 16384u
#define POOL_COUNT 64
#define CONTINUATION_UNIT 16u

void panic(const char *format, ...)
{
	fprintf(stderr, "panic: %s\n", format);
	abort();
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_virtio_rx: %s\n", what);
	abort();
}

/* gso.c's drops (an empty pool, a segment larger than a buffer): counted only. */
void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	pkt_free(pkt);
}

static void pool_once(void)
{
	static int attached;
	if (attached++)
		return;
	static uint8_t buffers[POOL_COUNT * PKT_BUFFER_SIZE];
	static struct pkt descriptors[POOL_COUNT];
	static uint8_t in_use[POOL_COUNT];
	pkt_pool_attach(buffers, descriptors, in_use, POOL_COUNT);
}

static struct pkt *chain_of(const uint8_t *frame, uint32_t length, uint32_t head_bytes, uint32_t piece_bytes)
{
	if (head_bytes == 0 || head_bytes > PKT_DATA_SIZE)
		head_bytes = PKT_DATA_SIZE;
	if (head_bytes > length)
		head_bytes = length;
	uint32_t rest = length - head_bytes;
	uint32_t fewest = (rest + VIRTIO_NET_RX_BUFFERS_MAX - 2) / (VIRTIO_NET_RX_BUFFERS_MAX - 1);
	if (piece_bytes == 0 || piece_bytes > PKT_DATA_SIZE)
		piece_bytes = PKT_DATA_SIZE;
	if (piece_bytes < fewest)
		piece_bytes = fewest;
	struct pkt *head = pkt_alloc();
	memcpy(pkt_put(head, head_bytes), frame, head_bytes);
	for (uint32_t offset = head_bytes; offset < length;) {
		uint32_t piece = length - offset < piece_bytes ? length - offset : piece_bytes;
		struct pkt *fragment = pkt_alloc();
		if (fragment == NULL)
			fail("pool too small");
		memcpy(pkt_put(fragment, piece), frame + offset, piece);
		pkt_append_fragment(head, fragment);
		offset += piece;
	}
	return head;
}

struct cut {
	uint32_t largest_allowed;
	uint32_t header_bytes;   /* IPv4 + TCP, from the datagram's start */
	uint64_t payload;
};

static int take_datagram(void *context, struct pkt *datagram)
{
	struct cut *cut = context;
	if (datagram->fragments || datagram->length > cut->largest_allowed || datagram->length <= cut->header_bytes)
		fail("a cut datagram's shape");
	cut->payload += datagram->length - cut->header_bytes;
	pkt_free(datagram);
	return 0;
}

static uint64_t counters_sum(const struct virtio_net *vn)
{
	const uint64_t *c = (const uint64_t *)&vn->counters;
	uint64_t sum = 0;
	for (size_t i = 0; i < sizeof vn->counters / sizeof(uint64_t); i++)
		sum += c[i];
	return sum;
}

/* An accepted super-frame: its invariants, then cut as IPv4 input cuts it. */
static void check_super_frame(struct pkt *pkt)
{
	struct gso_headers headers;
	if (!gso_headers_find(pkt, &headers) || pkt->checksum_state != PKT_CHECKSUM_PARTIAL ||
	    pkt_checksum_start_from_data(pkt) != headers.tcp_offset ||
	    pkt->checksum_offset != offsetof(struct tcp_header, checksum) ||
	    pkt_total_length(pkt) - headers.length <= pkt->gso_size)
		fail("an accepted super-frame's metadata");
	uint64_t payload = pkt_total_length(pkt) - headers.length;
	struct cut cut = { headers.length - ETHERNET_HEADER_LENGTH + pkt->gso_size, headers.length - ETHERNET_HEADER_LENGTH, 0 };
	pkt_pull(pkt, ETHERNET_HEADER_LENGTH);
	bool all_built = gso_segment_datagrams(pkt, GSO_CHECKSUM_VERIFIED, take_datagram, &cut) == 0;
	if (all_built && cut.payload != payload)
		fail("the datagrams' payloads do not add up");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HARNESS_BYTES + sizeof(struct virtio_net_header) + 1)
		return 0;
	pool_once();
	static struct virtio_net vn;
	memset(&vn, 0, sizeof vn);
	vn.header_size = sizeof(struct virtio_net_header);
	vn.features = VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_NET_F_MRG_RXBUF) |
		      VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM);
	if (data[0] & 1)
		vn.features |= VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4);
	struct virtio_net_header header;
	memcpy(&header, data + HARNESS_BYTES, sizeof header);
	const uint8_t *frame = data + HARNESS_BYTES + sizeof header;
	size_t frame_length = size - HARNESS_BYTES - sizeof header;
	if (frame_length > FRAME_MAX)
		frame_length = FRAME_MAX;
	struct pkt *pkt = chain_of(frame, (uint32_t)frame_length, (uint32_t)(data[1] << 8 | data[2]),
				   data[3] * CONTINUATION_UNIT);
	uint64_t before = counters_sum(&vn);
	if (virtio_net_rx_offload(&vn, pkt, &header) != 0) {
		if (counters_sum(&vn) != before + 1)
			fail("a refused frame moved other than one counter");
	} else if (pkt->gso_size) {
		check_super_frame(pkt);
		pkt = NULL;
	} else if (pkt->fragments) {
		fail("an ordinary frame left in several buffers");
	}
	pkt_free(pkt);
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	if (stats.free != stats.total)
		fail("pool not full after the input");
	return 0;
}
