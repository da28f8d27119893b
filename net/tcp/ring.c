/* ring.c - byte ring with lazily grown storage (contract in net/tcp/ring.h). */
#include "net/tcp/ring.h"

#include <stdlib.h>
#include <string.h>

void tcp_ring_init(struct tcp_ring *ring, uint32_t capacity)
{
	*ring = (struct tcp_ring){ .capacity = capacity };
}

void tcp_ring_release(struct tcp_ring *ring)
{
	free(ring->data);
	ring->data = NULL;
	ring->allocated = ring->head = ring->used = ring->written = 0;
}

static void copy_out(const struct tcp_ring *ring, uint32_t offset, uint8_t *out, uint32_t length)
{
	uint32_t start = (ring->head + offset) % ring->allocated;
	uint32_t first = ring->allocated - start < length ? ring->allocated - start : length;
	memcpy(out, ring->data + start, first);
	memcpy(out + first, ring->data, length - first);
}

/* Storage for at least needed bytes from head: doubles (at least
 * TCP_RING_MIN_ALLOCATION, at most the capacity), moving the written bytes
 * to the start of the new storage. */
static int reserve(struct tcp_ring *ring, uint32_t needed)
{
	if (needed <= ring->allocated)
		return 0;
	uint32_t size = ring->allocated ? ring->allocated : TCP_RING_MIN_ALLOCATION;
	while (size < needed)
		size *= 2;
	if (size > ring->capacity && ring->capacity >= needed)
		size = ring->capacity;
	uint8_t *storage = malloc(size);
	if (storage == NULL)
		return -1;
	if (ring->data) {
		copy_out(ring, 0, storage, ring->written);
		free(ring->data);
	}
	ring->data = storage;
	ring->allocated = size;
	ring->head = 0;
	return 0;
}

int tcp_ring_write(struct tcp_ring *ring, uint32_t offset, const void *bytes, uint32_t length)
{
	if (length == 0)
		return 0;
	uint32_t end = ring->used + offset + length;
	if (reserve(ring, end) != 0)
		return -1;
	uint32_t start = (ring->head + ring->used + offset) % ring->allocated;
	uint32_t first = ring->allocated - start < length ? ring->allocated - start : length;
	memcpy(ring->data + start, bytes, first);
	memcpy(ring->data, (const uint8_t *)bytes + first, length - first);
	if (end > ring->written)
		ring->written = end;
	return 0;
}

void tcp_ring_commit(struct tcp_ring *ring, uint32_t length)
{
	ring->used += length;
	if (ring->used > ring->written)
		ring->written = ring->used;
}

void tcp_ring_peek(const struct tcp_ring *ring, uint32_t offset, void *out, uint32_t length)
{
	if (length)
		copy_out(ring, offset, out, length);
}

void tcp_ring_consume(struct tcp_ring *ring, uint32_t length)
{
	ring->used -= length;
	ring->written -= length;
	/* Out-of-order bytes may sit beyond the committed ones at fixed
	 * positions: head only restarts at 0 when nothing is written. */
	ring->head = ring->written == 0 ? 0 : (ring->head + length) % ring->allocated;
}

void tcp_ring_set_capacity(struct tcp_ring *ring, uint32_t capacity)
{
	ring->capacity = capacity > ring->written ? capacity : ring->written;
}
