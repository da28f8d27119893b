/* pci.h - PCI enumeration, configuration access and interrupt set-up for
 * drivers.
 *
 * pci_init() picks the configuration mechanism (ECAM from the ACPI MCFG
 * table, else legacy ports 0xCF8/0xCFC), scans segment 0 from bus 0 following
 * PCI-to-PCI bridges, and records every function with its decoded BARs and
 * capability offsets in a fixed table. Nothing here enables a device:
 * drivers ask for decoding and bus mastering themselves, and for their
 * interrupts through kernel/pci/interrupts.h (which allocates the vectors
 * and uses the MSI / MSI-X / INTx primitives below).
 * Single CPU, called from thread context; the config accessors disable
 * interrupts around the two-step legacy access. */
#ifndef KEEL_PCI_H
#define KEEL_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_DEVICES 256
#define PCI_MAX_BARS 6
#define PCI_MAX_CAPABILITIES 16

/* Where a function sits: bus 0-255, slot (PCI "device number") 0-31,
 * function 0-7, all in segment 0. */
struct pci_address {
	uint8_t bus;
	uint8_t slot;
	uint8_t function;
};

enum pci_bar_type {
	PCI_BAR_NONE = 0,   /* unimplemented, or the upper half of a 64-bit BAR */
	PCI_BAR_IO,
	PCI_BAR_MEMORY32,
	PCI_BAR_MEMORY64,
};

struct pci_bar {
	uint64_t base;        /* bus address as the firmware assigned it (0 = unassigned) */
	uint64_t size;        /* bytes decoded; a power of two, 0 when type is NONE */
	enum pci_bar_type type;
	bool prefetchable;
};

struct pci_device {
	struct pci_address address;
	uint16_t vendor_id, device_id;
	uint16_t subsystem_vendor_id, subsystem_id;  /* 0 for bridges */
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type;                /* without the multi-function bit */
	uint8_t interrupt_pin;              /* 0 none, 1-4 = INTA#-INTD# */
	uint8_t interrupt_line;             /* as the firmware wrote it; 0xFF = unknown */
	uint8_t secondary_bus, subordinate_bus;  /* bridges only */
	struct pci_bar bars[PCI_MAX_BARS];
	/* Capability list in walk order, and the offsets drivers look for (0 = absent). */
	uint8_t capability_count;
	uint8_t capability_ids[PCI_MAX_CAPABILITIES];
	uint8_t msi_offset, msix_offset, pcie_offset, power_management_offset, vendor_offset;
	/* Interrupt state, owned by kernel/pci/msi.c. */
	bool msi_enabled, msix_enabled;
	uint16_t msix_table_size;           /* entries */
	volatile void *msix_table;          /* mapped by pci_msix_enable */
	volatile void *msix_pba;
};

void pci_init(void);
void pci_print_table(void);

/* Mechanism in use, for diagnostics: "ECAM" or "legacy". */
const char *pci_config_mechanism_name(void);

/* Configuration space access. Offsets must be naturally aligned and inside
 * the space the mechanism reaches (4096 bytes with ECAM, 256 legacy);
 * otherwise reads return all ones and writes are dropped. */
uint8_t pci_config_read8(struct pci_address address, uint16_t offset);
uint16_t pci_config_read16(struct pci_address address, uint16_t offset);
uint32_t pci_config_read32(struct pci_address address, uint16_t offset);
void pci_config_write8(struct pci_address address, uint16_t offset, uint8_t value);
void pci_config_write16(struct pci_address address, uint16_t offset, uint16_t value);
void pci_config_write32(struct pci_address address, uint16_t offset, uint32_t value);
static inline uint8_t pci_read8(const struct pci_device *device, uint16_t offset) { return pci_config_read8(device->address, offset); }
static inline uint16_t pci_read16(const struct pci_device *device, uint16_t offset) { return pci_config_read16(device->address, offset); }
static inline uint32_t pci_read32(const struct pci_device *device, uint16_t offset) { return pci_config_read32(device->address, offset); }
static inline void pci_write8(const struct pci_device *device, uint16_t offset, uint8_t value) { pci_config_write8(device->address, offset, value); }
static inline void pci_write16(const struct pci_device *device, uint16_t offset, uint16_t value) { pci_config_write16(device->address, offset, value); }
static inline void pci_write32(const struct pci_device *device, uint16_t offset, uint32_t value) { pci_config_write32(device->address, offset, value); }

/* The recorded functions by index (from 0); NULL past the last. */
unsigned pci_device_count(void);
struct pci_device *pci_device_at(unsigned index);
#define pci_for_each_device(device) \
	for (unsigned pci_each_index_ = 0; ((device) = pci_device_at(pci_each_index_)) != NULL; pci_each_index_++)

/* Command register bits. Bus mastering is also what lets a device send MSIs. */
void pci_enable_bus_master(struct pci_device *device);
void pci_enable_memory(struct pci_device *device);
void pci_enable_io(struct pci_device *device);
/* ioremap()s a memory BAR whole (uncached); NULL for I/O, absent or unassigned BARs. */
volatile void *pci_map_bar(struct pci_device *device, unsigned bar_index);
/* The I/O port base of an I/O BAR, 0 otherwise. */
uint16_t pci_io_bar(const struct pci_device *device, unsigned bar_index);

/* Short capability name ("msi", "msix", "pcie", "pm", "vendor", ...). */
const char *pci_capability_name(uint8_t capability_id);
/* Offset of the first capability with this ID, 0 when absent. */
uint8_t pci_find_capability(const struct pci_device *device, uint8_t capability_id);

/* MSI with one message: vector on LAPIC destination_apic_id, edge, fixed.
 * Disables MSI-X and INTx. 0, or -1 without an MSI capability or with an
 * APIC ID that does not fit 8 bits. */
int pci_msi_enable(struct pci_device *device, uint8_t vector, uint32_t destination_apic_id);
void pci_msi_disable(struct pci_device *device);  /* re-enables INTx */

/* MSI-X: enable maps the table and the PBA, enables memory decoding, and
 * leaves every entry masked (disables MSI and INTx); set_vector programs one
 * entry without changing its mask bit; the driver then unmasks it. Return 0,
 * or -1 (no capability, table BAR not memory, entry out of range, ...). */
int pci_msix_enable(struct pci_device *device);
int pci_msix_set_vector(struct pci_device *device, unsigned entry, uint8_t vector, uint32_t destination_apic_id);
int pci_msix_mask_entry(struct pci_device *device, unsigned entry);
int pci_msix_unmask_entry(struct pci_device *device, unsigned entry);
void pci_msix_disable(struct pci_device *device);  /* masks all, re-enables INTx */

/* INTx: routes the function's pin (through the GSI in its Interrupt Line
 * register) to vector on this CPU, level triggered, and enables INTx.
 * 0, or -1 when the function has no pin or the firmware left no line. */
int pci_intx_route(struct pci_device *device, uint8_t vector);

#endif
