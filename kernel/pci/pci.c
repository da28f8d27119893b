/* pci.c - bus enumeration and the table of functions found (pci.h).
 *
 * Depth-first scan from bus 0 (PCI-to-PCI Bridge 1.2 section 3.2.5.3): every
 * slot's function 0, functions 1-7 only when function 0's header type has
 * the multi-function bit, and the secondary bus of every bridge the firmware
 * numbered. Buses nobody points at are never probed (a brute force over 256
 * buses through port 0xCF8 costs seconds under TCG). */
#include "kernel/console/printk.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#include <string.h>

static struct pci_device devices[PCI_MAX_DEVICES];
static unsigned device_count, devices_dropped;
static bool bus_scanned[PCI_BUS_COUNT];

static void scan_bus(uint8_t bus);

static void read_header(struct pci_device *device)
{
	device->vendor_id = pci_read16(device, PCI_VENDOR_ID);
	device->device_id = pci_read16(device, PCI_DEVICE_ID);
	device->revision = pci_read8(device, PCI_REVISION_ID);
	device->prog_if = pci_read8(device, PCI_PROG_IF);
	device->subclass = pci_read8(device, PCI_SUBCLASS);
	device->class_code = pci_read8(device, PCI_CLASS_CODE);
	device->header_type = pci_read8(device, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	device->interrupt_line = pci_read8(device, PCI_INTERRUPT_LINE);
	device->interrupt_pin = pci_read8(device, PCI_INTERRUPT_PIN);
	if (device->header_type == PCI_HEADER_TYPE_ENDPOINT) {
		device->subsystem_vendor_id = pci_read16(device, PCI_SUBSYSTEM_VENDOR_ID);
		device->subsystem_id = pci_read16(device, PCI_SUBSYSTEM_ID);
	} else if (device->header_type == PCI_HEADER_TYPE_BRIDGE) {
		device->secondary_bus = pci_read8(device, PCI_SECONDARY_BUS);
		device->subordinate_bus = pci_read8(device, PCI_SUBORDINATE_BUS);
	}
}

/* Follows a bridge to its secondary bus. A bridge the firmware left
 * unnumbered (secondary 0), or one pointing backwards or at a bus already
 * scanned, is reported and not followed: keel does not renumber buses. */
static void follow_bridge(const struct pci_device *bridge)
{
	uint8_t secondary = bridge->secondary_bus;
	if (secondary <= bridge->address.bus || bus_scanned[secondary]) {
		pr_warn("pci: %02x:%02x.%u: bridge to bus %u not followed (unnumbered or loop)\n", bridge->address.bus,
			bridge->address.slot, bridge->address.function, secondary);
		return;
	}
	scan_bus(secondary);
}

static bool is_pci_bridge(const struct pci_device *device)
{
	return device->header_type == PCI_HEADER_TYPE_BRIDGE;
}

static void scan_function(struct pci_address address)
{
	if (pci_config_read16(address, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
		return;
	if (device_count == PCI_MAX_DEVICES) {
		devices_dropped++;
		return;
	}
	struct pci_device *device = &devices[device_count++];
	memset(device, 0, sizeof *device);
	device->address = address;
	read_header(device);
	pci_bars_decode(device);
	pci_capabilities_walk(device);
	if (is_pci_bridge(device))
		follow_bridge(device);
}

static void scan_slot(uint8_t bus, uint8_t slot)
{
	struct pci_address address = { bus, slot, 0 };
	if (pci_config_read16(address, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
		return;
	bool multi_function = pci_config_read8(address, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MULTI_FUNCTION;
	unsigned functions = multi_function ? PCI_FUNCTIONS_PER_SLOT : 1;
	for (uint8_t function = 0; function < functions; function++) {
		address.function = function;
		scan_function(address);
	}
}

/* Recursion depth is bounded by the bus count (each bridge must lead to a
 * higher, unscanned bus); a real tree is a few levels deep. */
static void scan_bus(uint8_t bus)
{
	bus_scanned[bus] = true;
	for (uint8_t slot = 0; slot < PCI_SLOTS_PER_BUS; slot++)
		scan_slot(bus, slot);
}

static uint32_t address_key(struct pci_address address)
{
	return (uint32_t)address.bus << 8 | (uint32_t)address.slot << 3 | address.function;
}

/* The scan is depth first (a bridge's children come right after it); the
 * table is kept in bus:slot.function order, like lspci, so indices and the
 * printed table do not depend on where bridges sit. Insertion sort: the
 * table is short and nearly sorted. */
static void sort_by_address(void)
{
	for (unsigned i = 1; i < device_count; i++) {
		struct pci_device moving = devices[i];
		unsigned j = i;
		for (; j > 0 && address_key(devices[j - 1].address) > address_key(moving.address); j--)
			devices[j] = devices[j - 1];
		devices[j] = moving;
	}
}

void pci_init(void)
{
	pci_config_init();
	device_count = devices_dropped = 0;
	memset(bus_scanned, 0, sizeof bus_scanned);
	scan_bus(0);
	sort_by_address();
	if (devices_dropped)
		pr_warn("pci: device table full, %u functions not recorded\n", devices_dropped);
}

unsigned pci_device_count(void)
{
	return device_count;
}

unsigned pci_devices_dropped(void)
{
	return devices_dropped;
}

struct pci_device *pci_device_at(unsigned index)
{
	return index < device_count ? &devices[index] : NULL;
}

void pci_command_update(struct pci_device *device, uint16_t set, uint16_t clear)
{
	uint16_t command = pci_read16(device, PCI_COMMAND);
	uint16_t updated = (command | set) & ~clear;
	if (updated != command)
		pci_write16(device, PCI_COMMAND, updated);
}

void pci_enable_bus_master(struct pci_device *device) { pci_command_update(device, PCI_COMMAND_BUS_MASTER, 0); }
void pci_enable_memory(struct pci_device *device) { pci_command_update(device, PCI_COMMAND_MEMORY_SPACE, 0); }
void pci_enable_io(struct pci_device *device) { pci_command_update(device, PCI_COMMAND_IO_SPACE, 0); }
