/* ring.h - the byte ring behind a connection's send and receive
 * buffers. Bytes are kept in order from `head` (the oldest: unacked on the
 * send side, unread on the receive side) for `used` bytes. Beyond them,
 * bytes may be written at any offset before being committed: that is how
 * out-of-order data is placed where it belongs (net/tcp/reassembly.h keeps
 * which ranges hold data); `written` is how far from head valid bytes go.
 *
 *   head                  head+used          head+written     capacity
 *   |<--- committed ----->|<- uncommitted -->|<--- free --------->|
 *
 * `capacity` is the logical size (what the window or send buffer allows);
 * the storage behind it is allocated lazily and grown by doubling as bytes
 * arrive, so idle and request/response connections stay small. */
#ifndef KEEL_NET_TCP_RING_H
#define KEEL_NET_TCP_RING_H

#include <stdbool.h>
#include <stdint.h>

#define TCP_RING_MIN_ALLOCATION 2048u

struct tcp_ring {
	uint8_t *data;        /* NULL until first written */
	uint32_t allocated;   /* bytes of storage at data */
	uint32_t capacity;    /* logical size: used + free space */
	uint32_t head;        /* index of the oldest byte in data */
	uint32_t used;        /* committed bytes from head */
	uint32_t written;     /* bytes from head that hold data (>= used) */
};

void tcp_ring_init(struct tcp_ring *ring, uint32_t capacity);
void tcp_ring_release(struct tcp_ring *ring);
static inline uint32_t tcp_ring_free_space(const struct tcp_ring *ring)
{
	return ring->capacity > ring->used ? ring->capacity - ring->used : 0;
}
/* Copies length bytes to offset bytes after the committed data (offset +
 * length <= free space). 0, or -1 when storage cannot be allocated. */
int tcp_ring_write(struct tcp_ring *ring, uint32_t offset, const void *bytes, uint32_t length);
/* Makes length more (already written) bytes part of the committed data. */
void tcp_ring_commit(struct tcp_ring *ring, uint32_t length);
/* Copies length bytes starting offset bytes after head (offset + length <= written). */
void tcp_ring_peek(const struct tcp_ring *ring, uint32_t offset, void *out, uint32_t length);
/* Forgets the length oldest committed bytes. */
void tcp_ring_consume(struct tcp_ring *ring, uint32_t length);
/* Raises the logical capacity (never lowers it below what is written). */
void tcp_ring_set_capacity(struct tcp_ring *ring, uint32_t capacity);

#endif
