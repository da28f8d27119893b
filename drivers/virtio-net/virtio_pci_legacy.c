/* virtio_pci_legacy.c - the legacy (virtio 0.9.5) PCI transport that
 * transitional devices keep in I/O BAR0 (virtio 1.2 section 4.1.4.8): 32
 * feature bits, a fixed queue size, the ring given as one page frame number
 * with the 4096-aligned legacy layout (2.7.2), and two MSI-X vector
 * registers that exist only while MSI-X is enabled, pushing the device
 * configuration from offset 20 to 24. */
#include "drivers/virtio-net/virtio_pci.h"
#include "drivers/virtio-net/virtio_pci_regs.h"
#include "drivers/virtio-net/virtqueue.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/console/printk.h"

static const struct virtio_pci_transport_ops legacy_ops;

int virtio_pci_legacy_init(struct virtio_pci_device *device, struct pci_device *pci)
{
	device->pci = pci;
	device->ops = &legacy_ops;
	device->modern = false;
	device->io_base = pci_io_bar(pci, VIRTIO_LEGACY_IO_BAR);
	if (device->io_base == 0) {
		pr_warn("virtio-net: %02x:%02x.%u: no legacy I/O BAR0 and no modern capabilities\n", pci->address.bus,
			pci->address.slot, pci->address.function);
		return -1;
	}
	pci_enable_io(pci);
	return 0;
}

static uint8_t legacy_get_status(struct virtio_pci_device *device)
{
	return inb(device->io_base + VIRTIO_LEGACY_DEVICE_STATUS);
}

static void legacy_set_status(struct virtio_pci_device *device, uint8_t status)
{
	outb(device->io_base + VIRTIO_LEGACY_DEVICE_STATUS, status);
}

static uint64_t legacy_device_features(struct virtio_pci_device *device)
{
	return inl(device->io_base + VIRTIO_LEGACY_HOST_FEATURES);
}

static void legacy_set_driver_features(struct virtio_pci_device *device, uint64_t features)
{
	outl(device->io_base + VIRTIO_LEGACY_GUEST_FEATURES, (uint32_t)features);
}

static uint16_t legacy_queue_max_size(struct virtio_pci_device *device, uint16_t index)
{
	outw(device->io_base + VIRTIO_LEGACY_QUEUE_SELECT, index);
	return inw(device->io_base + VIRTIO_LEGACY_QUEUE_SIZE);
}

/* The size is the device's (the queue must have been initialized with it);
 * writing the PFN activates the queue. The PFN register is 32 bits: the ring
 * must sit below 16 TiB. */
static int legacy_queue_activate(struct virtio_pci_device *device, struct virtqueue *queue)
{
	uint64_t pfn = virtqueue_descriptors_physical(queue) >> VIRTIO_LEGACY_QUEUE_PFN_SHIFT;
	if (pfn > UINT32_MAX || legacy_queue_max_size(device, queue->index) != queue->size)
		return -1;
	outw(device->io_base + VIRTIO_LEGACY_QUEUE_SELECT, queue->index);
	outl(device->io_base + VIRTIO_LEGACY_QUEUE_PFN, (uint32_t)pfn);
	return 0;
}

static void legacy_notify(struct virtio_pci_device *device, const struct virtqueue *queue)
{
	outw(device->io_base + VIRTIO_LEGACY_QUEUE_NOTIFY, queue->index);
}

static uint8_t legacy_read_isr(struct virtio_pci_device *device)
{
	return inb(device->io_base + VIRTIO_LEGACY_ISR_STATUS);
}

static int legacy_set_config_vector(struct virtio_pci_device *device, uint16_t entry)
{
	if (!device->pci->msix_enabled)
		return entry == VIRTIO_MSI_NO_VECTOR ? 0 : -1;
	outw(device->io_base + VIRTIO_LEGACY_MSIX_CONFIG_VECTOR, entry);
	return inw(device->io_base + VIRTIO_LEGACY_MSIX_CONFIG_VECTOR) == entry ? 0 : -1;
}

static int legacy_set_queue_vector(struct virtio_pci_device *device, uint16_t index, uint16_t entry)
{
	if (!device->pci->msix_enabled)
		return entry == VIRTIO_MSI_NO_VECTOR ? 0 : -1;
	outw(device->io_base + VIRTIO_LEGACY_QUEUE_SELECT, index);
	outw(device->io_base + VIRTIO_LEGACY_MSIX_QUEUE_VECTOR, entry);
	return inw(device->io_base + VIRTIO_LEGACY_MSIX_QUEUE_VECTOR) == entry ? 0 : -1;
}

static uint16_t legacy_config_base(struct virtio_pci_device *device)
{
	uint16_t offset = device->pci->msix_enabled ? VIRTIO_LEGACY_DEVICE_CONFIG_MSIX : VIRTIO_LEGACY_DEVICE_CONFIG;
	return device->io_base + offset;
}

static uint8_t legacy_config_read8(struct virtio_pci_device *device, uint32_t offset)
{
	return inb(legacy_config_base(device) + offset);
}

static uint16_t legacy_config_read16(struct virtio_pci_device *device, uint32_t offset)
{
	return inw(legacy_config_base(device) + offset);
}

/* Legacy devices have no generation counter (4.1.4.8): a constant one makes
 * the driver's read-until-stable loop (2.5.1) read once. */
static uint8_t legacy_config_generation(struct virtio_pci_device *device)
{
	return 0;
}

static const struct virtio_pci_transport_ops legacy_ops = {
	.name = "legacy",
	.get_status = legacy_get_status,
	.set_status = legacy_set_status,
	.device_features = legacy_device_features,
	.set_driver_features = legacy_set_driver_features,
	.queue_max_size = legacy_queue_max_size,
	.queue_activate = legacy_queue_activate,
	.notify = legacy_notify,
	.read_isr = legacy_read_isr,
	.set_config_vector = legacy_set_config_vector,
	.set_queue_vector = legacy_set_queue_vector,
	.config_read8 = legacy_config_read8,
	.config_read16 = legacy_config_read16,
	.config_generation = legacy_config_generation,
};
