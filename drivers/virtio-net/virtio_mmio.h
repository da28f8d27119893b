/* virtio_mmio.h - the virtio-mmio transport (virtio_mmio.c): parsing a
 * `virtio_mmio.device=` entry and opening the register block behind the
 * transport ops of virtio_pci.h. */
#ifndef KEEL_VIRTIO_MMIO_H
#define KEEL_VIRTIO_MMIO_H

#include <stdint.h>

#include "drivers/virtio-net/virtio_pci.h"

struct virtio_mmio_location {
	uint64_t base;
	uint64_t size;
	uint32_t gsi;
};

/* "<size>@<base>:<gsi>". 0, or -1 when malformed or out of range. */
int virtio_mmio_parse(const char *text, struct virtio_mmio_location *location);
/* 0 for a version 2 network device; -1 with the reason printed otherwise. */
int virtio_mmio_init(struct virtio_pci_device *device, const struct virtio_mmio_location *location);

#endif
