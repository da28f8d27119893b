/* virtqueue.h - a split virtqueue (virtio 1.2 section 2.7) driven from the
 * driver side: one descriptor per buffer, or a chain of them (2.7.5.2), or
 * one descriptor pointing at a table of them (VIRTIO_RING_F_INDIRECT_DESC,
 * 2.7.5.3: a per-descriptor table allocated once), a free list of descriptors, the
 * available ring we write and the used ring the device writes, and used
 * buffer notification suppression with or without VIRTIO_RING_F_EVENT_IDX.
 *
 * Every buffer carries a token (the driver's struct pkt) handed back when the
 * device returns it. Adding buffers does not publish them: the caller adds a
 * batch, then calls virtqueue_publish() once, then notifies the device only
 * when virtqueue_publish() says the device wants it. Single CPU: the driver's
 * poll is the only consumer of the used ring; an interrupt handler may only
 * call virtqueue_disable_notifications().
 *
 * Both suppression schemes rest on a store-then-load pattern mirrored by the
 * device (2.7.13.4: our index, then its avail_event; 2.7.7.2: our used_event,
 * then its used index), which a full barrier orders. Where our fences do not
 * order memory against the device's thread (kernel/arch/x86/hypervisor.h),
 * the caller installs a device barrier (a register access, i.e. a VM exit):
 * publish runs it before it trusts a "no notification needed" (a "yes" is an
 * exit already), and enable runs it before it looks at the used ring again. */
#ifndef KEEL_VIRTQUEUE_H
#define KEEL_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/virtio-net/virtio_pci_regs.h"

struct virtqueue {
	uint16_t index;                     /* queue number on the device */
	uint16_t size;                      /* entries, a power of two */
	uint16_t notify_offset;             /* modern: queue_notify_off from the common config */
	bool event_index;                   /* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool notifications_enabled;         /* what we last asked of the device */
	volatile struct virtq_desc *descriptors;
	volatile struct virtq_avail *available;
	volatile struct virtq_used *used;
	volatile uint16_t *used_event;      /* after available->ring[size] */
	volatile uint16_t *available_event; /* after used->ring[size] */
	uint64_t ring_physical;             /* start of the descriptor table (legacy: the PFN << 12) */
	uint32_t ring_pages;
	void **tokens;                      /* per descriptor: what the driver attached */
	volatile struct virtq_desc *indirect_tables; /* indirect_entries per descriptor, NULL = none */
	uint64_t indirect_physical;
	uint32_t indirect_pages;
	uint16_t indirect_entries;
	uint16_t free_head;                 /* free descriptors, linked through desc.next */
	uint16_t free_count;
	uint16_t available_shadow;          /* our next available->index */
	uint16_t available_at_last_kick;    /* available->index when the device last was considered */
	uint16_t last_used;                 /* next used->ring entry to read */
	uint64_t bad_used_entries;          /* device returned an id we never gave it */
	/* NULL where memory_barrier() orders us against the device; else an
	 * access the device's side serializes (see the top of this file). */
	void (*device_barrier)(void *context);
	void *device_barrier_context;
};

/* Allocates and zeroes the rings (legacy layout, 2.7.2) and the free list.
 * 0 or -1 (out of memory, size not a power of two). */
int virtqueue_init(struct virtqueue *queue, uint16_t index, uint16_t size, bool event_index);
void virtqueue_destroy(struct virtqueue *queue);

static inline uint64_t virtqueue_descriptors_physical(const struct virtqueue *queue) { return queue->ring_physical; }
uint64_t virtqueue_available_physical(const struct virtqueue *queue);
uint64_t virtqueue_used_physical(const struct virtqueue *queue);

/* One buffer in one descriptor; device_writable for receive buffers.
 * 0, or -1 when no descriptor is free. Not visible to the device until
 * virtqueue_publish(). */
int virtqueue_add_buffer(struct virtqueue *queue, uint64_t physical, uint32_t length, bool device_writable,
			 void *token);
/* One device-readable buffer of a chain. */
struct virtqueue_segment {
	uint64_t physical;
	uint32_t length;
};
/* Gives the device tables of up to entries descriptors, so that a chain
 * takes one ring descriptor. 0 or -1 (out of memory). */
int virtqueue_enable_indirect(struct virtqueue *queue, uint16_t entries);
/* Descriptors a chain of count buffers takes from the ring. */
unsigned virtqueue_chain_descriptors(const struct virtqueue *queue, unsigned count);
/* count device-readable buffers as one chain (indirect when enabled and
 * count > 1); 0, or -1 when too few descriptors are free or the chain is
 * longer than the indirect table or the queue (2.7.5.3.1, 2.7.13.1). */
int virtqueue_add_chain(struct virtqueue *queue, const struct virtqueue_segment *segments, unsigned count,
			void *token);
/* Makes the added buffers visible (2.7.13.3) and returns whether the device
 * must be notified (2.7.13.4: avail_event or VIRTQ_USED_F_NO_NOTIFY, read
 * again after the device barrier when it says no). */
bool virtqueue_publish(struct virtqueue *queue);

/* Takes the next returned buffer: its token and the bytes written; NULL when
 * there is none. Descriptors returned with an id we never gave out are
 * skipped and counted in bad_used_entries. */
void *virtqueue_get_used(struct virtqueue *queue, uint32_t *length);

/* Installs the device barrier (NULL removes it). */
void virtqueue_set_device_barrier(struct virtqueue *queue, void (*barrier)(void *context), void *context);

/* Used buffer notification suppression (2.7.7). disable may run in an
 * interrupt handler; enable returns true when buffers arrived while
 * notifications were off (the caller must poll again: the device sends
 * nothing for those, the race 2.7.14 closes). */
void virtqueue_disable_notifications(struct virtqueue *queue);
bool virtqueue_enable_notifications(struct virtqueue *queue);
/* enable for count queues of one device (sharing its device barrier): all
 * enabled, then one full barrier and one device barrier before any looks
 * again; true when any of them has used buffers. */
bool virtqueue_enable_notifications_all(struct virtqueue *const queues[], unsigned count);

/* The used_event / avail_event test (2.7.7.2 / 2.7.10.1): does moving an index
 * from old to new_index pass event? */
static inline bool vring_need_event(uint16_t event, uint16_t new_index, uint16_t old)
{
	return (uint16_t)(new_index - event - 1) < (uint16_t)(new_index - old);
}

#endif
