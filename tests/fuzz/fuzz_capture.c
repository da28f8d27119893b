/* fuzz_capture.c - libFuzzer harness: packet capture (net/core/capture*.c)
 * on arbitrary frames, compiled unchanged against glibc with a malloc'd pkt
 * pool and the host's fake clock. The filter reads headers of any frame,
 * the tap finishes a PARTIAL checksum at offsets the pkt claims and copies
 * frames of any shape: all from bytes the fuzzer chooses.
 *
 * Input: a 13-byte header, then the frame (at most FRAME_MAX bytes).
 *   [0] bit 0: transmitted (else received); bit 1: PKT_CHECKSUM_PARTIAL;
 *       bit 2: fragments outside the pool (pkt_attach_external);
 *       bits 3-5: the frame is tapped 1..8 times; bit 6: a filter
 *   [1] checksum_start (from the frame's start), [2] checksum_offset
 *   [3-4] bytes in the head buffer (big-endian; the rest in fragments)
 *   [5] ip_protocol, [6-9] host, [10-11] port (big-endian): the filter
 *   [12] how many bytes each capture_read asks for (1..256)
 *
 * A session is opened (an impossible filter, -EINVAL, falls back to none),
 * the frame tapped, the stream read in those pieces and parsed: the file
 * header, then one record per tap exactly when the filter matches the
 * frame and it is an Ethernet frame, each holding the frame from its
 * network header on, identical but for the two checksum bytes when
 * PARTIAL. The pkt must be unchanged by the taps; after capture_stop the
 * pool must be full. Any broken rule aborts. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/capture.h"
#include "net/core/capture_internal.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"

#define HEADER_BYTES 13
#define FRAME_MAX 8192u
#define POOL_COUNT 16
#define FILE_HEADER 24u
#define RECORD_OVERHEAD (16u + 20u - 14u)

static struct netdev device = { .name = "eth0", .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };

int64_t rtc_realtime_ns(void) { return 1796646896789000000ll; }
unsigned netdev_index(const struct netdev *dev) { return 1; }

void panic(const char *format, ...)
{
	fprintf(stderr, "panic: %s\n", format);
	abort();
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_capture: %s\n", what);
	abort();
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

static struct pkt *build_pkt(const uint8_t *frame, uint32_t length, uint32_t head_length, int external)
{
	struct pkt *pkt = pkt_alloc();
	if (head_length > length || head_length > PKT_DATA_SIZE)
		head_length = length < PKT_DATA_SIZE ? length : PKT_DATA_SIZE;
	memcpy(pkt_put(pkt, head_length), frame, head_length);
	for (uint32_t offset = head_length; offset < length;) {
		uint32_t piece = length - offset < PKT_DATA_SIZE ? length - offset : PKT_DATA_SIZE;
		struct pkt *fragment = pkt_alloc();
		if (fragment == NULL)
			fail("pool too small");
		if (external)
			pkt_attach_external(fragment, frame + offset, piece);
		else
			memcpy(pkt_put(fragment, piece), frame + offset, piece);
		pkt_append_fragment(pkt, fragment);
		offset += piece;
	}
	return pkt;
}

/* The records of stream (after the file header), each checked against frame. */
static unsigned check_records(const uint8_t *stream, size_t length, const uint8_t *frame, uint32_t frame_length,
			      long checksum_field)
{
	unsigned records = 0;
	size_t offset = FILE_HEADER;
	while (offset < length) {
		uint32_t captured, original;
		if (offset + 16 > length)
			fail("record header cut");
		memcpy(&captured, stream + offset + 8, 4);
		memcpy(&original, stream + offset + 12, 4);
		if (captured != original || captured != frame_length + 20 - 14 || offset + 16 + captured > length)
			fail("record length");
		const uint8_t *network = stream + offset + 16 + 20;
		for (uint32_t i = 14; i < frame_length; i++)
			if (network[i - 14] != frame[i] && (long)i != checksum_field && (long)i != checksum_field + 1)
				fail("record bytes differ from the frame");
		offset += 16 + captured;
		records++;
	}
	return records;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t stream[8 * (FRAME_MAX + RECORD_OVERHEAD) + FILE_HEADER];
	static uint8_t after[FRAME_MAX];
	if (size < HEADER_BYTES)
		return 0;
	pool_once();
	uint8_t flags = data[0];
	uint32_t frame_length = (uint32_t)(size - HEADER_BYTES < FRAME_MAX ? size - HEADER_BYTES : FRAME_MAX);
	const uint8_t *frame = data + HEADER_BYTES;
	struct capture_filter filter = { 0 };
	if (flags & 0x40) {
		filter.ip_protocol = data[5];
		memcpy(&filter.host, data + 6, 4);
		filter.port = (uint16_t)(data[10] << 8 | data[11]);
	}
	if (capture_start(NULL, &filter, 0, 0) == -EINVAL) {
		filter = (struct capture_filter){ 0 };
		if (capture_start(NULL, &filter, 0, 0) != 0)
			fail("start");
	}
	struct pkt *pkt = build_pkt(frame, frame_length, (uint32_t)(data[3] << 8 | data[4]), flags & 4);
	long checksum_field = -1;
	if (flags & 2) {
		pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
		pkt->checksum_start = (uint16_t)(pkt_headroom(pkt) + data[1]);
		pkt->checksum_offset = data[2];
		checksum_field = (long)data[1] + data[2];
	}
	unsigned taps = 1 + ((flags >> 3) & 7);
	for (unsigned i = 0; i < taps; i++) {
		capture_tap_if_active(&device, pkt, flags & 1 ? CAPTURE_TRANSMITTED : CAPTURE_RECEIVED);
		if (pkt_total_length(pkt) != frame_length || pkt_copy_out(pkt, 0, after, frame_length) != 0 ||
		    memcmp(after, frame, frame_length) != 0)
			fail("the tap changed the pkt");
	}
	pkt_free(pkt);
	size_t length = 0, piece = 1 + data[12], count;
	while ((count = capture_read(stream + length, piece < sizeof(stream) - length ? piece : sizeof(stream) - length)))
		length += count;
	if (length < FILE_HEADER || capture_read(stream, 1) != 0)
		fail("stream");
	unsigned records = check_records(stream, length, frame, frame_length, checksum_field);
	bool matches = frame_length >= 14 && capture_filter_match(&filter, frame, frame_length);
	if (records != (matches ? taps : 0))
		fail("records do not follow the filter");
	capture_stop();
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	if (pool.free != pool.total)
		fail("pkt leaked");
	return 0;
}
