/* capture.c - the capture session: opening it (its buffer from the heap,
 * the pcap file header first in it), the reader's side, its end and its
 * counters (contract in net/core/capture.h; the records are written by
 * capture_tap.c). Timestamps are wall-clock time when the CMOS clock holds
 * a valid date (kernel/time/rtc.h), else time since boot: the offset is
 * taken once per session so every record's time comes from the same
 * monotonic clock and records are in time order. */
#include "net/core/capture_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "kernel/time/rtc.h"
#include "net/core/capture_format.h"
#include "net/wire/ipv4.h"

static bool filter_can_match(const struct capture_filter *filter)
{
	return filter->port == 0 || filter->ip_protocol == 0 || filter->ip_protocol == IP_PROTOCOL_TCP ||
	       filter->ip_protocol == IP_PROTOCOL_UDP;
}

static void write_file_header(struct capture_ring *ring)
{
	struct pcap_file_header header = {
		.magic = PCAP_MAGIC_MICROSECONDS,
		.version_major = PCAP_VERSION_MAJOR,
		.version_minor = PCAP_VERSION_MINOR,
		.snap_length = CAPTURE_SNAP_LENGTH,
		.linktype = PCAP_LINKTYPE_LINUX_SLL2,
	};
	/* An empty buffer of CAPTURE_BUFFER_BYTES always has the room. */
	memcpy(capture_ring_reserve(ring, sizeof(header)), &header, sizeof(header));
}

int capture_start(struct netdev *dev, const struct capture_filter *filter, uint32_t frame_limit, uint64_t duration_ns)
{
	if (capture_session.open)
		return -EBUSY;
	struct capture_filter wanted = filter ? *filter : (struct capture_filter){ 0 };
	if (!filter_can_match(&wanted))
		return -EINVAL;
	uint8_t *bytes = malloc(CAPTURE_BUFFER_BYTES);
	if (bytes == NULL) {
		capture_counters.buffer_failures++;
		return -ENOMEM;
	}
	int64_t realtime_ns = rtc_realtime_ns();
	uint64_t now_ns = clock_monotonic_ns();
	capture_session = (struct capture_session){
		.open = true,
		.device = dev,
		.filter = wanted,
		.frame_limit = frame_limit,
		.deadline_ns = duration_ns == 0 ? 0 : duration_ns > UINT64_MAX - now_ns ? UINT64_MAX : now_ns + duration_ns,
		.realtime_offset_ns = realtime_ns >= 0 ? realtime_ns - (int64_t)now_ns : 0,
	};
	capture_ring_init(&capture_session.ring, bytes, CAPTURE_BUFFER_BYTES);
	write_file_header(&capture_session.ring);
	capture_counters.sessions++;
	capture_active = true;
	return 0;
}

size_t capture_read(void *buffer, size_t capacity)
{
	if (!capture_session.open)
		return 0;
	capture_session_check_deadline(clock_monotonic_ns());
	return capture_ring_read(&capture_session.ring, buffer, capacity);
}

bool capture_finished(void)
{
	if (!capture_session.open)
		return true;
	return capture_session_check_deadline(clock_monotonic_ns()) && capture_ring_empty(&capture_session.ring);
}

void capture_stop(void)
{
	capture_active = false;
	if (!capture_session.open)
		return;
	free(capture_session.ring.bytes);
	capture_session = (struct capture_session){ 0 };
}

void capture_get_stats(struct capture_stats *stats)
{
	*stats = capture_counters;
	stats->active = capture_session.open;
}
