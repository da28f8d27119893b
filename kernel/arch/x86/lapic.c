/* lapic.c - this CPU's local APIC (kernel/arch/x86/apic.h): enabled with the spurious
 * vector 0xFF and the error vector 0xFE, TPR 0 so every vector is delivered,
 * and its timer as the one-shot event source behind kernel/time/timer.c.
 *
 * Registers are reached through the xAPIC MMIO page (ioremap'ed uncached), or
 * through MSRs when the firmware already switched to x2APIC mode (leaving it
 * needs a full disable, so we follow the firmware instead). Reference: SDM
 * vol 3A chapter "Advanced Programmable Interrupt Controller (APIC)". */
#include "kernel/acpi/acpi.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/mmio.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/mm/paging.h"
#include "kernel/time/clock.h"

#include <string.h>

CMDLINE_KEY("lapic.timer", "'oneshot' uses the LAPIC count-down timer even when TSC-deadline mode exists");

/* IA32_APIC_BASE MSR ("Local APIC Status and Location"). */
#define IA32_APIC_BASE 0x1B
#define APIC_BASE_X2APIC_MODE (1ull << 10)
#define APIC_BASE_GLOBAL_ENABLE (1ull << 11)
#define APIC_BASE_ADDRESS_MASK 0x000FFFFFFFFFF000ull
#define IA32_TSC_DEADLINE 0x6E0
#define X2APIC_MSR_BASE 0x800 /* x2APIC MSR = 0x800 + xAPIC offset / 16 */
#define LAPIC_MMIO_SIZE 0x1000

/* Table "Local APIC Register Address Map" (xAPIC offsets). */
#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TASK_PRIORITY 0x080
#define LAPIC_EOI 0x0B0
#define LAPIC_SPURIOUS_VECTOR 0x0F0
#define LAPIC_ERROR_STATUS 0x280
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL_COUNT 0x380
#define LAPIC_TIMER_CURRENT_COUNT 0x390
#define LAPIC_TIMER_DIVIDE 0x3E0

#define LAPIC_SPURIOUS_SOFTWARE_ENABLE (1u << 8)
#define LAPIC_XAPIC_ID_SHIFT 24
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_ONE_SHOT (0u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define LAPIC_TIMER_DIVIDE_BY_16 0x3 /* Divide Configuration Register encoding */
#define LAPIC_TIMER_CALIBRATION_US 250
#define LAPIC_ERRORS_REPORTED 8

#define CPUID_FEATURES 1
#define CPUID_EDX_APIC (1u << 9)
#define CPUID_ECX_TSC_DEADLINE (1u << 24)

enum lapic_access { LAPIC_ABSENT, LAPIC_XAPIC_MMIO, LAPIC_X2APIC_MSR };
enum lapic_timer_mode { LAPIC_TIMER_NONE, LAPIC_TIMER_ONE_SHOT, LAPIC_TIMER_TSC_DEADLINE };

static enum lapic_access access_mode = LAPIC_ABSENT;
static volatile void *lapic_registers;
static enum lapic_timer_mode timer_mode = LAPIC_TIMER_NONE;
static uint64_t timer_hz;           /* one-shot count-down rate */
static uint64_t error_interrupts;

static uint32_t lapic_read(uint32_t offset)
{
	if (access_mode == LAPIC_X2APIC_MSR)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + offset / 16);
	return mmio_read32(lapic_registers, offset);
}

static void lapic_write(uint32_t offset, uint32_t value)
{
	if (access_mode == LAPIC_X2APIC_MSR)
		wrmsr(X2APIC_MSR_BASE + offset / 16, value);
	else
		mmio_write32(lapic_registers, offset, value);
}

void lapic_eoi(void)
{
	if (access_mode != LAPIC_ABSENT)
		lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	if (access_mode == LAPIC_ABSENT)
		return 0;
	uint32_t id = lapic_read(LAPIC_ID);
	return access_mode == LAPIC_X2APIC_MSR ? id : id >> LAPIC_XAPIC_ID_SHIFT;
}

/* "Error Handling": the ESR is latched by a write, then read. */
static void lapic_error_interrupt(struct interrupt_frame *frame, void *context)
{
	lapic_write(LAPIC_ERROR_STATUS, 0);
	uint32_t status = lapic_read(LAPIC_ERROR_STATUS);
	if (++error_interrupts <= LAPIC_ERRORS_REPORTED)
		pr_warn("lapic: error interrupt, ESR 0x%x (%llu so far)\n", status,
			(unsigned long long)error_interrupts);
}

/* "Spurious Interrupt": counted by the dispatcher, and never acknowledged. */
static void lapic_spurious_interrupt(struct interrupt_frame *frame, void *context) {}

/* The MSR says where the hardware decodes the registers; the MADT should agree. */
static uint64_t lapic_physical_base(uint64_t apic_base_msr)
{
	uint64_t msr_base = apic_base_msr & APIC_BASE_ADDRESS_MASK;
	uint64_t madt_base = acpi_get()->lapic_address;
	if (madt_base && madt_base != msr_base)
		pr_warn("lapic: MADT says 0x%llx but IA32_APIC_BASE says 0x%llx; using the MSR\n",
			(unsigned long long)madt_base, (unsigned long long)msr_base);
	return msr_base;
}

static bool lapic_map(void)
{
	uint32_t eax, ebx, ecx, edx;
	cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	if (!(edx & CPUID_EDX_APIC)) {
		pr_err("lapic: CPU has no local APIC: no interrupts or timers\n");
		return false;
	}
	uint64_t apic_base_msr = rdmsr(IA32_APIC_BASE);
	if (!(apic_base_msr & APIC_BASE_GLOBAL_ENABLE))
		wrmsr(IA32_APIC_BASE, apic_base_msr |= APIC_BASE_GLOBAL_ENABLE);
	if (apic_base_msr & APIC_BASE_X2APIC_MODE) {
		access_mode = LAPIC_X2APIC_MSR;
		return true;
	}
	lapic_registers = ioremap(lapic_physical_base(apic_base_msr), LAPIC_MMIO_SIZE);
	if (lapic_registers == NULL) {
		pr_err("lapic: cannot map the registers\n");
		return false;
	}
	access_mode = LAPIC_XAPIC_MMIO;
	return true;
}

void lapic_init(void)
{
	if (!lapic_map())
		return;
	interrupt_vector_set(VECTOR_LAPIC_SPURIOUS, lapic_spurious_interrupt, NULL, "lapic spurious", false);
	interrupt_vector_set(VECTOR_LAPIC_ERROR, lapic_error_interrupt, NULL, "lapic error", true);
	/* The 8259 is masked and unused: its ExtINT path (LINT0) stays shut. */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_ERROR_STATUS, 0); /* clear errors left by the firmware */
	lapic_write(LAPIC_ERROR_STATUS, 0);
	lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
	lapic_write(LAPIC_TASK_PRIORITY, 0);
	lapic_write(LAPIC_SPURIOUS_VECTOR, LAPIC_SPURIOUS_SOFTWARE_ENABLE | VECTOR_LAPIC_SPURIOUS);
	lapic_eoi(); /* drop anything the firmware left in service */
	uint32_t version = lapic_read(LAPIC_VERSION);
	pr_info("lapic: id %u, version 0x%x, %s\n", lapic_id(), version & 0xFF,
		access_mode == LAPIC_X2APIC_MSR ? "x2APIC mode (set by firmware)" : "xAPIC mode");
}

/* Counts the divided timer down from its maximum for 0.5 ms of TSC: its
 * rate only has to be close, timer.c re-arms a timer that fires early. */
static uint64_t lapic_timer_calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONE_SHOT | VECTOR_LAPIC_TIMER);
	uint64_t window = clock_ns_to_tsc(LAPIC_TIMER_CALIBRATION_US * NSEC_PER_USEC);
	lapic_write(LAPIC_TIMER_INITIAL_COUNT, UINT32_MAX);
	uint64_t start = rdtsc();
	while (rdtsc() - start < window)
		cpu_pause();
	uint32_t remaining = lapic_read(LAPIC_TIMER_CURRENT_COUNT);
	uint64_t elapsed_tsc = rdtsc() - start;
	lapic_write(LAPIC_TIMER_INITIAL_COUNT, 0);
	if (remaining == 0 || remaining == UINT32_MAX)
		return 0;
	return mul_div_u64(UINT32_MAX - remaining, clock_tsc_hz(), elapsed_tsc);
}

bool lapic_timer_tsc_deadline_available(void)
{
	uint32_t eax, ebx, ecx, edx;
	cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	return ecx & CPUID_ECX_TSC_DEADLINE;
}

static bool tsc_deadline_wanted(void)
{
	const char *forced = cmdline_get("lapic.timer");
	return lapic_timer_tsc_deadline_available() && !(forced && strcmp(forced, "oneshot") == 0);
}

void lapic_timer_init(void)
{
	if (access_mode == LAPIC_ABSENT)
		return;
	if (tsc_deadline_wanted()) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VECTOR_LAPIC_TIMER);
		/* "TSC-Deadline Mode": the MMIO LVT write must be ordered before any
		 * WRMSR to IA32_TSC_DEADLINE, which MFENCE guarantees. */
		memory_barrier();
		timer_mode = LAPIC_TIMER_TSC_DEADLINE;
		return;
	}
	timer_hz = lapic_timer_calibrate();
	if (timer_hz == 0) {
		pr_err("lapic: timer does not count down: no timers\n");
		return;
	}
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONE_SHOT | VECTOR_LAPIC_TIMER);
	timer_mode = LAPIC_TIMER_ONE_SHOT;
}

uint64_t lapic_timer_frequency_hz(void)
{
	return timer_mode == LAPIC_TIMER_ONE_SHOT ? timer_hz : 0;
}

/* A zero delay still fires at once. A delay beyond the 32-bit count fires
 * early; the timer queue then re-arms. */
void lapic_timer_arm_ns(uint64_t delay_ns)
{
	if (timer_mode == LAPIC_TIMER_TSC_DEADLINE) {
		uint64_t now = rdtsc(), ticks = clock_ns_to_tsc(delay_ns);
		wrmsr(IA32_TSC_DEADLINE, ticks < UINT64_MAX - now ? now + ticks + 1 : UINT64_MAX);
	} else if (timer_mode == LAPIC_TIMER_ONE_SHOT) {
		/* +1: the division rounds down, and firing early would be wasted. */
		uint64_t count = mul_div_u64(delay_ns, timer_hz, NSEC_PER_SEC);
		lapic_write(LAPIC_TIMER_INITIAL_COUNT, count < UINT32_MAX ? (uint32_t)count + 1 : UINT32_MAX);
	}
}

void lapic_timer_disarm(void)
{
	if (timer_mode == LAPIC_TIMER_TSC_DEADLINE)
		wrmsr(IA32_TSC_DEADLINE, 0);
	else if (timer_mode == LAPIC_TIMER_ONE_SHOT)
		lapic_write(LAPIC_TIMER_INITIAL_COUNT, 0);
}

const char *lapic_timer_mode_name(void)
{
	switch (timer_mode) {
	case LAPIC_TIMER_TSC_DEADLINE: return "tsc-deadline";
	case LAPIC_TIMER_ONE_SHOT: return "lapic-oneshot";
	default: return "none";
	}
}
