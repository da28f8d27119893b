/* interrupts.c - a driver's interrupt mode and vectors (contract in
 * kernel/pci/interrupts.h). Every vector goes to the CPU we run on (the
 * only one) through dispatch(), which hands the driver's handler its
 * context. A function uses at most one of MSI-X, MSI and INTx (PCI Local
 * Bus 3.0 section 6.8); kernel/pci/msi.c and intx.c switch the others off. */
#include "kernel/pci/interrupts.h"

#include <stdio.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"

static const char *const mode_names[] = {
	[PCI_INTERRUPT_MSIX] = "msix",
	[PCI_INTERRUPT_MSI] = "msi",
	[PCI_INTERRUPT_INTX] = "intx",
	[PCI_INTERRUPT_POLL] = "poll",
};

const char *pci_interrupt_mode_name(enum pci_interrupt_mode mode)
{
	return (unsigned)mode <= PCI_INTERRUPT_POLL ? mode_names[mode] : "unknown";
}

static void dispatch(struct interrupt_frame *frame, void *slot)
{
	const struct pci_interrupt_vector *vector = slot;
	vector->handler(vector->context);
}

static void vectors_free(struct pci_interrupts *interrupts)
{
	for (unsigned i = 0; i < interrupts->vector_count; i++)
		interrupt_vector_free(interrupts->vectors[i].vector);
	interrupts->vector_count = 0;
}

/* The next vector for handler; -1 when none is left. */
static int vector_add(struct pci_interrupts *interrupts, const struct pci_interrupt_request *request,
		      pci_interrupt_handler handler, const char *suffix)
{
	if (interrupts->vector_count == PCI_INTERRUPT_VECTORS_MAX)
		return -1;
	struct pci_interrupt_vector *slot = &interrupts->vectors[interrupts->vector_count];
	slot->handler = handler;
	slot->context = request->context;
	snprintf(slot->name, sizeof slot->name, "%s-%s", request->name, suffix);
	slot->vector = interrupt_vector_alloc(dispatch, slot, slot->name);
	if (slot->vector < 0)
		return -1;
	interrupts->vector_count++;
	return slot->vector;
}

/* Entries are programmed while the table keeps them masked (pci_msix_enable
 * masks every one), and unmasked only once the device has taken them. */
static const char *setup_msix(struct pci_device *device, const struct pci_interrupt_request *request,
			      struct pci_interrupts *interrupts)
{
	if (!device->msix_offset)
		return "no MSI-X capability";
	if (pci_msix_enable(device) != 0)
		return "MSI-X table not usable";
	const char *failure = NULL;
	if (device->msix_table_size < request->msix_vectors)
		failure = "too few MSI-X entries";
	for (unsigned entry = 0; failure == NULL && entry < request->msix_vectors; entry++) {
		int vector = vector_add(interrupts, request, request->msix_handlers[entry], request->msix_suffixes[entry]);
		if (vector < 0 || pci_msix_set_vector(device, entry, (uint8_t)vector, lapic_id()) != 0)
			failure = "no vector for every entry";
	}
	if (failure == NULL && request->msix_attach && request->msix_attach(request->context) != 0)
		failure = "device refused the vectors";
	if (failure) {
		vectors_free(interrupts);
		pci_msix_disable(device);
		return failure;
	}
	for (unsigned entry = 0; entry < request->msix_vectors; entry++)
		pci_msix_unmask_entry(device, entry);
	return NULL;
}

static const char *setup_single_vector(struct pci_device *device, enum pci_interrupt_mode mode,
				       const struct pci_interrupt_request *request, struct pci_interrupts *interrupts)
{
	if (mode == PCI_INTERRUPT_MSI && !device->msi_offset)
		return "no MSI capability";
	int vector = vector_add(interrupts, request, request->shared_handler, request->shared_suffix);
	if (vector < 0)
		return "no free vector";
	int result = mode == PCI_INTERRUPT_MSI ? pci_msi_enable(device, (uint8_t)vector, lapic_id())
					       : pci_intx_route(device, (uint8_t)vector);
	if (result != 0) {
		vectors_free(interrupts);
		return mode == PCI_INTERRUPT_MSI ? "MSI not usable" : "no INTx routing";
	}
	return NULL;
}

static bool offered(const struct pci_interrupt_request *request, enum pci_interrupt_mode mode)
{
	switch (mode) {
	case PCI_INTERRUPT_MSIX:
		return request->msix_vectors > 0 && request->msix_vectors <= PCI_INTERRUPT_VECTORS_MAX;
	case PCI_INTERRUPT_MSI:
		return request->msi && request->shared_handler;
	case PCI_INTERRUPT_INTX:
		return request->shared_handler != NULL;
	case PCI_INTERRUPT_POLL:
		return true;
	}
	return false;
}

/* NULL when mode is set up, else why not. */
static const char *setup_mode(struct pci_device *device, enum pci_interrupt_mode mode,
			      const struct pci_interrupt_request *request, struct pci_interrupts *interrupts)
{
	if (!offered(request, mode))
		return "not offered by the driver for this device";
	switch (mode) {
	case PCI_INTERRUPT_MSIX:
		return setup_msix(device, request, interrupts);
	case PCI_INTERRUPT_MSI:
	case PCI_INTERRUPT_INTX:
		return setup_single_vector(device, mode, request, interrupts);
	case PCI_INTERRUPT_POLL:
		return NULL;
	}
	return "unknown mode";
}

/* Modes the driver does not offer are skipped silently on the way down:
 * only the requested one and those tried are worth a line. */
static enum pci_interrupt_mode next_offered(const struct pci_interrupt_request *request, enum pci_interrupt_mode mode)
{
	do
		mode++;
	while (!offered(request, mode));
	return mode;
}

enum pci_interrupt_mode pci_interrupts_allocate(struct pci_device *device, enum pci_interrupt_mode requested,
						const struct pci_interrupt_request *request,
						struct pci_interrupts *interrupts)
{
	*interrupts = (struct pci_interrupts){ .mode = PCI_INTERRUPT_POLL };
	enum pci_interrupt_mode mode = (unsigned)requested <= PCI_INTERRUPT_POLL ? requested : PCI_INTERRUPT_MSIX;
	const char *failure;
	while ((failure = setup_mode(device, mode, request, interrupts)) != NULL) {
		enum pci_interrupt_mode next = next_offered(request, mode);
		pr_info("%s: %s not available (%s), falling back to %s\n", request->name, pci_interrupt_mode_name(mode),
			failure, pci_interrupt_mode_name(next));
		mode = next;
	}
	interrupts->mode = mode;
	return mode;
}

void pci_interrupts_release(struct pci_device *device, struct pci_interrupts *interrupts)
{
	if (interrupts->mode == PCI_INTERRUPT_MSIX)
		pci_msix_disable(device);
	else if (interrupts->mode == PCI_INTERRUPT_MSI)
		pci_msi_disable(device);
	vectors_free(interrupts);
	interrupts->mode = PCI_INTERRUPT_POLL;
}
