/* stubs_tmp.c - TEMPORARY weak stand-ins while modules are being written in
 * parallel; each is overridden by the real (strong) definition. Delete when empty. */
#include "kernel/acpi.h"
#include "kernel/apic.h"
#include "kernel/clock.h"
#include "kernel/pci.h"
#include "kernel/timer.h"
#include "kernel/cpu.h"

#define WEAK __attribute__((weak))
static struct acpi_info no_acpi;
WEAK void acpi_init(const struct boot_info *info) { (void)info; }
WEAK const struct acpi_info *acpi_get(void) { return &no_acpi; }
WEAK void pic_disable(void) {}
WEAK void lapic_init(void) {}
WEAK void lapic_eoi(void) {}
WEAK void ioapic_init(void) {}
WEAK void clock_init(void) {}
static uint64_t fake_tsc_start;
WEAK uint64_t clock_monotonic_ns(void) { if (!fake_tsc_start) fake_tsc_start = rdtsc(); return (rdtsc() - fake_tsc_start) / 3; }
WEAK const char *clock_calibration_source(void) { return "none"; }
WEAK void clock_delay_us(uint64_t us) { uint64_t end = clock_monotonic_ns() + us * 1000; while (clock_monotonic_ns() < end) cpu_pause(); }
WEAK void timer_init(void) {}
WEAK unsigned timer_run_expired(void) { return 0; }
WEAK uint32_t lapic_id(void) { return 0; }
WEAK uint64_t clock_tsc_hz(void) { return 0; }
WEAK uint64_t clock_tsc_to_ns(uint64_t tsc) { (void)tsc; return 0; }
#include "kernel/printk.h"
#include "net/net.h"
WEAK void net_init(void) {}
WEAK void net_main_loop(void)
{
	printk(LOG_ALWAYS, "keel: ready (no network)\n");
	for (;;) {
		timer_run_expired();
		cpu_wait_for_interrupt();
	}
}
