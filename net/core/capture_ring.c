/* capture_ring.c - the capture session's record buffer, each record
 * contiguous (contract in net/core/capture_internal.h). */
#include "net/core/capture_internal.h"

#include <string.h>

void capture_ring_init(struct capture_ring *ring, uint8_t *bytes, uint32_t size)
{
	*ring = (struct capture_ring){ .bytes = bytes, .size = size };
}

bool capture_ring_empty(const struct capture_ring *ring)
{
	return !ring->wrapped && ring->read == ring->write;
}

uint8_t *capture_ring_reserve(struct capture_ring *ring, uint32_t length)
{
	/* Empty: start over at 0, the most contiguous room there is. */
	if (capture_ring_empty(ring))
		ring->read = ring->write = 0;
	if (ring->wrapped) {
		if (ring->read - ring->write < length)
			return NULL;
	} else if (ring->size - ring->write < length) {
		/* Too near the end: go back to the start if the record fits
		 * below what the reader has yet to take. */
		if (ring->read < length)
			return NULL;
		ring->wrap = ring->write;
		ring->wrapped = true;
		ring->write = 0;
	}
	uint8_t *record = ring->bytes + ring->write;
	ring->write += length;
	return record;
}

size_t capture_ring_read(struct capture_ring *ring, void *buffer, size_t capacity)
{
	size_t copied = 0;
	while (copied < capacity) {
		if (ring->wrapped && ring->read == ring->wrap) {
			ring->read = 0;
			ring->wrapped = false;
		}
		uint32_t end = ring->wrapped ? ring->wrap : ring->write;
		if (ring->read == end)
			break;
		size_t count = end - ring->read;
		if (count > capacity - copied)
			count = capacity - copied;
		memcpy((uint8_t *)buffer + copied, ring->bytes + ring->read, count);
		ring->read += (uint32_t)count;
		copied += count;
	}
	return copied;
}
