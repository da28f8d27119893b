/* virtio_mmio_regs.h - the virtio-mmio register block (virtio 1.2 section
 * 4.2.2, "MMIO Device Register Layout"): offsets from the device's base.
 * Control registers are 32 bits wide and accessed only as such (4.2.2.2);
 * the device configuration starts at VIRTIO_MMIO_CONFIG. */
#ifndef KEEL_VIRTIO_MMIO_REGS_H
#define KEEL_VIRTIO_MMIO_REGS_H

#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SELECT 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SELECT 0x024
#define VIRTIO_MMIO_QUEUE_SELECT 0x030
#define VIRTIO_MMIO_QUEUE_SIZE_MAX 0x034
#define VIRTIO_MMIO_QUEUE_SIZE 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976u        /* "virt" little-endian */
#define VIRTIO_MMIO_VERSION_LEGACY 1
#define VIRTIO_MMIO_VERSION_MODERN 2
#define VIRTIO_MMIO_DEVICE_ID_NET 1           /* 5: device types */
#define VIRTIO_MMIO_WINDOW_MINIMUM 0x100      /* the control registers */

#endif
