/* pci.h - PCI enumeration and configuration helpers (placeholder contract;
 * the PCI module owns and extends this header). */
#ifndef KEEL_PCI_H
#define KEEL_PCI_H

void pci_init(void);
void pci_print_table(void);

#endif
