/* clock.h - the monotonic clock: TSC calibrated at boot against a reference
 * timer (HPET when ACPI describes one, else the ACPI PM timer, else PIT
 * channel 2), exposed in nanoseconds since kernel entry. */
#ifndef KEEL_CLOCK_H
#define KEEL_CLOCK_H

#include <stdint.h>

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

/* Needs acpi_init() (to find the HPET / PM timer). */
void clock_init(void);
/* 0 until clock_init() has run. */
uint64_t clock_monotonic_ns(void);
uint64_t clock_tsc_hz(void);
/* "hpet", "acpi_pm" or "pit": what the TSC was calibrated against. */
const char *clock_calibration_source(void);
/* Converts a TSC reading (e.g. boot_info.entry_tsc) to nanoseconds since kernel entry. */
uint64_t clock_tsc_to_ns(uint64_t tsc);
/* Busy-waits; for device init sequences that specify a delay. */
void clock_delay_us(uint64_t microseconds);

#endif
