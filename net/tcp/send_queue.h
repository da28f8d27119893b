/* send_queue.h - a connection's send buffer: the bytes from snd_una
 * (unacknowledged, then unsent) in sequence order, as a list of spans.
 *
 * Bytes the application wrote are copied into a byte ring (net/tcp/ring.h).
 * Bytes it handed from memory that never changes for the life of the
 * image (the image's read-only data, e.g. httpd's embedded site, see
 * kernel_memory_immutable) are only referenced: neither send() nor the
 * transmission copies them, the NIC reads them where they are (zero copy).
 * Either kind counts against the capacity (SO_SNDBUF, tcp_wmem).
 *
 *   spans:  [copied 180][referenced 1 MiB][copied 200] ...
 *   ring:    180 + 200 bytes, in the order of the copied spans
 *
 * The span table is bounded (TCP_SEND_SPANS_MAX per connection); when it
 * is full, new bytes are copied onto the last span if it is a copied one,
 * otherwise no space is left until an ACK frees a span. */
#ifndef KEEL_NET_TCP_SEND_QUEUE_H
#define KEEL_NET_TCP_SEND_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "net/tcp/ring.h"

#define TCP_SEND_SPANS_MAX 16

struct tcp_send_span {
	const uint8_t *memory;   /* referenced bytes; NULL: the next `length` bytes of the ring */
	uint32_t length;
};

struct tcp_send_queue {
	struct tcp_ring ring;                          /* the copied bytes */
	struct tcp_send_span spans[TCP_SEND_SPANS_MAX]; /* circular, oldest at first_span */
	uint8_t first_span, span_count;
	uint32_t used;                                 /* bytes queued, copied and referenced */
	uint32_t capacity;                             /* bound on used */
};

void tcp_send_queue_init(struct tcp_send_queue *queue, uint32_t capacity);
void tcp_send_queue_release(struct tcp_send_queue *queue);
/* Bytes that may be appended now (0 when the span table is full and its
 * last span is a referenced one). */
uint32_t tcp_send_queue_free_space(const struct tcp_send_queue *queue);
/* Appends length bytes (<= free space) copied from data. 0, or -1 when
 * ring storage cannot be allocated. */
int tcp_send_queue_append_copy(struct tcp_send_queue *queue, const void *data, uint32_t length);
/* Appends length bytes (<= free space) of immutable memory by reference.
 * 0, or -1 when the span table has no room (the caller copies instead). */
int tcp_send_queue_append_reference(struct tcp_send_queue *queue, const void *memory, uint32_t length);
/* Copies length bytes starting offset bytes after the oldest (offset + length <= used). */
void tcp_send_queue_peek(const struct tcp_send_queue *queue, uint32_t offset, void *out, uint32_t length);
/* The byte at offset: its address when it is referenced memory (NULL when
 * it was copied), and in *contiguous how many bytes from it are of the same span. */
const uint8_t *tcp_send_queue_locate(const struct tcp_send_queue *queue, uint32_t offset, uint32_t *contiguous);
/* How many bytes from offset a pkt of at most `buffers` buffers of
 * buffer_size bytes can carry, as TCP's output fills them: copied runs
 * packed into buffers (the first into the head, after the headers),
 * each referenced run in fragments of its own; the head is spent on the
 * headers alone when the bytes start with a referenced run. */
uint32_t tcp_send_queue_bytes_in_buffers(const struct tcp_send_queue *queue, uint32_t offset, uint32_t buffers,
					 uint32_t buffer_size);
/* Forgets the length oldest bytes (acknowledged). */
void tcp_send_queue_consume(struct tcp_send_queue *queue, uint32_t length);
/* Raises the capacity (never below what is queued). */
void tcp_send_queue_set_capacity(struct tcp_send_queue *queue, uint32_t capacity);

#endif
