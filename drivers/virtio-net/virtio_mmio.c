/* virtio_mmio.c - the virtio-mmio transport (virtio 1.2 section 4.2) behind
 * the same ops table as the PCI ones: one register block per device, found
 * from `virtio_mmio.device=<size>@<base>:<gsi>` command line words (the form
 * Linux reads and QEMU's microvm and Firecracker pass), interrupts on an
 * IOAPIC input (the GSI), acknowledged through InterruptACK (4.2.3.4).
 * Only version 2 (virtio 1.x) devices: a legacy (version 1) block is refused
 * with a line naming QEMU's switch for the modern one. */
#include "drivers/virtio-net/virtio_mmio.h"
#include "drivers/virtio-net/virtio_mmio_regs.h"
#include "drivers/virtio-net/virtio_pci_regs.h"
#include "drivers/virtio-net/virtqueue.h"

#include <stdio.h>

#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/mm/paging.h"

CMDLINE_KEY("virtio_mmio.device", "a virtio-mmio device: <size>@<base>:<gsi>, e.g. 512@0xfeb00e00:12 (repeatable, as Linux)");

static const struct virtio_pci_transport_ops mmio_ops;

static uint32_t reg_read(struct virtio_pci_device *device, uint32_t offset)
{
	return mmio_read32(device->mmio, offset);
}

static void reg_write(struct virtio_pci_device *device, uint32_t offset, uint32_t value)
{
	mmio_write32(device->mmio, offset, value);
}

/* 4.2.3.1.1: magic and version first; device ID 0 is an empty slot. */
int virtio_mmio_init(struct virtio_pci_device *device, const struct virtio_mmio_location *location)
{
	snprintf(device->location, sizeof(device->location), "mmio@%#llx", (unsigned long long)location->base);
	device->mmio = ioremap(location->base, location->size);
	if (!device->mmio)
		return -1;
	device->ops = &mmio_ops;
	device->gsi = location->gsi;
	uint32_t magic = reg_read(device, VIRTIO_MMIO_MAGIC_VALUE);
	uint32_t version = reg_read(device, VIRTIO_MMIO_VERSION);
	uint32_t device_id = reg_read(device, VIRTIO_MMIO_DEVICE_ID);
	if (magic != VIRTIO_MMIO_MAGIC) {
		pr_warn("virtio-mmio: %s: no virtio device (magic %#x)\n", device->location, magic);
		return -1;
	}
	if (device_id != VIRTIO_MMIO_DEVICE_ID_NET) {
		pr_info("virtio-mmio: %s: device type %u, not network: skipped\n", device->location, device_id);
		return -1;
	}
	if (version != VIRTIO_MMIO_VERSION_MODERN) {
		pr_warn("virtio-mmio: %s: version %u not supported (legacy virtio-mmio; QEMU: "
			"-global virtio-mmio.force-legacy=false gives version 2)\n",
			device->location, version);
		return -1;
	}
	device->modern = true;
	device->device_config = (volatile uint8_t *)device->mmio + VIRTIO_MMIO_CONFIG;
	device->device_config_length = (uint32_t)(location->size - VIRTIO_MMIO_CONFIG);
	return 0;
}

static uint8_t mmio_get_status(struct virtio_pci_device *device)
{
	return (uint8_t)reg_read(device, VIRTIO_MMIO_STATUS);
}

static void mmio_set_status(struct virtio_pci_device *device, uint8_t status)
{
	reg_write(device, VIRTIO_MMIO_STATUS, status);
}

static uint64_t mmio_device_features(struct virtio_pci_device *device)
{
	uint64_t features = 0;
	for (uint32_t half = 0; half < 2; half++) {
		reg_write(device, VIRTIO_MMIO_DEVICE_FEATURES_SELECT, half);
		features |= (uint64_t)reg_read(device, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * half);
	}
	return features;
}

static void mmio_set_driver_features(struct virtio_pci_device *device, uint64_t features)
{
	for (uint32_t half = 0; half < 2; half++) {
		reg_write(device, VIRTIO_MMIO_DRIVER_FEATURES_SELECT, half);
		reg_write(device, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> (32 * half)));
	}
}

/* 4.2.3.2: QueueNumMax 0 means the queue is not available; a queue already
 * ready (QueueReady 1) is in use and not ours to set up. */
static uint16_t mmio_queue_max_size(struct virtio_pci_device *device, uint16_t index)
{
	reg_write(device, VIRTIO_MMIO_QUEUE_SELECT, index);
	if (reg_read(device, VIRTIO_MMIO_QUEUE_READY) != 0)
		return 0;
	uint32_t maximum = reg_read(device, VIRTIO_MMIO_QUEUE_SIZE_MAX);
	return maximum > UINT16_MAX ? UINT16_MAX : (uint16_t)maximum;
}

static void write_address(struct virtio_pci_device *device, uint32_t low_offset, uint64_t address)
{
	reg_write(device, low_offset, (uint32_t)address);
	reg_write(device, low_offset + 4, (uint32_t)(address >> 32));
}

/* 4.2.3.2: select, size, the three areas, then QueueReady. */
static int mmio_queue_activate(struct virtio_pci_device *device, struct virtqueue *queue)
{
	reg_write(device, VIRTIO_MMIO_QUEUE_SELECT, queue->index);
	reg_write(device, VIRTIO_MMIO_QUEUE_SIZE, queue->size);
	write_address(device, VIRTIO_MMIO_QUEUE_DESC_LOW, virtqueue_descriptors_physical(queue));
	write_address(device, VIRTIO_MMIO_QUEUE_DRIVER_LOW, virtqueue_available_physical(queue));
	write_address(device, VIRTIO_MMIO_QUEUE_DEVICE_LOW, virtqueue_used_physical(queue));
	reg_write(device, VIRTIO_MMIO_QUEUE_READY, 1);
	return reg_read(device, VIRTIO_MMIO_QUEUE_READY) == 1 ? 0 : -1;
}

/* 4.2.3.3: the queue index written to QueueNotify. */
static void mmio_notify(struct virtio_pci_device *device, const struct virtqueue *queue)
{
	reg_write(device, VIRTIO_MMIO_QUEUE_NOTIFY, queue->index);
}

/* InterruptStatus has the ISR byte's bits (used buffer, configuration
 * change); unlike the PCI ISR a read does not clear it: InterruptACK does,
 * and lowers the (level) line (4.2.3.4). */
static uint8_t mmio_read_isr(struct virtio_pci_device *device)
{
	uint32_t status = reg_read(device, VIRTIO_MMIO_INTERRUPT_STATUS);
	if (status)
		reg_write(device, VIRTIO_MMIO_INTERRUPT_ACK, status);
	return (uint8_t)(status & (VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG));
}

/* No MSI-X on virtio-mmio: one line for everything. */
static int mmio_set_vector(struct virtio_pci_device *device, uint16_t entry)
{
	(void)device;
	(void)entry;
	return -1;
}

static int mmio_set_queue_vector(struct virtio_pci_device *device, uint16_t index, uint16_t entry)
{
	(void)index;
	return mmio_set_vector(device, entry);
}

static uint8_t mmio_config_read8(struct virtio_pci_device *device, uint32_t offset)
{
	if (offset + 1 > device->device_config_length)
		return 0;
	return mmio_read8(device->device_config, offset);
}

static uint16_t mmio_config_read16(struct virtio_pci_device *device, uint32_t offset)
{
	if (offset + 2 > device->device_config_length)
		return 0;
	return mmio_read16(device->device_config, offset);
}

static uint8_t mmio_config_generation(struct virtio_pci_device *device)
{
	return (uint8_t)reg_read(device, VIRTIO_MMIO_CONFIG_GENERATION);
}

static const struct virtio_pci_transport_ops mmio_ops = {
	.name = "mmio",
	.get_status = mmio_get_status,
	.set_status = mmio_set_status,
	.device_features = mmio_device_features,
	.set_driver_features = mmio_set_driver_features,
	.queue_max_size = mmio_queue_max_size,
	.queue_activate = mmio_queue_activate,
	.notify = mmio_notify,
	.read_isr = mmio_read_isr,
	.set_config_vector = mmio_set_vector,
	.set_queue_vector = mmio_set_queue_vector,
	.config_read8 = mmio_config_read8,
	.config_read16 = mmio_config_read16,
	.config_generation = mmio_config_generation,
};
