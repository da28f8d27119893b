/* gsi.c - IOAPIC-routed interrupts for non-PCI devices (contract in gsi.h). */
#include "kernel/arch/x86/gsi.h"

#include <string.h>

#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"

static void dispatch(struct interrupt_frame *frame, void *context)
{
	(void)frame;
	const struct gsi_interrupt *irq = context;
	irq->handler(irq->context);
}

int gsi_interrupt_attach(struct gsi_interrupt *irq, uint32_t gsi, void (*handler)(void *context), void *context,
			 const char *name)
{
	irq->handler = handler;
	irq->context = context;
	strlcpy(irq->name, name, sizeof(irq->name));
	irq->vector = interrupt_vector_alloc(dispatch, irq, irq->name);
	if (irq->vector < 0) {
		pr_warn("%s: no free interrupt vector for GSI %u\n", irq->name, gsi);
		return -1;
	}
	if (ioapic_route(gsi, (uint8_t)irq->vector, IRQ_TRIGGER_LEVEL, IRQ_POLARITY_HIGH, lapic_id()) != 0) {
		pr_warn("%s: no IOAPIC serves GSI %u\n", irq->name, gsi);
		gsi_interrupt_detach(irq);
		return -1;
	}
	return 0;
}

void gsi_interrupt_detach(struct gsi_interrupt *irq)
{
	if (irq->vector >= 0)
		interrupt_vector_free(irq->vector);
	irq->vector = -1;
}
