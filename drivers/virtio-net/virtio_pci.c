/* virtio_pci.c - what both PCI transports share: the reset handshake. */
#include "drivers/virtio-net/virtio_pci.h"
#include "drivers/virtio-net/virtio_pci_regs.h"

#include "kernel/time/clock.h"

#define VIRTIO_RESET_TIMEOUT_US 100000
#define VIRTIO_RESET_POLL_US 10

/* 4.1.4.3.2 (legacy 4.1.4.8 likewise): writing 0 starts the reset; the
 * device is reset once the status reads back 0. */
int virtio_pci_reset(struct virtio_pci_device *device)
{
	device->ops->set_status(device, VIRTIO_STATUS_RESET);
	for (unsigned waited = 0; waited < VIRTIO_RESET_TIMEOUT_US; waited += VIRTIO_RESET_POLL_US) {
		if (device->ops->get_status(device) == VIRTIO_STATUS_RESET)
			return 0;
		clock_delay_us(VIRTIO_RESET_POLL_US);
	}
	return -1;
}
