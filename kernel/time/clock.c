/* clock.c - the monotonic clock (kernel/time/clock.h): the TSC, its frequency
 * measured at boot against a reference counter of known frequency, counted
 * from the TSC value boot_info recorded at kernel entry.
 *
 * References, best first: the HPET main counter (IA-PC HPET 1.0a 2.3), the
 * ACPI PM timer (ACPI 6.5 4.8.3.3, 3.579545 MHz) and PIT channel 2 (8254
 * datasheet, 1.193182 MHz). Each is read as an up-counter of `mask` bits that
 * wraps; calibration polls it often enough never to miss a wrap. The window
 * is kept short (all of init must take under 10 ms under emulation): two
 * 0.3 ms windows, a third when they disagree, and the median wins. */
#include "kernel/time/clock.h"
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/core/kmain.h"
#include "kernel/mm/paging.h"

#define CALIBRATION_WINDOW_US 300
/* Two windows agreeing this closely (parts per million) need no third. */
#define CALIBRATION_AGREEMENT_PPM 1000
#define CALIBRATION_WARM_UP_TICKS 16
/* Give-up bounds in TSC ticks, for a reference that stops counting: an edge
 * must come within ~3 ms at 3 GHz (the slowest reference ticks every 838 ns),
 * a measuring window within ~0.3 s. */
#define REFERENCE_EDGE_GIVE_UP_TSC 10000000ull
#define REFERENCE_WINDOW_GIVE_UP_TSC 1000000000ull
/* Before calibration, delays assume a TSC this fast so they wait at least as
 * long as asked. */
#define TSC_HZ_UPPER_BOUND 10000000000ull

/* [IA-PC HPET 1.0a 2.3.4-2.3.7] General registers, read 32 bits at a time. */
#define HPET_MMIO_SIZE 0x400
#define HPET_CAPABILITIES_HIGH 0x004 /* bits 63:32 of GCAP_ID: COUNTER_CLK_PERIOD (fs) */
#define HPET_CONFIGURATION 0x010
#define HPET_CONFIGURATION_ENABLE (1u << 0) /* ENABLE_CNF: main counter runs */
#define HPET_MAIN_COUNTER 0x0F0
#define HPET_MAX_PERIOD_FS 100000000u /* 100 ns: the spec's upper bound */
#define FEMTOSECONDS_PER_SECOND 1000000000000000ull

/* [ACPI 6.5 4.8.3.3] */
#define PM_TIMER_HZ 3579545
#define PM_TIMER_MASK_24BIT 0xFFFFFFu

/* [8254 datasheet] Channel 2, gated by port 0x61 bit 0; speaker off (bit 1). */
#define PIT_HZ 1193182
#define PIT_CHANNEL2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_COMMAND_CHANNEL2_MODE0_LOHI 0xB0 /* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_COMMAND_CHANNEL2_LATCH 0x80
#define SYSTEM_CONTROL_PORT_B 0x61
#define PORT_B_TIMER2_GATE (1u << 0)
#define PORT_B_SPEAKER_DATA (1u << 1)

/* [SDM vol 3B 18.17.1] CPUID.80000007H:EDX bit 8: TSC rate is invariant. */
#define CPUID_EXTENDED_MAX 0x80000000u
#define CPUID_POWER_MANAGEMENT 0x80000007u
#define CPUID_INVARIANT_TSC (1u << 8)

struct reference_clock {
	const char *name;
	uint64_t hz;
	uint32_t mask;            /* the counter wraps after mask + 1 ticks */
	uint32_t (*read)(void);   /* an up-counting value */
};

/* A stretch of time measured with both the reference and the TSC. */
struct reference_span {
	uint64_t tsc_start, tsc_end;
	uint64_t reference_ticks;
};

static volatile void *hpet_registers;
static uint16_t pm_timer_port;
static uint32_t pm_timer_mask;

static struct reference_clock reference;   /* hz == 0: none found */
static uint64_t tsc_hz;                    /* 0 until clock_init() */
static uint64_t entry_tsc;

static uint32_t hpet_read(void) { return mmio_read32(hpet_registers, HPET_MAIN_COUNTER); }
static uint32_t pm_timer_read(void) { return inl(pm_timer_port) & pm_timer_mask; }

static uint32_t pit_read(void)
{
	outb(PIT_COMMAND, PIT_COMMAND_CHANNEL2_LATCH);
	uint32_t low = inb(PIT_CHANNEL2_DATA);
	uint32_t high = inb(PIT_CHANNEL2_DATA);
	return ~((high << 8) | low) & 0xFFFF; /* it counts down */
}

static bool hpet_setup(const struct acpi_info *acpi)
{
	if (!acpi->hpet_address)
		return false;
	hpet_registers = ioremap(acpi->hpet_address, HPET_MMIO_SIZE);
	if (hpet_registers == NULL)
		return false;
	uint32_t period_fs = mmio_read32(hpet_registers, HPET_CAPABILITIES_HIGH);
	if (period_fs == 0 || period_fs > HPET_MAX_PERIOD_FS) {
		pr_warn("clock: HPET reports a bad period of %u fs, not used\n", period_fs);
		return false;
	}
	uint32_t configuration = mmio_read32(hpet_registers, HPET_CONFIGURATION);
	if (!(configuration & HPET_CONFIGURATION_ENABLE))
		mmio_write32(hpet_registers, HPET_CONFIGURATION, configuration | HPET_CONFIGURATION_ENABLE);
	reference = (struct reference_clock){ "hpet", FEMTOSECONDS_PER_SECOND / period_fs, UINT32_MAX, hpet_read };
	return true;
}

static bool pm_timer_setup(const struct acpi_info *acpi)
{
	if (!acpi->pm_timer_port || acpi->pm_timer_port > UINT16_MAX)
		return false;
	pm_timer_port = (uint16_t)acpi->pm_timer_port;
	pm_timer_mask = acpi->pm_timer_32bit ? UINT32_MAX : PM_TIMER_MASK_24BIT;
	reference = (struct reference_clock){ "acpi_pm", PM_TIMER_HZ, pm_timer_mask, pm_timer_read };
	return true;
}

/* Mode 0 with the largest count: channel 2 then counts down through 0 and
 * keeps wrapping, a free-running 16-bit counter (polled well within 55 ms). */
static bool pit_setup(void)
{
	uint8_t port_b = inb(SYSTEM_CONTROL_PORT_B);
	outb(SYSTEM_CONTROL_PORT_B, (port_b & ~PORT_B_SPEAKER_DATA) | PORT_B_TIMER2_GATE);
	outb(PIT_COMMAND, PIT_COMMAND_CHANNEL2_MODE0_LOHI);
	outb(PIT_CHANNEL2_DATA, 0xFF);
	outb(PIT_CHANNEL2_DATA, 0xFF);
	reference = (struct reference_clock){ "pit", PIT_HZ, 0xFFFF, pit_read };
	return true;
}

/* Starts on a reference edge (so the span does not begin mid-tick), then
 * polls until `ticks` have passed. Each end reads the reference, then the
 * TSC, so the read latency cancels out. False when the reference is stuck. */
static bool reference_measure(uint64_t ticks, struct reference_span *span)
{
	uint32_t previous = reference.read(), current;
	uint64_t give_up = rdtsc() + REFERENCE_EDGE_GIVE_UP_TSC;
	while ((current = reference.read()) == previous)
		if (rdtsc() > give_up)
			return false;
	span->tsc_start = rdtsc();
	span->reference_ticks = 0;
	for (previous = current; span->reference_ticks < ticks; previous = current) {
		current = reference.read();
		span->tsc_end = rdtsc();
		span->reference_ticks += (current - previous) & reference.mask;
		if (span->tsc_end - span->tsc_start > REFERENCE_WINDOW_GIVE_UP_TSC)
			return false;
	}
	return true;
}

static uint64_t calibrate_window(void)
{
	struct reference_span span;
	if (!reference_measure(reference.hz * CALIBRATION_WINDOW_US / 1000000, &span))
		return 0;
	return mul_div_u64(span.tsc_end - span.tsc_start, reference.hz, span.reference_ticks);
}

static uint64_t median_of_three(uint64_t a, uint64_t b, uint64_t c)
{
	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

/* TSC frequency in Hz, 0 when the reference failed. */
static uint64_t calibrate(unsigned *windows)
{
	/* An untimed pass first, so that both timed ones run warm (caches,
	 * branch predictors, an emulator's translated code): without it the
	 * first window reads ~1% low under QEMU TCG. */
	struct reference_span warm_up;
	reference_measure(CALIBRATION_WARM_UP_TICKS, &warm_up);
	uint64_t first = calibrate_window(), second = calibrate_window();
	*windows = 2;
	if (first == 0 || second == 0)
		return 0;
	uint64_t difference = first > second ? first - second : second - first;
	if (mul_div_u64(difference, 1000000, first) <= CALIBRATION_AGREEMENT_PPM)
		return first / 2 + second / 2;
	*windows = 3;
	return median_of_three(first, second, calibrate_window());
}

static void invariant_tsc_check(void)
{
	uint32_t max_leaf, unused, edx = 0;
	cpuid(CPUID_EXTENDED_MAX, 0, &max_leaf, &unused, &unused, &unused);
	if (max_leaf >= CPUID_POWER_MANAGEMENT)
		cpuid(CPUID_POWER_MANAGEMENT, 0, &unused, &unused, &unused, &edx);
	if (edx & CPUID_INVARIANT_TSC)
		pr_info("clock: TSC is invariant\n");
	else
		pr_warn("clock: TSC not invariant (CPUID 0x80000007 EDX[8]); its rate may vary\n");
}

/* Tries each reference in order of precision until one calibrates. */
static uint64_t calibrate_against_best_reference(unsigned *windows)
{
	const struct acpi_info *acpi = acpi_get();
	if (hpet_setup(acpi)) {
		uint64_t hz = calibrate(windows);
		if (hz)
			return hz;
		pr_warn("clock: HPET does not count, trying the next reference\n");
	}
	if (pm_timer_setup(acpi)) {
		uint64_t hz = calibrate(windows);
		if (hz)
			return hz;
		pr_warn("clock: ACPI PM timer does not count, trying the PIT\n");
	}
	pit_setup();
	return calibrate(windows);
}

void clock_init(void)
{
	const struct boot_info *info = kernel_boot_info();
	uint64_t start = rdtsc();
	unsigned windows = 0;
	uint64_t hz = calibrate_against_best_reference(&windows);
	if (hz == 0) {
		reference.hz = 0;
		hz = TSC_HZ_UPPER_BOUND;
		pr_err("clock: no reference counter works; assuming a %llu MHz TSC\n", (unsigned long long)(hz / 1000000));
	}
	entry_tsc = info && info->entry_tsc ? info->entry_tsc : start;
	tsc_hz = hz;
	uint64_t took_us = mul_div_u64(rdtsc() - start, 1000000, hz);
	pr_info("clock: TSC %llu.%03llu MHz calibrated against %s in %llu.%llu ms (%u windows of %u us)\n",
		(unsigned long long)(hz / 1000000), (unsigned long long)(hz / 1000 % 1000), clock_calibration_source(), (unsigned long long)(took_us / 1000),
		(unsigned long long)(took_us / 100 % 10),
		windows, CALIBRATION_WINDOW_US);
	invariant_tsc_check();
}

uint64_t clock_tsc_hz(void)
{
	return tsc_hz;
}

const char *clock_calibration_source(void)
{
	return reference.hz ? reference.name : "none";
}

uint64_t clock_tsc_to_ns(uint64_t tsc)
{
	if (tsc_hz == 0 || tsc <= entry_tsc)
		return 0;
	return mul_div_u64(tsc - entry_tsc, NSEC_PER_SEC, tsc_hz);
}

/* The TSC never runs backwards on one CPU, so neither does this. */
uint64_t clock_monotonic_ns(void)
{
	return clock_tsc_to_ns(rdtsc());
}

uint64_t clock_ns_to_tsc(uint64_t nanoseconds)
{
	return mul_div_u64(nanoseconds, tsc_hz ? tsc_hz : TSC_HZ_UPPER_BOUND, NSEC_PER_SEC);
}

void clock_delay_us(uint64_t microseconds)
{
	uint64_t start = rdtsc();
	uint64_t ticks = clock_ns_to_tsc(microseconds * NSEC_PER_USEC);
	while (rdtsc() - start < ticks)
		cpu_pause();
}

bool clock_compare_with_reference(uint64_t window_us, uint64_t *reference_ns, uint64_t *monotonic_ns)
{
	struct reference_span span;
	if (reference.hz == 0 || !reference_measure(mul_div_u64(reference.hz, window_us, 1000000), &span))
		return false;
	*reference_ns = mul_div_u64(span.reference_ticks, NSEC_PER_SEC, reference.hz);
	*monotonic_ns = clock_tsc_to_ns(span.tsc_end) - clock_tsc_to_ns(span.tsc_start);
	return true;
}
