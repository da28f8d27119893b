/* send_queue.c - copied and referenced spans of the send buffer
 * (contract in net/tcp/send_queue.h). */
#include "net/tcp/send_queue.h"

#include <stddef.h>
#include <string.h>

static struct tcp_send_span *span_at(struct tcp_send_queue *queue, unsigned index)
{
	return &queue->spans[(queue->first_span + index) % TCP_SEND_SPANS_MAX];
}

static const struct tcp_send_span *span_at_const(const struct tcp_send_queue *queue, unsigned index)
{
	return &queue->spans[(queue->first_span + index) % TCP_SEND_SPANS_MAX];
}

static struct tcp_send_span *last_span(struct tcp_send_queue *queue)
{
	return queue->span_count ? span_at(queue, queue->span_count - 1u) : NULL;
}

void tcp_send_queue_init(struct tcp_send_queue *queue, uint32_t capacity)
{
	*queue = (struct tcp_send_queue){ .capacity = capacity };
	tcp_ring_init(&queue->ring, capacity);
}

void tcp_send_queue_release(struct tcp_send_queue *queue)
{
	tcp_ring_release(&queue->ring);
	queue->first_span = queue->span_count = 0;
	queue->used = 0;
}

uint32_t tcp_send_queue_free_space(const struct tcp_send_queue *queue)
{
	if (queue->span_count == TCP_SEND_SPANS_MAX &&
	    span_at_const(queue, TCP_SEND_SPANS_MAX - 1u)->memory != NULL)
		return 0;
	return queue->capacity > queue->used ? queue->capacity - queue->used : 0;
}

/* The span the next length bytes of this kind go into: the last one when
 * it continues it, else a new one; NULL when the table is full. */
static struct tcp_send_span *span_for(struct tcp_send_queue *queue, const uint8_t *memory)
{
	struct tcp_send_span *last = last_span(queue);
	if (last && last->memory == NULL && memory == NULL)
		return last;
	if (last && memory && last->memory && last->memory + last->length == memory)
		return last;
	if (queue->span_count == TCP_SEND_SPANS_MAX)
		return NULL;
	struct tcp_send_span *span = span_at(queue, queue->span_count++);
	*span = (struct tcp_send_span){ .memory = memory, .length = 0 };
	return span;
}

int tcp_send_queue_append_copy(struct tcp_send_queue *queue, const void *data, uint32_t length)
{
	if (length == 0)
		return 0;
	struct tcp_send_span *last = last_span(queue);
	bool extends = last && last->memory == NULL;
	if (!extends && queue->span_count == TCP_SEND_SPANS_MAX)
		return -1;
	if (tcp_ring_write(&queue->ring, 0, data, length) != 0)
		return -1;
	tcp_ring_commit(&queue->ring, length);
	span_for(queue, NULL)->length += length;
	queue->used += length;
	return 0;
}

int tcp_send_queue_append_reference(struct tcp_send_queue *queue, const void *memory, uint32_t length)
{
	if (length == 0)
		return 0;
	struct tcp_send_span *span = span_for(queue, memory);
	if (span == NULL)
		return -1;
	span->length += length;
	queue->used += length;
	return 0;
}

/* The span holding offset: its index, the offset within it, and how many
 * ring bytes the copied spans before it hold. */
static unsigned find_span(const struct tcp_send_queue *queue, uint32_t *offset, uint32_t *ring_before)
{
	*ring_before = 0;
	unsigned index = 0;
	for (; index < queue->span_count; index++) {
		const struct tcp_send_span *span = span_at_const(queue, index);
		if (*offset < span->length)
			break;
		*offset -= span->length;
		if (span->memory == NULL)
			*ring_before += span->length;
	}
	return index;
}

void tcp_send_queue_peek(const struct tcp_send_queue *queue, uint32_t offset, void *out, uint32_t length)
{
	uint8_t *bytes = out;
	uint32_t ring_before;
	unsigned index = find_span(queue, &offset, &ring_before);
	for (; length && index < queue->span_count; index++, offset = 0) {
		const struct tcp_send_span *span = span_at_const(queue, index);
		uint32_t chunk = span->length - offset < length ? span->length - offset : length;
		if (span->memory) {
			memcpy(bytes, span->memory + offset, chunk);
		} else {
			tcp_ring_peek(&queue->ring, ring_before + offset, bytes, chunk);
			ring_before += span->length;
		}
		bytes += chunk;
		length -= chunk;
	}
}

const uint8_t *tcp_send_queue_locate(const struct tcp_send_queue *queue, uint32_t offset, uint32_t *contiguous)
{
	uint32_t ring_before;
	unsigned index = find_span(queue, &offset, &ring_before);
	if (index == queue->span_count) {
		*contiguous = 0;
		return NULL;
	}
	const struct tcp_send_span *span = span_at_const(queue, index);
	*contiguous = span->length - offset;
	return span->memory ? span->memory + offset : NULL;
}

uint32_t tcp_send_queue_bytes_in_buffers(const struct tcp_send_queue *queue, uint32_t offset, uint32_t buffers,
					 uint32_t buffer_size)
{
	uint32_t ring_before, bytes = 0;
	unsigned index = find_span(queue, &offset, &ring_before);
	if (index < queue->span_count && span_at_const(queue, index)->memory && buffers > 0)
		buffers--;
	for (; index < queue->span_count && buffers; index++, offset = 0) {
		uint32_t piece = span_at_const(queue, index)->length - offset;
		uint32_t cost = (piece + buffer_size - 1) / buffer_size;
		if (cost > buffers)
			return bytes + buffers * buffer_size;
		buffers -= cost;
		bytes += piece;
	}
	return bytes;
}

void tcp_send_queue_consume(struct tcp_send_queue *queue, uint32_t length)
{
	queue->used -= length;
	while (length && queue->span_count) {
		struct tcp_send_span *span = span_at(queue, 0);
		uint32_t chunk = span->length < length ? span->length : length;
		if (span->memory)
			span->memory += chunk;
		else
			tcp_ring_consume(&queue->ring, chunk);
		span->length -= chunk;
		length -= chunk;
		if (span->length == 0) {
			queue->first_span = (uint8_t)((queue->first_span + 1u) % TCP_SEND_SPANS_MAX);
			queue->span_count--;
		}
	}
}

void tcp_send_queue_set_capacity(struct tcp_send_queue *queue, uint32_t capacity)
{
	queue->capacity = capacity > queue->used ? capacity : queue->used;
	tcp_ring_set_capacity(&queue->ring, queue->capacity);
}
