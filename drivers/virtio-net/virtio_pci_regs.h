/* virtio_pci_regs.h - virtio hardware layout, declared once: device status
 * and feature bits, the split virtqueue structures, the modern PCI
 * capabilities and common configuration, the legacy I/O-port registers and
 * the virtio-net header and configuration. Section numbers are from the
 * OASIS virtio specification v1.2 (cs01); everything is little-endian, which
 * is the CPU's order on x86, so fields are plain integers. */
#ifndef KEEL_VIRTIO_PCI_REGS_H
#define KEEL_VIRTIO_PCI_REGS_H

#include <stdint.h>

/* PCI IDs (4.1.2): transitional devices keep the 0.9.5 ID 0x1000 (network),
 * modern-only devices use 0x1040 + device type (1 = network). */
#define VIRTIO_PCI_VENDOR_ID 0x1AF4
#define VIRTIO_PCI_DEVICE_NET_TRANSITIONAL 0x1000
#define VIRTIO_PCI_DEVICE_NET_MODERN 0x1041

/* Device status field (2.1). */
#define VIRTIO_STATUS_RESET 0x00
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80

/* Transport-independent feature bits (6). */
#define VIRTIO_F_ANY_LAYOUT 27              /* legacy only: header and data may share a descriptor */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX 29          /* used_event / avail_event (2.7.7, 2.7.10) */
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34

/* virtio-net feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM 0                 /* device completes partial TX checksums */
#define VIRTIO_NET_F_GUEST_CSUM 1           /* driver handles partial / validated RX checksums */
#define VIRTIO_NET_F_MTU 3
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_GUEST_TSO4 7           /* device may hand us TCPv4 super-frames (needs GUEST_CSUM, 5.1.3.1) */
#define VIRTIO_NET_F_GUEST_ECN 9            /* ...with CWR set (GSO_ECN): not negotiated */
#define VIRTIO_NET_F_HOST_TSO4 11           /* device segments TCPv4 (needs CSUM, 5.1.3.1) */
#define VIRTIO_NET_F_HOST_ECN 13            /* device segments with ECN (CWR on the first segment only) */
#define VIRTIO_NET_F_MRG_RXBUF 15           /* num_buffers in the header, one buffer per descriptor */
#define VIRTIO_NET_F_STATUS 16              /* link status in the configuration */
#define VIRTIO_NET_F_CTRL_VQ 17
#define VIRTIO_NET_F_MQ 22

#define VIRTIO_FEATURE(bit) (1ull << (bit))

/* Split virtqueue (2.7): descriptor table, driver ("available") ring and
 * device ("used") ring. */
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2                /* device writes the buffer (RX) */
#define VIRTQ_DESC_F_INDIRECT 4             /* 2.7.5.3: the buffer is a table of descriptors */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1        /* 2.7.7: driver asks for no used-buffer notifications */
#define VIRTQ_USED_F_NO_NOTIFY 1            /* 2.7.10: device asks for no available-buffer notifications */

/* 2.7.5 */
struct virtq_desc {
	uint64_t address;
	uint32_t length;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtq_desc is 16 bytes (2.7.5)");

/* 2.7.6; ring[queue size] is followed by used_event (with EVENT_IDX). */
struct virtq_avail {
	uint16_t flags;
	uint16_t index;
	uint16_t ring[];
};

/* 2.7.8 */
struct virtq_used_element {
	uint32_t id;                        /* head descriptor of the chain */
	uint32_t length;                    /* bytes the device wrote into it */
};
_Static_assert(sizeof(struct virtq_used_element) == 8, "virtq_used_elem is 8 bytes (2.7.8)");

/* 2.7.8; ring[queue size] is followed by avail_event (with EVENT_IDX). */
struct virtq_used {
	uint16_t flags;
	uint16_t index;
	struct virtq_used_element ring[];
};

/* 2.7.2 "Legacy Interfaces: A Note on Virtqueue Layout": the used ring starts
 * on the next 4096-byte boundary after the available ring; we use this layout
 * for modern devices too, it meets their (smaller) alignment needs (2.7). */
#define VIRTQ_LEGACY_ALIGN 4096
/* 2.7: split queue sizes are powers of two up to 32768. */
#define VIRTQ_MAX_SIZE 32768

/* Modern PCI transport: vendor-specific capabilities (4.1.4). */
struct virtio_pci_cap {
	uint8_t capability_id;              /* PCI_CAP_ID_VENDOR_SPECIFIC */
	uint8_t next;
	uint8_t capability_length;
	uint8_t config_type;                /* VIRTIO_PCI_CAP_* */
	uint8_t bar;
	uint8_t id;
	uint8_t padding[2];
	uint32_t offset;                    /* within the BAR */
	uint32_t length;
};
_Static_assert(sizeof(struct virtio_pci_cap) == 16, "virtio_pci_cap is 16 bytes (4.1.4)");
#define VIRTIO_PCI_CAP_CONFIG_TYPE 3
#define VIRTIO_PCI_CAP_BAR 4
#define VIRTIO_PCI_CAP_OFFSET 8
#define VIRTIO_PCI_CAP_LENGTH 12
#define VIRTIO_PCI_NOTIFY_CAP_MULTIPLIER 16 /* 4.1.4.4: struct virtio_pci_notify_cap */
#define VIRTIO_PCI_CAP_BAR_MAX 5            /* 4.1.4: values 0x6-0xFF are reserved */

#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define VIRTIO_PCI_CAP_PCI_CFG 5

/* struct virtio_pci_common_cfg (4.1.4.3), byte offsets. */
#define VIRTIO_COMMON_DEVICE_FEATURE_SELECT 0x00
#define VIRTIO_COMMON_DEVICE_FEATURE 0x04
#define VIRTIO_COMMON_DRIVER_FEATURE_SELECT 0x08
#define VIRTIO_COMMON_DRIVER_FEATURE 0x0C
#define VIRTIO_COMMON_MSIX_CONFIG 0x10
#define VIRTIO_COMMON_NUM_QUEUES 0x12
#define VIRTIO_COMMON_DEVICE_STATUS 0x14
#define VIRTIO_COMMON_CONFIG_GENERATION 0x15
#define VIRTIO_COMMON_QUEUE_SELECT 0x16
#define VIRTIO_COMMON_QUEUE_SIZE 0x18
#define VIRTIO_COMMON_QUEUE_MSIX_VECTOR 0x1A
#define VIRTIO_COMMON_QUEUE_ENABLE 0x1C
#define VIRTIO_COMMON_QUEUE_NOTIFY_OFF 0x1E
#define VIRTIO_COMMON_QUEUE_DESC 0x20
#define VIRTIO_COMMON_QUEUE_DRIVER 0x28
#define VIRTIO_COMMON_QUEUE_DEVICE 0x30
#define VIRTIO_COMMON_CFG_MINIMUM_LENGTH 0x38

/* ISR status (4.1.4.5); reading it clears it and de-asserts INTx. */
#define VIRTIO_ISR_QUEUE 0x1
#define VIRTIO_ISR_CONFIG 0x2

/* 4.1.5.1.2 / 4.1.4.8: "no vector" for msix_config and queue_msix_vector. */
#define VIRTIO_MSI_NO_VECTOR 0xFFFF

/* Legacy I/O BAR0 registers (4.1.4.8, virtio 0.9.5 2.2.2). */
#define VIRTIO_LEGACY_IO_BAR 0
#define VIRTIO_LEGACY_HOST_FEATURES 0x00    /* 32 bits */
#define VIRTIO_LEGACY_GUEST_FEATURES 0x04   /* 32 bits */
#define VIRTIO_LEGACY_QUEUE_PFN 0x08        /* 32 bits: ring address >> 12 */
#define VIRTIO_LEGACY_QUEUE_SIZE 0x0C       /* 16 bits, read-only */
#define VIRTIO_LEGACY_QUEUE_SELECT 0x0E     /* 16 bits */
#define VIRTIO_LEGACY_QUEUE_NOTIFY 0x10     /* 16 bits */
#define VIRTIO_LEGACY_DEVICE_STATUS 0x12    /* 8 bits */
#define VIRTIO_LEGACY_ISR_STATUS 0x13       /* 8 bits */
/* Present only while MSI-X is enabled in the PCI function... */
#define VIRTIO_LEGACY_MSIX_CONFIG_VECTOR 0x14
#define VIRTIO_LEGACY_MSIX_QUEUE_VECTOR 0x16
/* ...which is why the device-specific configuration moves from 20 to 24. */
#define VIRTIO_LEGACY_DEVICE_CONFIG 0x14
#define VIRTIO_LEGACY_DEVICE_CONFIG_MSIX 0x18
#define VIRTIO_LEGACY_QUEUE_PFN_SHIFT 12

/* virtio-net configuration (5.1.4), byte offsets. */
#define VIRTIO_NET_CONFIG_MAC 0
#define VIRTIO_NET_CONFIG_STATUS 6
#define VIRTIO_NET_S_LINK_UP 1

/* virtio-net queues (5.1.2): receiveq1 = 0, transmitq1 = 1. */
#define VIRTIO_NET_QUEUE_RX 0
#define VIRTIO_NET_QUEUE_TX 1

/* struct virtio_net_hdr (5.1.6). num_buffers exists with VERSION_1 or
 * MRG_RXBUF (12 bytes); legacy devices without MRG_RXBUF use 10 bytes. */
struct virtio_net_header {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t header_length;
	uint16_t gso_size;
	uint16_t checksum_start;
	uint16_t checksum_offset;
	uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_header) == 12, "virtio_net_hdr is 12 bytes (5.1.6)");
#define VIRTIO_NET_HEADER_LEGACY_SIZE 10
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0
#define VIRTIO_NET_HDR_GSO_TCPV4 1          /* 5.1.6.2: segment as TCP over IPv4 into gso_size payloads */
#define VIRTIO_NET_HDR_GSO_UDP 3
#define VIRTIO_NET_HDR_GSO_TCPV6 4
#define VIRTIO_NET_HDR_GSO_ECN 0x80         /* a flag on the type: the TCP header has CWR set */

#endif
