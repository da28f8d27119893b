/* gsi.h - a device interrupt wired to an IOAPIC input (a global system
 * interrupt) for drivers that are not on PCI, e.g. virtio-mmio on QEMU's
 * microvm, whose command line entries name the GSI. The vector is allocated,
 * named and aimed at this CPU here, so drivers need nothing from the
 * interrupt controller code (apic.h). Level triggered, active high: the
 * line stays up until the handler makes the device lower it. */
#ifndef KEEL_GSI_H
#define KEEL_GSI_H

#include <stdint.h>

#define GSI_INTERRUPT_NAME_LENGTH 24

struct gsi_interrupt {
	int vector;                           /* -1 when not attached */
	void (*handler)(void *context);
	void *context;
	char name[GSI_INTERRUPT_NAME_LENGTH];
};

/* 0, or -1 when no vector is free or no IOAPIC serves gsi (reason printed).
 * irq must not move while attached. */
int gsi_interrupt_attach(struct gsi_interrupt *irq, uint32_t gsi, void (*handler)(void *context), void *context,
			 const char *name);
void gsi_interrupt_detach(struct gsi_interrupt *irq);

#endif
