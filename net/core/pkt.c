/* pkt.c - the packet pool's free list and the pointer moves of struct pkt
 * (contract in net/core/pkt.h). No kernel allocator here: net/core/pkt_pool.c hands
 * the memory in, so the host unit test compiles this file unchanged.
 *
 * Invariants: a pkt is either on the free list (in_use 0) or owned by exactly
 * one holder (in_use 1); freeing a free pkt is a broken invariant (panic).
 * buffer <= data and data + length <= buffer + PKT_BUFFER_SIZE always. */
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"

#include <string.h>

#include "kernel/core/panic.h"
#include "kernel/mm/paging.h"

static struct {
	struct pkt *descriptors;
	uint8_t *in_use;              /* per pkt, indexed like descriptors */
	struct pkt *free_list;        /* linked through pkt->next */
	struct pkt_pool_stats stats;
} pool;

void pkt_pool_attach(uint8_t *buffers, struct pkt *descriptors, uint8_t *in_use, unsigned count)
{
	pool.descriptors = descriptors;
	pool.in_use = in_use;
	pool.free_list = NULL;
	pool.stats = (struct pkt_pool_stats){ .total = count, .free = count, .low_water = count };
	/* Built back to front so the list hands out buffers in address order. */
	for (unsigned index = count; index-- > 0;) {
		descriptors[index] = (struct pkt){ .buffer = buffers + (uint64_t)index * PKT_BUFFER_SIZE };
		descriptors[index].next = pool.free_list;
		pool.free_list = &descriptors[index];
		in_use[index] = 0;
	}
}

void (*pkt_conntrack_release)(struct nf_conn *conntrack);

struct pkt *pkt_alloc(void)
{
	struct pkt *pkt = pool.free_list;
	if (pkt == NULL) {
		pool.stats.alloc_failures++;
		return NULL;
	}
	pool.free_list = pkt->next;
	pool.in_use[pkt - pool.descriptors] = 1;
	pool.stats.allocations++;
	if (--pool.stats.free < pool.stats.low_water)
		pool.stats.low_water = pool.stats.free;
	uint8_t *buffer = pkt->buffer;
	*pkt = (struct pkt){ .buffer = buffer, .data = buffer + PKT_HEADROOM };
	return pkt;
}

static void free_one(struct pkt *pkt);

void pkt_free(struct pkt *pkt)
{
	if (pkt == NULL)
		return;
	if (pkt->destructor)
		pkt->destructor(pkt);
	if (pkt->conntrack && pkt_conntrack_release)
		pkt_conntrack_release(pkt->conntrack);
	struct pkt *fragment = pkt->fragments;
	while (fragment) {
		struct pkt *following = fragment->next;
		free_one(fragment);
		fragment = following;
	}
	free_one(pkt);
}

static void free_one(struct pkt *pkt)
{
	BUG_ON(pkt < pool.descriptors || pkt >= pool.descriptors + pool.stats.total);
	size_t index = (size_t)(pkt - pool.descriptors);
	if (!pool.in_use[index])
		panic("pkt_free: double free of pkt %zu (buffer %p)", index, (void *)pkt->buffer);
	pool.in_use[index] = 0;
	pkt->next = pool.free_list;
	pool.free_list = pkt;
	pool.stats.free++;
}

void pkt_append_fragment(struct pkt *head, struct pkt *fragment)
{
	BUG_ON(fragment->fragments != NULL || fragment->length == 0);
	fragment->next = NULL;
	if (head->last_fragment)
		head->last_fragment->next = fragment;
	else
		head->fragments = fragment;
	head->last_fragment = fragment;
	head->fragments_length += fragment->length;
	head->fragment_count++;
}

int pkt_pull_fragments(struct pkt *head)
{
	/* Every received frame of one buffer comes through here (virtio's
	 * receive): a flag test, not a call to copy nothing. */
	if (head->fragments == NULL)
		return 0;
	if (head->fragments_length > pkt_tailroom(head))
		return -1;
	uint32_t length = head->fragments_length;
	pkt_copy_out(head, head->length, head->data + head->length, length);
	struct pkt *fragment = head->fragments;
	while (fragment) {
		struct pkt *following = fragment->next;
		free_one(fragment);
		fragment = following;
	}
	head->fragments = head->last_fragment = NULL;
	head->fragments_length = 0;
	head->fragment_count = 0;
	head->length += length;
	return 0;
}

void pkt_attach_external(struct pkt *pkt, const void *memory, uint32_t length)
{
	BUG_ON(pkt->length != 0 || pkt->fragments != NULL);
	pkt->data = (uint8_t *)(uintptr_t)memory;  /* read only: the device reads it, nobody writes */
	pkt->length = length;
	pkt->flags |= PKT_FLAG_EXTERNAL;
}

int pkt_copy_out(const struct pkt *head, uint32_t offset, void *destination, uint32_t length)
{
	uint8_t *out = destination;
	if ((uint64_t)offset + length > pkt_total_length(head))
		return -1;
	for (const struct pkt *buffer = head; buffer && length; buffer = pkt_next_buffer(head, buffer)) {
		if (offset >= buffer->length) {
			offset -= buffer->length;
			continue;
		}
		uint32_t chunk = buffer->length - offset;
		if (chunk > length)
			chunk = length;
		memcpy(out, buffer->data + offset, chunk);
		out += chunk;
		length -= chunk;
		offset = 0;
	}
	return 0;
}

struct pkt_pool_stats pkt_pool_get_stats(void)
{
	return pool.stats;
}

uint64_t pkt_dma_address(const struct pkt *pkt, const void *byte)
{
	return virt_to_phys(byte);
}

uint8_t *pkt_push(struct pkt *pkt, uint32_t length)
{
	if (length > pkt_headroom(pkt))
		return NULL;
	pkt->data -= length;
	pkt->length += length;
	return pkt->data;
}

uint8_t *pkt_pull(struct pkt *pkt, uint32_t length)
{
	if (length > pkt->length)
		return NULL;
	pkt->data += length;
	pkt->length -= length;
	return pkt->data;
}

uint8_t *pkt_put(struct pkt *pkt, uint32_t length)
{
	if (length > pkt_tailroom(pkt))
		return NULL;
	uint8_t *start = pkt->data + pkt->length;
	pkt->length += length;
	return start;
}

void pkt_trim(struct pkt *pkt, uint32_t length)
{
	if (length < pkt->length)
		pkt->length = length;
}

int pkt_reserve(struct pkt *pkt, uint32_t length)
{
	if (pkt->length != 0 || length > pkt_tailroom(pkt))
		return -1;
	pkt->data += length;
	return 0;
}

int pkt_queue_push(struct pkt_queue *queue, struct pkt *pkt)
{
	if (queue->count >= queue->limit) {
		pkt_free(pkt);
		return -1;
	}
	pkt->next = NULL;
	if (queue->tail)
		queue->tail->next = pkt;
	else
		queue->head = pkt;
	queue->tail = pkt;
	queue->count++;
	return 0;
}

struct pkt *pkt_queue_pop(struct pkt_queue *queue)
{
	struct pkt *pkt = queue->head;
	if (pkt == NULL)
		return NULL;
	queue->head = pkt->next;
	if (queue->head == NULL)
		queue->tail = NULL;
	pkt->next = NULL;
	queue->count--;
	return pkt;
}

void pkt_queue_purge(struct pkt_queue *queue)
{
	struct pkt *pkt;
	while ((pkt = pkt_queue_pop(queue)) != NULL)
		pkt_free(pkt);
}
