/* regs.h - PCI configuration space layout, declared once: header
 * registers (PCI Local Bus 3.0 section 6.1, PCI-to-PCI Bridge 1.2 section
 * 3.2), the legacy configuration ports (PCI Local Bus 3.0 3.2.2.3.2), ECAM
 * addressing (PCI Express Base 4.0 section 7.2.2), capability IDs (PCI Code
 * and ID Assignment 1.11 chapter 2) and the MSI / MSI-X structures
 * (PCI Local Bus 3.0 sections 6.8.1 and 6.8.2). */
#ifndef KEEL_PCI_REGS_H
#define KEEL_PCI_REGS_H

/* Configuration mechanism #1: address port, then data port. */
#define PCI_LEGACY_ADDRESS_PORT 0xCF8
#define PCI_LEGACY_DATA_PORT 0xCFC
#define PCI_LEGACY_ENABLE (1u << 31)
#define PCI_LEGACY_SPACE_SIZE 256   /* mechanism #1 reaches only the first 256 bytes */
#define PCI_ECAM_SPACE_SIZE 4096    /* PCIe extended configuration space per function */
#define PCI_ECAM_BUS_SHIFT 20       /* 1 MiB of ECAM per bus */
#define PCI_ECAM_SLOT_SHIFT 15
#define PCI_ECAM_FUNCTION_SHIFT 12

#define PCI_SLOTS_PER_BUS 32
#define PCI_FUNCTIONS_PER_SLOT 8
#define PCI_BUS_COUNT 256

/* Header registers common to every header type. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_PROG_IF 0x09
#define PCI_SUBCLASS 0x0A
#define PCI_CLASS_CODE 0x0B
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10
#define PCI_CAPABILITY_POINTER 0x34
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN 0x3D

/* Type 0 (endpoint) header. */
#define PCI_SUBSYSTEM_VENDOR_ID 0x2C
#define PCI_SUBSYSTEM_ID 0x2E
/* Type 1 (PCI-to-PCI bridge) header. */
#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1A

#define PCI_VENDOR_NONE 0xFFFF      /* what a read from an absent function returns */

#define PCI_COMMAND_IO_SPACE (1u << 0)
#define PCI_COMMAND_MEMORY_SPACE (1u << 1)
#define PCI_COMMAND_BUS_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)

#define PCI_STATUS_CAPABILITY_LIST (1u << 4)

#define PCI_HEADER_TYPE_MASK 0x7F
#define PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_HEADER_TYPE_ENDPOINT 0
#define PCI_HEADER_TYPE_BRIDGE 1
#define PCI_HEADER_TYPE_CARDBUS 2
#define PCI_ENDPOINT_BAR_COUNT 6
#define PCI_BRIDGE_BAR_COUNT 2

/* Base address registers (PCI Local Bus 3.0 section 6.2.5.1). */
#define PCI_BAR_SPACE_IO 0x1u
#define PCI_BAR_IO_ADDRESS_MASK 0xFFFFFFFCu
#define PCI_BAR_MEMORY_TYPE_MASK 0x6u
#define PCI_BAR_MEMORY_TYPE_32 0x0u
#define PCI_BAR_MEMORY_TYPE_BELOW_1M 0x2u  /* reserved since PCI 2.2; treated as 32-bit */
#define PCI_BAR_MEMORY_TYPE_64 0x4u
#define PCI_BAR_MEMORY_PREFETCHABLE 0x8u
#define PCI_BAR_MEMORY_ADDRESS_MASK 0xFFFFFFF0u

/* Class codes used for names and for bridge detection. */
#define PCI_CLASS_BRIDGE 0x06
#define PCI_SUBCLASS_BRIDGE_HOST 0x00
#define PCI_SUBCLASS_BRIDGE_PCI 0x04

/* Capability list: 8-bit ID, 8-bit next pointer (dword aligned, >= 0x40). */
#define PCI_CAPABILITY_ID 0x00
#define PCI_CAPABILITY_NEXT 0x01
#define PCI_CAPABILITY_POINTER_MASK 0xFC
#define PCI_CAPABILITY_FIRST_VALID 0x40
#define PCI_CAPABILITY_MAX_WALK 48         /* (256 - 64) / 4 entries fit */

#define PCI_CAP_ID_POWER_MANAGEMENT 0x01
#define PCI_CAP_ID_AGP 0x02
#define PCI_CAP_ID_VPD 0x03
#define PCI_CAP_ID_SLOT_ID 0x04
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_HOT_SWAP 0x06
#define PCI_CAP_ID_PCIX 0x07
#define PCI_CAP_ID_HYPERTRANSPORT 0x08
#define PCI_CAP_ID_VENDOR_SPECIFIC 0x09
#define PCI_CAP_ID_DEBUG_PORT 0x0A
#define PCI_CAP_ID_RESOURCE_CONTROL 0x0B
#define PCI_CAP_ID_HOT_PLUG 0x0C
#define PCI_CAP_ID_BRIDGE_SUBSYSTEM_ID 0x0D
#define PCI_CAP_ID_AGP8 0x0E
#define PCI_CAP_ID_SECURE_DEVICE 0x0F
#define PCI_CAP_ID_PCI_EXPRESS 0x10
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_SATA 0x12
#define PCI_CAP_ID_ADVANCED_FEATURES 0x13
#define PCI_CAP_ID_ENHANCED_ALLOCATION 0x14

/* MSI capability (PCI Local Bus 3.0 section 6.8.1). The data register and
 * the mask bits move by 4 bytes when the function is 64-bit capable. */
#define PCI_MSI_CONTROL 0x02
#define PCI_MSI_ADDRESS_LOW 0x04
#define PCI_MSI_ADDRESS_HIGH 0x08      /* 64-bit layout only */
#define PCI_MSI_DATA_32 0x08
#define PCI_MSI_DATA_64 0x0C
#define PCI_MSI_MASK_32 0x0C
#define PCI_MSI_MASK_64 0x10
#define PCI_MSI_CONTROL_ENABLE (1u << 0)
#define PCI_MSI_CONTROL_MULTIPLE_ENABLE_MASK (7u << 4)
#define PCI_MSI_CONTROL_64BIT (1u << 7)
#define PCI_MSI_CONTROL_PER_VECTOR_MASK (1u << 8)

/* MSI-X capability (PCI Local Bus 3.0 section 6.8.2). */
#define PCI_MSIX_CONTROL 0x02
#define PCI_MSIX_TABLE 0x04             /* BIR in bits 2:0, offset in the rest */
#define PCI_MSIX_PBA 0x08
#define PCI_MSIX_CONTROL_TABLE_SIZE_MASK 0x7FFu  /* N - 1 */
#define PCI_MSIX_CONTROL_FUNCTION_MASK (1u << 14)
#define PCI_MSIX_CONTROL_ENABLE (1u << 15)
#define PCI_MSIX_BIR_MASK 0x7u
#define PCI_MSIX_OFFSET_MASK 0xFFFFFFF8u
/* One 16-byte entry of the MSI-X table. */
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_ENTRY_ADDRESS_LOW 0x0
#define PCI_MSIX_ENTRY_ADDRESS_HIGH 0x4
#define PCI_MSIX_ENTRY_DATA 0x8
#define PCI_MSIX_ENTRY_VECTOR_CONTROL 0xC
#define PCI_MSIX_ENTRY_MASKED (1u << 0)

/* The message an x86 CPU accepts as an interrupt (Intel SDM vol 3A section
 * 11.11): address 0xFEExxxxx with the destination APIC ID in bits 19:12
 * (physical destination mode, no redirection hint); data = the vector with
 * fixed delivery mode and edge trigger (bits 10:8 = 0, bit 15 = 0). */
#define MSI_ADDRESS_BASE 0xFEE00000u
#define MSI_ADDRESS_DESTINATION_SHIFT 12
#define MSI_ADDRESS_DESTINATION_MAX 0xFFu
#define MSI_DATA_DELIVERY_FIXED (0u << 8)
#define MSI_DATA_TRIGGER_EDGE (0u << 15)

#endif
