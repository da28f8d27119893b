/* interrupts.h - one way for a PCI driver to get its interrupts.
 *
 * pci_interrupts_allocate() sets up the best mode at most as good as the
 * one asked for (keel.irq=), in the order MSI-X, MSI, INTx, poll: a mode the
 * driver does not offer or the function cannot do falls to the next one the
 * driver offers, and the console says why ("eth0: msix not available (no
 * MSI-X capability), falling back to intx"). MSI-X takes one vector per
 * table entry the driver uses, MSI and INTx one vector for every cause; the
 * vectors are allocated, named "<device>-<suffix>" and aimed at this CPU
 * here, so drivers need nothing from the interrupt controller code.
 * Handlers run in interrupt context with interrupts off and get only the
 * driver's context. */
#ifndef KEEL_PCI_INTERRUPTS_H
#define KEEL_PCI_INTERRUPTS_H

#include <stdbool.h>

#include "kernel/pci/pci.h"

/* Best first: a request falls back down the list. */
enum pci_interrupt_mode {
	PCI_INTERRUPT_MSIX = 0,
	PCI_INTERRUPT_MSI,
	PCI_INTERRUPT_INTX,
	PCI_INTERRUPT_POLL,      /* no interrupts: the driver is polled */
};

#define PCI_INTERRUPT_VECTORS_MAX 4
#define PCI_INTERRUPT_NAME_LENGTH 24

typedef void (*pci_interrupt_handler)(void *context);

/* What a driver can take. */
struct pci_interrupt_request {
	const char *name;                             /* device name, the vectors' prefix */
	void *context;                                /* for every handler and msix_attach */
	/* MSI-X: table entries 0..msix_vectors-1, a handler and a suffix each; 0 = not offered. */
	unsigned msix_vectors;
	const pci_interrupt_handler *msix_handlers;
	const char *const *msix_suffixes;
	/* Optional: points the device's own interrupt sources at the entries
	 * (called with the entries programmed and still masked). Nonzero means
	 * the device refused: it must have undone its part; MSI-X is undone and
	 * the next mode tried. */
	int (*msix_attach)(void *context);
	bool msi;                                     /* MSI (one message) offered */
	pci_interrupt_handler shared_handler;         /* MSI and INTx; NULL = INTx not offered either */
	const char *shared_suffix;
};

struct pci_interrupt_vector {
	int vector;                                   /* CPU vector */
	pci_interrupt_handler handler;
	void *context;
	char name[PCI_INTERRUPT_NAME_LENGTH];         /* "eth0-rx": the vector table points at it */
};

/* What was set up. Lives in the driver's state and must not move while
 * vectors are allocated (each vector's context points into it). */
struct pci_interrupts {
	enum pci_interrupt_mode mode;
	unsigned vector_count;                        /* vectors[0..vector_count) are allocated */
	struct pci_interrupt_vector vectors[PCI_INTERRUPT_VECTORS_MAX];
};

/* "msix", "msi", "intx" or "poll". */
const char *pci_interrupt_mode_name(enum pci_interrupt_mode mode);

/* Sets up the first mode from requested down that works (poll always
 * does), fills interrupts and returns the mode. MSI-X entries end up
 * unmasked; the device's own interrupt enables are the driver's business. */
enum pci_interrupt_mode pci_interrupts_allocate(struct pci_device *device, enum pci_interrupt_mode requested,
						const struct pci_interrupt_request *request,
						struct pci_interrupts *interrupts);

/* Undoes pci_interrupts_allocate: MSI-X or MSI off, vectors freed, mode poll. */
void pci_interrupts_release(struct pci_device *device, struct pci_interrupts *interrupts);

#endif
