/* print.c - the boot-time table of functions, one line each plus one
 * indented line per BAR (and per bridge / interrupt pin), e.g.
 *     pci: 6 devices (config access: legacy)
 *     00:03.0 8086:100e class 02.00.00 ethernet caps: none
 *         BAR0 mem32 0xfebc0000 size 0x20000
 *         BAR1 io 0xc000 size 0x40
 *         INTA line 11
 * Tests parse it: keep the fields and their order stable. */
#include "kernel/console/printk.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#include <stdio.h>
#include <string.h>

#define SUBCLASS_ANY 0xFFFF   /* entry names the whole class */
/* PCI Code and ID Assignment 1.11 chapter 1; names have no spaces so the
 * table splits on whitespace. */
static const struct {
	uint8_t class_code;
	uint16_t subclass;
	const char *name;
} class_names[] = {
	{ 0x01, 0x01, "ide" }, { 0x01, 0x06, "sata" }, { 0x01, 0x08, "nvme" }, { 0x01, 0x00, "scsi" },
	{ 0x01, SUBCLASS_ANY, "storage" },
	{ 0x02, 0x00, "ethernet" }, { 0x02, SUBCLASS_ANY, "network" },
	{ 0x03, 0x00, "vga" }, { 0x03, SUBCLASS_ANY, "display" },
	{ 0x04, 0x03, "audio" }, { 0x04, SUBCLASS_ANY, "multimedia" },
	{ 0x05, SUBCLASS_ANY, "memory" },
	{ 0x06, 0x00, "host-bridge" }, { 0x06, 0x01, "isa-bridge" }, { 0x06, 0x04, "pci-bridge" },
	{ 0x06, 0x80, "other-bridge" }, { 0x06, SUBCLASS_ANY, "bridge" },
	{ 0x07, 0x00, "serial" }, { 0x07, SUBCLASS_ANY, "communication" },
	{ 0x08, SUBCLASS_ANY, "system" },
	{ 0x09, SUBCLASS_ANY, "input" },
	{ 0x0C, 0x03, "usb" }, { 0x0C, 0x05, "smbus" }, { 0x0C, SUBCLASS_ANY, "serial-bus" },
	{ 0x0D, SUBCLASS_ANY, "wireless" },
	{ 0xFF, SUBCLASS_ANY, "vendor-class" },
};

static const char *class_name(uint8_t class_code, uint8_t subclass)
{
	for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++) {
		if (class_names[i].class_code == class_code &&
		    (class_names[i].subclass == subclass || class_names[i].subclass == SUBCLASS_ANY))
			return class_names[i].name;
	}
	return "other";
}

/* Each capability name once, in the order of first appearance. */
static void format_capabilities(const struct pci_device *device, char *text, size_t size)
{
	size_t used = 0;
	text[0] = '\0';
	for (unsigned i = 0; i < device->capability_count; i++) {
		bool seen = false;
		for (unsigned j = 0; j < i; j++)
			seen |= device->capability_ids[j] == device->capability_ids[i];
		if (!seen && used < size)
			used += snprintf(text + used, size - used, " %s", pci_capability_name(device->capability_ids[i]));
	}
	if (device->capability_count == 0)
		snprintf(text, size, " none");
}

static const char *bar_type_name(enum pci_bar_type type)
{
	switch (type) {
	case PCI_BAR_IO: return "io";
	case PCI_BAR_MEMORY32: return "mem32";
	case PCI_BAR_MEMORY64: return "mem64";
	default: return "none";
	}
}

static void print_details(const struct pci_device *device)
{
	for (unsigned index = 0; index < PCI_MAX_BARS; index++) {
		const struct pci_bar *bar = &device->bars[index];
		if (bar->type == PCI_BAR_NONE)
			continue;
		pr_info("    BAR%u %s 0x%llx size 0x%llx%s\n", index, bar_type_name(bar->type), (unsigned long long)bar->base,
			(unsigned long long)bar->size, bar->prefetchable ? " prefetchable" : "");
	}
	if (device->header_type == PCI_HEADER_TYPE_BRIDGE)
		pr_info("    bridge to buses %02x-%02x\n", device->secondary_bus, device->subordinate_bus);
	if (device->interrupt_pin >= 1 && device->interrupt_pin <= 4)
		pr_info("    INT%c line %u\n", 'A' + device->interrupt_pin - 1, device->interrupt_line);
}

void pci_print_table(void)
{
	char capabilities[8 * PCI_MAX_CAPABILITIES];
	pr_info("pci: %u devices (config access: %s)\n", pci_device_count(), pci_config_mechanism_name());
	struct pci_device *device;
	pci_for_each_device(device) {
		format_capabilities(device, capabilities, sizeof capabilities);
		pr_info("%02x:%02x.%u %04x:%04x class %02x.%02x.%02x %s caps:%s\n", device->address.bus,
			device->address.slot, device->address.function, device->vendor_id, device->device_id,
			device->class_code, device->subclass, device->prog_if,
			class_name(device->class_code, device->subclass), capabilities);
		print_details(device);
	}
	if (pci_devices_dropped())
		pr_warn("pci: %u more functions not recorded (table full)\n", pci_devices_dropped());
}
