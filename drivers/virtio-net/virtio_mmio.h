/* virtio_mmio.h - the virtio-mmio transport (virtio_mmio.c): parsing a
 * `virtio_mmio.device=` entry and opening the register block behind the
 * transport ops of virtio_pci.h. */
#ifndef KEEL_VIRTIO_MMIO_H
#define KEEL_VIRTIO_MMIO_H

#include <stdint.h>

#include "drivers/virtio-net/virtio_mmio_location.h"
#include "drivers/virtio-net/virtio_pci.h"
/* 0 for a version 2 network device; -1 with the reason printed otherwise. */
int virtio_mmio_init(struct virtio_pci_device *device, const struct virtio_mmio_location *location);

#endif
