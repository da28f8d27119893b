/* capability.c - the capability list (PCI Local Bus 3.0 section 6.7):
 * a chain of (ID, next) headers starting at the pointer at 0x34 when status
 * bit 4 says there is one. The walk stops at a pointer below 0x40 (the
 * header), and after as many entries as fit in the space, so a cycle or a
 * garbage pointer ends it instead of looping. */
#include "kernel/console/printk.h"
#include "kernel/pci/internal.h"
#include "kernel/pci/regs.h"

#include <stddef.h>

static const char *const capability_names[] = {
	[PCI_CAP_ID_POWER_MANAGEMENT] = "pm",
	[PCI_CAP_ID_AGP] = "agp",
	[PCI_CAP_ID_VPD] = "vpd",
	[PCI_CAP_ID_SLOT_ID] = "slotid",
	[PCI_CAP_ID_MSI] = "msi",
	[PCI_CAP_ID_HOT_SWAP] = "hotswap",
	[PCI_CAP_ID_PCIX] = "pcix",
	[PCI_CAP_ID_HYPERTRANSPORT] = "ht",
	[PCI_CAP_ID_VENDOR_SPECIFIC] = "vendor",
	[PCI_CAP_ID_DEBUG_PORT] = "debug",
	[PCI_CAP_ID_RESOURCE_CONTROL] = "cpci",
	[PCI_CAP_ID_HOT_PLUG] = "hotplug",
	[PCI_CAP_ID_BRIDGE_SUBSYSTEM_ID] = "ssvid",
	[PCI_CAP_ID_AGP8] = "agp8",
	[PCI_CAP_ID_SECURE_DEVICE] = "secure",
	[PCI_CAP_ID_PCI_EXPRESS] = "pcie",
	[PCI_CAP_ID_MSIX] = "msix",
	[PCI_CAP_ID_SATA] = "sata",
	[PCI_CAP_ID_ADVANCED_FEATURES] = "af",
	[PCI_CAP_ID_ENHANCED_ALLOCATION] = "ea",
};

const char *pci_capability_name(uint8_t capability_id)
{
	if (capability_id < sizeof capability_names / sizeof capability_names[0] && capability_names[capability_id])
		return capability_names[capability_id];
	return "unknown";
}

/* Keeps the offset of the first capability of each kind drivers look for. */
static void remember_offset(struct pci_device *device, uint8_t id, uint8_t offset)
{
	uint8_t *slot = NULL;
	switch (id) {
	case PCI_CAP_ID_MSI: slot = &device->msi_offset; break;
	case PCI_CAP_ID_MSIX: slot = &device->msix_offset; break;
	case PCI_CAP_ID_PCI_EXPRESS: slot = &device->pcie_offset; break;
	case PCI_CAP_ID_POWER_MANAGEMENT: slot = &device->power_management_offset; break;
	case PCI_CAP_ID_VENDOR_SPECIFIC: slot = &device->vendor_offset; break;
	}
	if (slot && *slot == 0)
		*slot = offset;
}

void pci_capabilities_walk(struct pci_device *device)
{
	if (!(pci_read16(device, PCI_STATUS) & PCI_STATUS_CAPABILITY_LIST))
		return;
	uint8_t offset = pci_read8(device, PCI_CAPABILITY_POINTER) & PCI_CAPABILITY_POINTER_MASK;
	unsigned walked = 0;
	while (offset != 0) {
		if (offset < PCI_CAPABILITY_FIRST_VALID || walked++ == PCI_CAPABILITY_MAX_WALK) {
			pr_warn("pci: %02x:%02x.%u: broken capability list at %#x, walk stopped\n", device->address.bus,
				device->address.slot, device->address.function, offset);
			return;
		}
		uint8_t id = pci_read8(device, offset + PCI_CAPABILITY_ID);
		if (device->capability_count < PCI_MAX_CAPABILITIES)
			device->capability_ids[device->capability_count++] = id;
		remember_offset(device, id, offset);
		offset = pci_read8(device, offset + PCI_CAPABILITY_NEXT) & PCI_CAPABILITY_POINTER_MASK;
	}
}

uint8_t pci_find_capability(const struct pci_device *device, uint8_t capability_id)
{
	if (!(pci_read16(device, PCI_STATUS) & PCI_STATUS_CAPABILITY_LIST))
		return 0;
	uint8_t offset = pci_read8(device, PCI_CAPABILITY_POINTER) & PCI_CAPABILITY_POINTER_MASK;
	for (unsigned walked = 0; offset >= PCI_CAPABILITY_FIRST_VALID && walked < PCI_CAPABILITY_MAX_WALK; walked++) {
		if (pci_read8(device, offset + PCI_CAPABILITY_ID) == capability_id)
			return offset;
		offset = pci_read8(device, offset + PCI_CAPABILITY_NEXT) & PCI_CAPABILITY_POINTER_MASK;
	}
	return 0;
}
