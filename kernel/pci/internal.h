/* internal.h - what the pci_*.c files share and drivers do not need:
 * the steps pci_init() runs on every function it finds. */
#ifndef KEEL_PCI_INTERNAL_H
#define KEEL_PCI_INTERNAL_H

#include "kernel/pci/pci.h"

/* kernel/pci/config.c: chooses ECAM (ACPI MCFG, segment 0) or legacy ports and
 * prints which one. */
void pci_config_init(void);
/* Reads through port 0xCF8 whatever the mechanism in use, so a self test
 * can compare the two. */
uint32_t pci_config_read32_legacy(struct pci_address address, uint16_t offset);

/* kernel/pci/bar.c: decodes and sizes the BARs of a function whose header is read. */
void pci_bars_decode(struct pci_device *device);

/* kernel/pci/capability.c: walks the capability list into device. */
void pci_capabilities_walk(struct pci_device *device);

/* pci.c: read-modify-write of the command register (bits in kernel/pci/regs.h). */
void pci_command_update(struct pci_device *device, uint16_t set, uint16_t clear);

/* pci.c: functions the scan could not record because the table was full. */
unsigned pci_devices_dropped(void);

#endif
