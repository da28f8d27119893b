/* virtio_pci_modern.c - the virtio 1.x PCI transport (virtio 1.2 section
 * 4.1): vendor-specific capabilities name a BAR, offset and length for the
 * common configuration, notification area, ISR byte and device
 * configuration (4.1.4); registers are little-endian MMIO. */
#include "drivers/virtio-net/virtio_pci.h"
#include "drivers/virtio-net/virtio_pci_regs.h"
#include "drivers/virtio-net/virtqueue.h"

#include <stddef.h>

#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/pci/regs.h"

struct capability_location {
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
	uint8_t config_offset;              /* of the capability, for type-specific fields */
	bool found;
};

#define VIRTIO_PCI_CAP_TYPE_COUNT (VIRTIO_PCI_CAP_PCI_CFG + 1)

/* 4.1.4: "the driver SHOULD use the first instance of each type it can",
 * and must ignore capabilities naming a reserved BAR. */
static void find_capabilities(struct pci_device *pci, struct capability_location found[VIRTIO_PCI_CAP_TYPE_COUNT])
{
	if (!(pci_read16(pci, PCI_STATUS) & PCI_STATUS_CAPABILITY_LIST))
		return;
	uint8_t offset = pci_read8(pci, PCI_CAPABILITY_POINTER) & PCI_CAPABILITY_POINTER_MASK;
	for (unsigned walked = 0; offset >= PCI_CAPABILITY_FIRST_VALID && walked < PCI_CAPABILITY_MAX_WALK; walked++) {
		if (pci_read8(pci, offset + PCI_CAPABILITY_ID) == PCI_CAP_ID_VENDOR_SPECIFIC) {
			uint8_t type = pci_read8(pci, offset + VIRTIO_PCI_CAP_CONFIG_TYPE);
			uint8_t bar = pci_read8(pci, offset + VIRTIO_PCI_CAP_BAR);
			if (type < VIRTIO_PCI_CAP_TYPE_COUNT && bar <= VIRTIO_PCI_CAP_BAR_MAX && !found[type].found) {
				found[type] = (struct capability_location){
					.bar = bar,
					.offset = pci_read32(pci, offset + VIRTIO_PCI_CAP_OFFSET),
					.length = pci_read32(pci, offset + VIRTIO_PCI_CAP_LENGTH),
					.config_offset = offset,
					.found = true,
				};
			}
		}
		offset = pci_read8(pci, offset + PCI_CAPABILITY_NEXT) & PCI_CAPABILITY_POINTER_MASK;
	}
}

bool virtio_pci_has_modern_capabilities(struct pci_device *pci)
{
	struct capability_location found[VIRTIO_PCI_CAP_TYPE_COUNT] = { 0 };
	find_capabilities(pci, found);
	return found[VIRTIO_PCI_CAP_COMMON_CFG].found;
}

/* The structure must lie inside an assigned memory BAR (4.1.4.1). */
static volatile void *map_structure(struct pci_device *pci, const struct capability_location *location,
				    uint32_t minimum_length)
{
	if (!location->found || location->length < minimum_length)
		return NULL;
	const struct pci_bar *bar = &pci->bars[location->bar];
	if ((uint64_t)location->offset + location->length > bar->size)
		return NULL;
	volatile uint8_t *base = pci_map_bar(pci, location->bar);
	return base ? base + location->offset : NULL;
}

static const struct virtio_pci_transport_ops modern_ops;

int virtio_pci_modern_init(struct virtio_pci_device *device, struct pci_device *pci)
{
	struct capability_location found[VIRTIO_PCI_CAP_TYPE_COUNT] = { 0 };
	find_capabilities(pci, found);
	device->pci = pci;
	device->ops = &modern_ops;
	device->modern = true;
	device->common = map_structure(pci, &found[VIRTIO_PCI_CAP_COMMON_CFG], VIRTIO_COMMON_CFG_MINIMUM_LENGTH);
	device->notify_base = map_structure(pci, &found[VIRTIO_PCI_CAP_NOTIFY_CFG], sizeof(uint16_t));
	device->isr = map_structure(pci, &found[VIRTIO_PCI_CAP_ISR_CFG], sizeof(uint8_t));
	device->device_config = map_structure(pci, &found[VIRTIO_PCI_CAP_DEVICE_CFG], 0);
	if (!device->common || !device->notify_base || !device->isr) {
		pr_warn("virtio-net: %02x:%02x.%u: modern capabilities incomplete (common %s, notify %s, isr %s)\n",
			pci->address.bus, pci->address.slot, pci->address.function, device->common ? "ok" : "missing",
			device->notify_base ? "ok" : "missing", device->isr ? "ok" : "missing");
		return -1;
	}
	device->notify_length = found[VIRTIO_PCI_CAP_NOTIFY_CFG].length;
	device->notify_multiplier =
		pci_read32(pci, found[VIRTIO_PCI_CAP_NOTIFY_CFG].config_offset + VIRTIO_PCI_NOTIFY_CAP_MULTIPLIER);
	device->device_config_length = device->device_config ? found[VIRTIO_PCI_CAP_DEVICE_CFG].length : 0;
	return 0;
}

static uint8_t modern_get_status(struct virtio_pci_device *device)
{
	return mmio_read8(device->common, VIRTIO_COMMON_DEVICE_STATUS);
}

static void modern_set_status(struct virtio_pci_device *device, uint8_t status)
{
	mmio_write8(device->common, VIRTIO_COMMON_DEVICE_STATUS, status);
}

/* Features are read and written 32 bits at a time through a select register. */
static uint64_t modern_device_features(struct virtio_pci_device *device)
{
	uint64_t features = 0;
	for (uint32_t half = 0; half < 2; half++) {
		mmio_write32(device->common, VIRTIO_COMMON_DEVICE_FEATURE_SELECT, half);
		features |= (uint64_t)mmio_read32(device->common, VIRTIO_COMMON_DEVICE_FEATURE) << (32 * half);
	}
	return features;
}

static void modern_set_driver_features(struct virtio_pci_device *device, uint64_t features)
{
	for (uint32_t half = 0; half < 2; half++) {
		mmio_write32(device->common, VIRTIO_COMMON_DRIVER_FEATURE_SELECT, half);
		mmio_write32(device->common, VIRTIO_COMMON_DRIVER_FEATURE, (uint32_t)(features >> (32 * half)));
	}
}

static uint16_t modern_queue_max_size(struct virtio_pci_device *device, uint16_t index)
{
	if (index >= mmio_read16(device->common, VIRTIO_COMMON_NUM_QUEUES))
		return 0;
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_SELECT, index);
	return mmio_read16(device->common, VIRTIO_COMMON_QUEUE_SIZE);
}

/* 4.1.3.1 lets the driver write a 64-bit field as two 32-bit halves. */
static void write_address(struct virtio_pci_device *device, uint32_t offset, uint64_t address)
{
	mmio_write32(device->common, offset, (uint32_t)address);
	mmio_write32(device->common, offset + 4, (uint32_t)(address >> 32));
}

/* 4.1.5.1.3: select, size, the three areas, then enable. */
static int modern_queue_activate(struct virtio_pci_device *device, struct virtqueue *queue)
{
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_SELECT, queue->index);
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_SIZE, queue->size);
	write_address(device, VIRTIO_COMMON_QUEUE_DESC, virtqueue_descriptors_physical(queue));
	write_address(device, VIRTIO_COMMON_QUEUE_DRIVER, virtqueue_available_physical(queue));
	write_address(device, VIRTIO_COMMON_QUEUE_DEVICE, virtqueue_used_physical(queue));
	queue->notify_offset = mmio_read16(device->common, VIRTIO_COMMON_QUEUE_NOTIFY_OFF);
	/* 4.1.4.4: the notification address must lie inside the notify structure. */
	uint64_t notify_at = (uint64_t)queue->notify_offset * device->notify_multiplier;
	if (notify_at + sizeof(uint16_t) > device->notify_length)
		return -1;
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_ENABLE, 1);
	return 0;
}

/* 4.1.4.4: queue_notify_off * notify_off_multiplier from the notify base;
 * the value written is the queue index (without VIRTIO_F_NOTIFICATION_DATA). */
static void modern_notify(struct virtio_pci_device *device, const struct virtqueue *queue)
{
	mmio_write16(device->notify_base, (uint32_t)queue->notify_offset * device->notify_multiplier, queue->index);
}

static uint8_t modern_read_isr(struct virtio_pci_device *device)
{
	return mmio_read8(device->isr, 0);
}

static int modern_set_config_vector(struct virtio_pci_device *device, uint16_t entry)
{
	mmio_write16(device->common, VIRTIO_COMMON_MSIX_CONFIG, entry);
	uint16_t taken = mmio_read16(device->common, VIRTIO_COMMON_MSIX_CONFIG);
	return taken == entry ? 0 : -1;
}

static int modern_set_queue_vector(struct virtio_pci_device *device, uint16_t index, uint16_t entry)
{
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_SELECT, index);
	mmio_write16(device->common, VIRTIO_COMMON_QUEUE_MSIX_VECTOR, entry);
	uint16_t taken = mmio_read16(device->common, VIRTIO_COMMON_QUEUE_MSIX_VECTOR);
	return taken == entry ? 0 : -1;
}

static uint8_t modern_config_read8(struct virtio_pci_device *device, uint32_t offset)
{
	if (offset + 1 > device->device_config_length)
		return 0;
	return mmio_read8(device->device_config, offset);
}

static uint16_t modern_config_read16(struct virtio_pci_device *device, uint32_t offset)
{
	if (offset + 2 > device->device_config_length)
		return 0;
	return mmio_read16(device->device_config, offset);
}

static uint8_t modern_config_generation(struct virtio_pci_device *device)
{
	return mmio_read8(device->common, VIRTIO_COMMON_CONFIG_GENERATION);
}

static const struct virtio_pci_transport_ops modern_ops = {
	.name = "modern",
	.get_status = modern_get_status,
	.set_status = modern_set_status,
	.device_features = modern_device_features,
	.set_driver_features = modern_set_driver_features,
	.queue_max_size = modern_queue_max_size,
	.queue_activate = modern_queue_activate,
	.notify = modern_notify,
	.read_isr = modern_read_isr,
	.set_config_vector = modern_set_config_vector,
	.set_queue_vector = modern_set_queue_vector,
	.config_read8 = modern_config_read8,
	.config_read16 = modern_config_read16,
	.config_generation = modern_config_generation,
};
