/* virtqueue.c - split virtqueue, driver side (virtio 1.2 section 2.7).
 * Barriers follow 2.7.13.3.1 (descriptors and ring entries before the
 * available index), 2.7.13.4 / 2.7.7 (index or flag update before reading
 * the device's suppression fields) and 2.7.14 (used index before the used
 * entries it covers). */
#include "drivers/virtio-net/virtqueue.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pmm.h"

#define VIRTQ_RING_HEADER_BYTES 4       /* flags + index */
#define VIRTQ_RING_EVENT_BYTES 2        /* used_event / avail_event */

static uint32_t align_up(uint32_t value, uint32_t alignment)
{
	return (value + alignment - 1) / alignment * alignment;
}

static uint32_t available_offset(uint16_t size)
{
	return (uint32_t)size * sizeof(struct virtq_desc);
}

/* 2.7.2: the used ring starts on the next VIRTQ_LEGACY_ALIGN boundary. */
static uint32_t used_offset(uint16_t size)
{
	uint32_t available_bytes = VIRTQ_RING_HEADER_BYTES + 2u * size + VIRTQ_RING_EVENT_BYTES;
	return align_up(available_offset(size) + available_bytes, VIRTQ_LEGACY_ALIGN);
}

static uint32_t ring_bytes(uint16_t size)
{
	return used_offset(size) + VIRTQ_RING_HEADER_BYTES + (uint32_t)size * sizeof(struct virtq_used_element) +
	       VIRTQ_RING_EVENT_BYTES;
}

uint64_t virtqueue_available_physical(const struct virtqueue *queue)
{
	return queue->ring_physical + available_offset(queue->size);
}

uint64_t virtqueue_used_physical(const struct virtqueue *queue)
{
	return queue->ring_physical + used_offset(queue->size);
}

static void free_list_init(struct virtqueue *queue)
{
	for (uint16_t i = 0; i < queue->size; i++)
		queue->descriptors[i].next = (uint16_t)(i + 1);
	queue->free_head = 0;
	queue->free_count = queue->size;
}

int virtqueue_init(struct virtqueue *queue, uint16_t index, uint16_t size, bool event_index)
{
	if (size == 0 || (size & (size - 1)) != 0)
		return -1;
	memset(queue, 0, sizeof *queue);
	queue->ring_pages = (ring_bytes(size) + PAGE_SIZE - 1) / PAGE_SIZE;
	queue->ring_physical = pmm_alloc_pages(queue->ring_pages);
	queue->tokens = calloc(size, sizeof *queue->tokens);
	if (!queue->ring_physical || !queue->tokens) {
		virtqueue_destroy(queue);
		return -1;
	}
	uint8_t *ring = phys_to_virt(queue->ring_physical);
	queue->index = index;
	queue->size = size;
	queue->event_index = event_index;
	queue->notifications_enabled = true;
	queue->descriptors = (volatile struct virtq_desc *)ring;
	queue->available = (volatile struct virtq_avail *)(ring + available_offset(size));
	queue->used = (volatile struct virtq_used *)(ring + used_offset(size));
	queue->used_event = &queue->available->ring[size];
	queue->available_event = (volatile uint16_t *)&queue->used->ring[size];
	free_list_init(queue);
	return 0;
}

void virtqueue_destroy(struct virtqueue *queue)
{
	if (queue->ring_physical)
		pmm_free_pages(queue->ring_physical, queue->ring_pages);
	if (queue->indirect_physical)
		pmm_free_pages(queue->indirect_physical, queue->indirect_pages);
	free(queue->tokens);
	memset(queue, 0, sizeof *queue);
}

int virtqueue_enable_indirect(struct virtqueue *queue, uint16_t entries)
{
	uint64_t bytes = (uint64_t)queue->size * entries * sizeof(struct virtq_desc);
	uint32_t pages = (uint32_t)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	uint64_t physical = pmm_alloc_pages(pages);
	if (!physical)
		return -1;
	queue->indirect_physical = physical;
	queue->indirect_pages = pages;
	queue->indirect_entries = entries;
	queue->indirect_tables = phys_to_virt(physical);
	return 0;
}

unsigned virtqueue_chain_descriptors(const struct virtqueue *queue, unsigned count)
{
	return queue->indirect_tables && count > 1 ? 1 : count;
}

/* Puts head in the available ring with its token; 2.7.13.2: the ring slot
 * wraps with the queue size, the index does not. */
static void make_available(struct virtqueue *queue, uint16_t head, void *token)
{
	queue->tokens[head] = token;
	queue->available->ring[queue->available_shadow & (queue->size - 1)] = head;
	queue->available_shadow++;
}

static uint16_t take_descriptor(struct virtqueue *queue)
{
	uint16_t id = queue->free_head;
	queue->free_head = queue->descriptors[id].next;
	queue->free_count--;
	return id;
}

int virtqueue_add_buffer(struct virtqueue *queue, uint64_t physical, uint32_t length, bool device_writable,
			 void *token)
{
	if (queue->free_count == 0)
		return -1;
	uint16_t head = take_descriptor(queue);
	volatile struct virtq_desc *descriptor = &queue->descriptors[head];
	descriptor->address = physical;
	descriptor->length = length;
	descriptor->flags = device_writable ? VIRTQ_DESC_F_WRITE : 0;
	make_available(queue, head, token);
	return 0;
}

/* 2.7.5.3.1: a table entry chains with NEXT to the following entry; the
 * ring descriptor has INDIRECT alone and the table's length in bytes. */
static void add_indirect(struct virtqueue *queue, const struct virtqueue_segment *segments, unsigned count,
			 void *token)
{
	uint16_t head = take_descriptor(queue);
	volatile struct virtq_desc *table = queue->indirect_tables + (uint32_t)head * queue->indirect_entries;
	for (unsigned i = 0; i < count; i++) {
		table[i].address = segments[i].physical;
		table[i].length = segments[i].length;
		table[i].flags = i + 1 < count ? VIRTQ_DESC_F_NEXT : 0;
		table[i].next = (uint16_t)(i + 1);
	}
	volatile struct virtq_desc *descriptor = &queue->descriptors[head];
	descriptor->address = queue->indirect_physical +
			      (uint64_t)head * queue->indirect_entries * sizeof(struct virtq_desc);
	descriptor->length = count * (uint32_t)sizeof(struct virtq_desc);
	descriptor->flags = VIRTQ_DESC_F_INDIRECT;
	make_available(queue, head, token);
}

int virtqueue_add_chain(struct virtqueue *queue, const struct virtqueue_segment *segments, unsigned count,
			void *token)
{
	if (count == 0 || count > queue->size || queue->free_count < virtqueue_chain_descriptors(queue, count))
		return -1;
	if (queue->indirect_tables && count > 1) {
		if (count > queue->indirect_entries)
			return -1;
		add_indirect(queue, segments, count, token);
		return 0;
	}
	/* 2.7.5.2: descriptors linked through next, NEXT on all but the last. */
	uint16_t head = take_descriptor(queue), id = head;
	for (unsigned i = 0; i < count; i++) {
		volatile struct virtq_desc *descriptor = &queue->descriptors[id];
		descriptor->address = segments[i].physical;
		descriptor->length = segments[i].length;
		if (i + 1 < count) {
			uint16_t next = take_descriptor(queue);
			descriptor->flags = VIRTQ_DESC_F_NEXT;
			descriptor->next = next;
			id = next;
		} else {
			descriptor->flags = 0;
		}
	}
	make_available(queue, head, token);
	return 0;
}

void virtqueue_set_device_barrier(struct virtqueue *queue, void (*barrier)(void *context), void *context)
{
	queue->device_barrier = barrier;
	queue->device_barrier_context = context;
}

/* 2.7.13.4: whether moving the available index from old to new_index
 * passes what the device asked to be told about. */
static bool device_wants_notification(const struct virtqueue *queue, uint16_t new_index, uint16_t old)
{
	if (queue->event_index)
		return vring_need_event(*queue->available_event, new_index, old);
	return !(queue->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

bool virtqueue_publish(struct virtqueue *queue)
{
	uint16_t old = queue->available_at_last_kick;
	uint16_t new_index = queue->available_shadow;
	if (old == new_index)
		return false;
	/* 2.7.13.3.1: descriptors and ring entries visible before the index. */
	write_barrier();
	queue->available->index = new_index;
	queue->available_at_last_kick = new_index;
	/* 2.7.13.4: the index update visible before we read the device's wish.
	 * Where that fence does not reach the device, a "no" may be stale: a
	 * device that has just gone idle would then wait for a notification we
	 * skip (the TX stall under QEMU TCG, one vCPU). A "yes" costs an exit
	 * anyway; a "no" is asked again after the device barrier. */
	memory_barrier();
	if (device_wants_notification(queue, new_index, old))
		return true;
	if (!queue->device_barrier)
		return false;
	queue->device_barrier(queue->device_barrier_context);
	return device_wants_notification(queue, new_index, old);
}

/* Whether the device has returned a buffer we have not taken yet. */
static bool virtqueue_has_used(const struct virtqueue *queue)
{
	return queue->used->index != queue->last_used;
}

/* Returns head and, for a direct chain, every descriptor NEXT links to. */
static void free_chain(struct virtqueue *queue, uint16_t head)
{
	queue->tokens[head] = NULL;
	uint16_t id = head;
	for (uint16_t guard = 0; guard < queue->size; guard++) {
		volatile struct virtq_desc *descriptor = &queue->descriptors[id];
		bool more = descriptor->flags & VIRTQ_DESC_F_NEXT;
		uint16_t next = descriptor->next;
		descriptor->flags = 0;
		descriptor->next = queue->free_head;
		queue->free_head = id;
		queue->free_count++;
		if (!more || next >= queue->size)
			break;
		id = next;
	}
}

void *virtqueue_get_used(struct virtqueue *queue, uint32_t *length)
{
	while (queue->used->index != queue->last_used) {
		/* 2.7.14: the entries are valid only once we have seen the index. */
		read_barrier();
		volatile struct virtq_used_element *element = &queue->used->ring[queue->last_used & (queue->size - 1)];
		uint32_t id = element->id;
		uint32_t written = element->length;
		queue->last_used++;
		if (id >= queue->size || queue->tokens[id] == NULL) {
			queue->bad_used_entries++;
			continue;
		}
		void *token = queue->tokens[id];
		free_chain(queue, (uint16_t)id);
		*length = written;
		return token;
	}
	return NULL;
}

/* With EVENT_IDX the flag is ignored (2.7.7.2); an event index one behind
 * what we have consumed is one the device will not cross for 65535 buffers,
 * and we move it again on every enable. */
void virtqueue_disable_notifications(struct virtqueue *queue)
{
	queue->notifications_enabled = false;
	if (queue->event_index)
		*queue->used_event = (uint16_t)(queue->last_used - 1);
	else
		queue->available->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

bool virtqueue_enable_notifications_all(struct virtqueue *const queues[], unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		struct virtqueue *queue = queues[i];
		queue->notifications_enabled = true;
		if (queue->event_index)
			*queue->used_event = queue->last_used;
		else
			queue->available->flags = 0;
	}
	/* 2.7.14: the device may have used buffers after our last look and before
	 * it saw the writes above; re-read the indexes after a full barrier (and
	 * the device barrier, else the device may read an old event index and
	 * stay silent while we read an old used index and go to sleep). One
	 * device barrier orders every store above before every load below: the
	 * queues share it, so it runs once, not once per queue. */
	memory_barrier();
	if (count && queues[0]->device_barrier)
		queues[0]->device_barrier(queues[0]->device_barrier_context);
	bool pending = false;
	for (unsigned i = 0; i < count; i++)
		pending |= virtqueue_has_used(queues[i]);
	return pending;
}

bool virtqueue_enable_notifications(struct virtqueue *queue)
{
	return virtqueue_enable_notifications_all(&queue, 1);
}
