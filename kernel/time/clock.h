/* clock.h - the monotonic clock: TSC calibrated at boot against a reference
 * timer (HPET when ACPI describes one, else the ACPI PM timer, else PIT
 * channel 2), exposed in nanoseconds since kernel entry. */
#ifndef KEEL_CLOCK_H
#define KEEL_CLOCK_H

#include <stdbool.h>
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
/* Converts a duration in nanoseconds to TSC ticks (for TSC-deadline timers). */
uint64_t clock_ns_to_tsc(uint64_t nanoseconds);
/* Busy-waits; for device init sequences that specify a delay. */
void clock_delay_us(uint64_t microseconds);
/* For self tests: busy-waits about window_us while timing the wait both with
 * the calibration reference (HPET, PM timer or PIT) and clock_monotonic_ns().
 * Returns false when clock_init() found no reference. */
bool clock_compare_with_reference(uint64_t window_us, uint64_t *reference_ns, uint64_t *monotonic_ns);

/* value * multiplier / divisor with a 128-bit intermediate product (x86 mul
 * and div: no libgcc helper). Saturates at UINT64_MAX when the quotient does
 * not fit in 64 bits; divisor must not be 0. */
static inline uint64_t mul_div_u64(uint64_t value, uint64_t multiplier, uint64_t divisor)
{
	uint64_t low, high, quotient, remainder;
	__asm__("mulq %3" : "=a"(low), "=d"(high) : "a"(value), "rm"(multiplier));
	if (high >= divisor)
		return UINT64_MAX;
	__asm__("divq %4" : "=a"(quotient), "=d"(remainder) : "a"(low), "d"(high), "rm"(divisor));
	(void)remainder;
	return quotient;
}

#endif
