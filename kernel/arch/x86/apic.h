/* apic.h - local APIC and IOAPICs, set up from the ACPI MADT.
 *
 * The 8259 PICs are remapped to vectors 0x20-0x2F and fully masked; all device
 * interrupts go through the IOAPIC (lines, with the MADT's interrupt source
 * overrides applied) or straight to the LAPIC (MSI / MSI-X). */
#ifndef KEEL_APIC_H
#define KEEL_APIC_H

#include <stdbool.h>
#include <stdint.h>

void pic_disable(void);
/* Needs acpi_init(). Enables the LAPIC of this CPU (spurious vector, error vector). */
void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* One-shot LAPIC timer / TSC-deadline, used by kernel/time/timer.c.
 * lapic_timer_init() needs clock_init(): it picks TSC-deadline mode when
 * CPUID.01H:ECX[24] says so, else calibrates the count-down timer. */
void lapic_timer_init(void);
/* Count-down rate of the one-shot timer; 0 in TSC-deadline mode. */
uint64_t lapic_timer_frequency_hz(void);
/* Whether the CPU offers TSC-deadline mode (CPUID.01H:ECX[24]), used or not. */
bool lapic_timer_tsc_deadline_available(void);
void lapic_timer_arm_ns(uint64_t delay_ns);
void lapic_timer_disarm(void);
const char *lapic_timer_mode_name(void); /* "tsc-deadline" or "lapic-oneshot" */

/* Needs acpi_init(). Masks every redirection entry of every IOAPIC. */
void ioapic_init(void);

enum irq_trigger { IRQ_TRIGGER_EDGE = 0, IRQ_TRIGGER_LEVEL = 1 };
enum irq_polarity { IRQ_POLARITY_HIGH = 0, IRQ_POLARITY_LOW = 1 };

/* Routes a global system interrupt to vector on the LAPIC destination_apic_id,
 * masked or not. Returns 0, or -1 when no IOAPIC serves gsi. */
int ioapic_route(uint32_t gsi, uint8_t vector, enum irq_trigger trigger, enum irq_polarity polarity, uint32_t destination_apic_id);

#endif
