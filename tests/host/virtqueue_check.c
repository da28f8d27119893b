/* virtqueue_check.c - drivers/virtio-net/virtqueue.c on the host: the
 * notification decisions of both suppression directions with a device
 * whose writes the driver only sees late (what QEMU's TCG before 8.1 does
 * to a one-vCPU guest, kernel/arch/x86/hypervisor.h), simulated by a device
 * barrier that makes the device's pending write visible. Without the
 * barrier the stale field wins (the lost notification); with it, publish
 * asks again before skipping a notification and enable sees the used buffer
 * before going to sleep; a "notify" needs no barrier. The pages come from
 * aligned_alloc (phys_to_virt is the identity). Prints "virtqueue: N failures". */
#include "tests/host/host_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio-net/virtqueue.h"

#define PAGE_BYTES 4096

uint64_t pmm_alloc_pages(size_t count)
{
	void *pages = aligned_alloc(PAGE_BYTES, count * PAGE_BYTES);
	if (pages)
		memset(pages, 0, count * PAGE_BYTES);
	return (uint64_t)(uintptr_t)pages;
}

void pmm_free_pages(uint64_t physical, size_t count)
{
	(void)count;
	free((void *)(uintptr_t)physical);
}

/* The device's writes that the driver has not seen yet. */
struct late_device {
	struct virtqueue *queue;
	int barriers;
	bool has_event;
	uint16_t event;            /* avail_event the device wrote */
	bool has_used;             /* a used buffer the device returned */
	uint16_t used_id;
};

static void reveal(void *context)
{
	struct late_device *device = context;
	device->barriers++;
	if (device->has_event)
		*device->queue->available_event = device->event;
	if (device->has_used) {
		volatile struct virtq_used *used = device->queue->used;
		used->ring[used->index & (device->queue->size - 1)].id = device->used_id;
		used->ring[used->index & (device->queue->size - 1)].length = 0;
		used->index++;
	}
	device->has_event = device->has_used = false;
}

static int token;

/* The device took everything up to old and now waits at old (avail_event =
 * old), but the driver still reads the event it wrote before (old - 1). */
static bool publish_with_stale_event(struct virtqueue *queue, struct late_device *device, bool barrier)
{
	uint16_t old = queue->available_shadow;
	*queue->available_event = (uint16_t)(old - 1);
	*device = (struct late_device){ .queue = queue, .has_event = true, .event = old };
	virtqueue_set_device_barrier(queue, barrier ? reveal : NULL, device);
	CHECK(virtqueue_add_buffer(queue, 0x1000, 64, false, &token) == 0);
	return virtqueue_publish(queue);
}

static void check_publish(void)
{
	struct virtqueue queue;
	struct late_device device;
	CHECK(virtqueue_init(&queue, 1, 8, true) == 0);
	/* Without a barrier the stale avail_event says no: the notification the
	 * device waits for is skipped (the stall). */
	CHECK(!publish_with_stale_event(&queue, &device, false));
	CHECK(device.barriers == 0);
	/* With it, the "no" is asked again and becomes a yes. */
	CHECK(publish_with_stale_event(&queue, &device, true));
	CHECK(device.barriers == 1);
	/* A device still busy (its event genuinely behind): no notification,
	 * after one barrier. */
	uint16_t old = queue.available_shadow;
	*queue.available_event = (uint16_t)(old - 3);
	device = (struct late_device){ .queue = &queue };
	virtqueue_set_device_barrier(&queue, reveal, &device);
	CHECK(virtqueue_add_buffer(&queue, 0x1000, 64, false, &token) == 0);
	CHECK(!virtqueue_publish(&queue));
	CHECK(device.barriers == 1);
	/* A fresh yes needs no barrier. */
	*queue.available_event = queue.available_shadow;
	device.barriers = 0;
	CHECK(virtqueue_add_buffer(&queue, 0x1000, 64, false, &token) == 0);
	CHECK(virtqueue_publish(&queue));
	CHECK(device.barriers == 0);
	/* Nothing added: nothing published, no barrier. */
	CHECK(!virtqueue_publish(&queue));
	CHECK(device.barriers == 0);
	virtqueue_destroy(&queue);
}

/* The device returned buffer id 0 after the driver's last look; its write
 * of the used index is late. */
static bool enable_with_late_used(bool barrier, int *barriers)
{
	struct virtqueue queue;
	struct late_device device;
	CHECK(virtqueue_init(&queue, 0, 8, true) == 0);
	CHECK(virtqueue_add_buffer(&queue, 0x2000, 2048, true, &token) == 0);
	virtqueue_publish(&queue);  /* the receive buffer is the device's now */
	device = (struct late_device){ .queue = &queue, .has_used = true, .used_id = 0 };
	virtqueue_set_device_barrier(&queue, barrier ? reveal : NULL, &device);
	virtqueue_disable_notifications(&queue);
	bool pending = virtqueue_enable_notifications(&queue);
	CHECK(*queue.used_event == queue.last_used);
	*barriers = device.barriers;
	uint32_t length;
	if (pending)
		CHECK(virtqueue_get_used(&queue, &length) == &token);
	virtqueue_destroy(&queue);
	return pending;
}

static void check_enable(void)
{
	int barriers;
	CHECK(!enable_with_late_used(false, &barriers));  /* would sleep on a used buffer */
	CHECK(barriers == 0);
	CHECK(enable_with_late_used(true, &barriers));
	CHECK(barriers == 1);
}

/* Both queues of a device re-enabled at once (virtio-net's NAPI complete):
 * the late used buffer of the second is seen after one device barrier, not
 * one per queue. */
static void check_enable_all(void)
{
	struct virtqueue rx, tx;
	struct late_device device;
	CHECK(virtqueue_init(&rx, 0, 8, true) == 0);
	CHECK(virtqueue_init(&tx, 1, 8, true) == 0);
	CHECK(virtqueue_add_buffer(&tx, 0x3000, 64, false, &token) == 0);
	virtqueue_publish(&tx);
	device = (struct late_device){ .queue = &tx, .has_used = true, .used_id = 0 };
	virtqueue_set_device_barrier(&rx, reveal, &device);
	virtqueue_set_device_barrier(&tx, reveal, &device);
	virtqueue_disable_notifications(&rx);
	virtqueue_disable_notifications(&tx);
	struct virtqueue *const queues[] = { &rx, &tx };
	CHECK(virtqueue_enable_notifications_all(queues, 2));
	CHECK(device.barriers == 1);
	CHECK(*rx.used_event == rx.last_used && *tx.used_event == tx.last_used);
	uint32_t length;
	CHECK(virtqueue_get_used(&tx, &length) == &token);
	virtqueue_destroy(&rx);
	virtqueue_destroy(&tx);
}

/* 2.7.10.1 / 2.7.7.2 arithmetic, across the 16-bit wrap. */
static void check_need_event(void)
{
	CHECK(vring_need_event(5, 6, 5));
	CHECK(!vring_need_event(4, 6, 5));
	CHECK(vring_need_event(65535, 1, 65534));
	CHECK(vring_need_event(65535, 2, 65535));
	CHECK(!vring_need_event(1, 1, 65535));
}

int main(void)
{
	check_publish();
	check_enable();
	check_enable_all();
	check_need_event();
	printf("virtqueue: %d failures\n", failures);
	return failures != 0;
}
