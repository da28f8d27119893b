/* virtio_pci.h - the virtio transports behind one interface: PCI modern
 * (virtio 1.x, registers found through vendor-specific capabilities in
 * memory BARs, 4.1.4) and legacy (virtio 0.9.5 registers in I/O BAR0,
 * 4.1.4.8), and virtio-mmio (4.2, virtio_mmio.h). The driver sees status, features, queue set-up, notification,
 * the ISR and MSI-X vector routing, and device configuration reads; it never
 * touches a register directly.
 *
 * Set-up order the callers follow (3.1.1): reset, ACKNOWLEDGE, DRIVER,
 * features, FEATURES_OK (modern), MSI-X vectors (after pci_msix_enable:
 * the legacy vector registers exist only then), queues, DRIVER_OK. */
#ifndef KEEL_VIRTIO_PCI_H
#define KEEL_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/pci/pci.h"

struct virtqueue;
struct virtio_pci_device;

struct virtio_pci_transport_ops {
	const char *name;                                   /* "modern" or "legacy" */
	uint8_t (*get_status)(struct virtio_pci_device *device);
	void (*set_status)(struct virtio_pci_device *device, uint8_t status);
	uint64_t (*device_features)(struct virtio_pci_device *device);
	void (*set_driver_features)(struct virtio_pci_device *device, uint64_t features);
	/* Largest size the device takes for queue index (legacy: the only one); 0 = no such queue. */
	uint16_t (*queue_max_size)(struct virtio_pci_device *device, uint16_t index);
	/* Gives the device the rings of an initialized virtqueue. 0 or -1. */
	int (*queue_activate)(struct virtio_pci_device *device, struct virtqueue *queue);
	void (*notify)(struct virtio_pci_device *device, const struct virtqueue *queue);
	uint8_t (*read_isr)(struct virtio_pci_device *device);
	/* MSI-X table entry for configuration changes / a queue (VIRTIO_MSI_NO_VECTOR
	 * to detach); -1 when the device refuses it (reads back NO_VECTOR). */
	int (*set_config_vector)(struct virtio_pci_device *device, uint16_t entry);
	int (*set_queue_vector)(struct virtio_pci_device *device, uint16_t index, uint16_t entry);
	/* Device-specific configuration (5.1.4 for network). */
	uint8_t (*config_read8)(struct virtio_pci_device *device, uint32_t offset);
	uint16_t (*config_read16)(struct virtio_pci_device *device, uint32_t offset);
	/* Changes whenever the device configuration changes (4.1.4.3; legacy: always 0). */
	uint8_t (*config_generation)(struct virtio_pci_device *device);
};

struct virtio_pci_device {
	struct pci_device *pci;                 /* NULL on virtio-mmio */
	char location[24];                      /* "00:03.0" or "mmio@0xfeb00e00", for messages */
	const struct virtio_pci_transport_ops *ops;
	bool modern;
	/* Modern: the structures the capabilities point at. */
	volatile void *common;
	volatile void *notify_base;
	uint32_t notify_length;
	uint32_t notify_multiplier;             /* notify_off_multiplier (4.1.4.4) */
	volatile void *isr;
	volatile void *device_config;
	uint32_t device_config_length;
	/* Legacy: I/O BAR0. */
	uint16_t io_base;
	/* virtio-mmio: the register block and its interrupt input. */
	volatile void *mmio;
	uint32_t gsi;
};

/* Find the transport's registers. 0, or -1 with the reason printed (modern:
 * a required capability is missing or outside its BAR; legacy: no I/O BAR0). */
int virtio_pci_modern_init(struct virtio_pci_device *device, struct pci_device *pci);
int virtio_pci_legacy_init(struct virtio_pci_device *device, struct pci_device *pci);
/* Whether the function carries the modern capabilities (a COMMON_CFG one). */
bool virtio_pci_has_modern_capabilities(struct pci_device *pci);

/* Writes 0 and waits for the device to read back 0 (4.1.4.3.2). 0 or -1. */
int virtio_pci_reset(struct virtio_pci_device *device);
static inline void virtio_pci_add_status(struct virtio_pci_device *device, uint8_t bits)
{
	device->ops->set_status(device, device->ops->get_status(device) | bits);
}

#endif
