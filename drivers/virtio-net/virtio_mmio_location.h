/* virtio_mmio_location.h - where one virtio-mmio device is, as a
 * `virtio_mmio.device=<size>@<base>:<gsi>` word gives it (the form Linux
 * reads, QEMU's microvm and Firecracker append). No kernel dependencies, so
 * tests/host checks the parser directly. */
#ifndef KEEL_VIRTIO_MMIO_LOCATION_H
#define KEEL_VIRTIO_MMIO_LOCATION_H

#include <stdint.h>

struct virtio_mmio_location {
	uint64_t base;
	uint64_t size;
	uint32_t gsi;
};

/* "<size>@<base>:<gsi>", numbers in C notation (0x.., decimal), size may end
 * in K. 0, or -1 when malformed, when the window is smaller than the
 * control registers (0x100) or over 64 KiB, is not 4-byte aligned, starts
 * at 0 or reaches past 52-bit physical addresses, a number does not start
 * with a digit, or the GSI does not fit 32 bits; location is untouched then. */
int virtio_mmio_parse(const char *text, struct virtio_mmio_location *location);

#endif
