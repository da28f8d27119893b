/* selftest.c - self tests "timer" (the queue and the LAPIC timer wake-up,
 * plus the clock against its calibration reference) and "clock" (monotonic
 * reads, delays). They run after init, with interrupts enabled. */
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"
#include "kernel/core/kmain.h"
#include "kernel/core/selftest.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"

#include <stddef.h>
#include <stdint.h>

#define TIMER_TEST_COUNT 6
#define TIMER_TEST_GIVE_UP_NS (1000 * NSEC_PER_MSEC)
/* Generous for an emulator sharing the host with other work, yet far below
 * what a missed interrupt would cost (the give-up second). */
#define TIMER_TEST_MAX_LATENESS_NS (10 * NSEC_PER_MSEC)
#define TIMER_TEST_ROUNDS 3
#define TIMER_TEST_MOVED_FROM_NS (500 * NSEC_PER_MSEC)
#define TIMER_TEST_CANCELLED_NS (3 * NSEC_PER_MSEC)
#define FAR_TEST_FAR_NS (3600 * NSEC_PER_SEC)
#define FAR_TEST_NEAR_NS (3 * NSEC_PER_MSEC)
#define FAR_TEST_MAX_INTERRUPTS 2
#define DRIFT_WINDOW_US 10000
#define DRIFT_LIMIT_PERCENT 2
#define CLOCK_TEST_READS 20000
#define CLOCK_TEST_DELAY_US 500
#define CLOCK_TEST_DELAY_SLACK_NS (5 * NSEC_PER_MSEC)

/* Deliberately out of order; the last one is first armed far out, then moved. */
static const uint64_t timer_test_offsets_us[TIMER_TEST_COUNT] = { 7000, 2000, 9500, 4000, 1000, 5500 };

static struct timer test_timers[TIMER_TEST_COUNT];
static struct timer cancelled_timer;
static uint64_t deadlines_ns[TIMER_TEST_COUNT];
static uint64_t fired_at_ns[TIMER_TEST_COUNT];
static unsigned fire_order[TIMER_TEST_COUNT];
static unsigned fired_count;
static bool cancelled_timer_fired;

static void test_timer_fired(struct timer *timer, void *context)
{
	unsigned index = (unsigned)(uintptr_t)context;
	fired_at_ns[index] = clock_monotonic_ns();
	if (fired_count < TIMER_TEST_COUNT)
		fire_order[fired_count] = index;
	fired_count++;
}

static void cancelled_timer_callback(struct timer *timer, void *context)
{
	cancelled_timer_fired = true;
}

static void timer_test_arm_all(uint64_t start)
{
	fired_count = 0;
	cancelled_timer_fired = false;
	for (unsigned i = 0; i < TIMER_TEST_COUNT; i++) {
		deadlines_ns[i] = start + timer_test_offsets_us[i] * NSEC_PER_USEC;
		timer_setup(&test_timers[i], test_timer_fired, (void *)(uintptr_t)i);
	}
	timer_arm(&test_timers[TIMER_TEST_COUNT - 1], start + TIMER_TEST_MOVED_FROM_NS);
	for (unsigned i = 0; i < TIMER_TEST_COUNT; i++)
		timer_arm(&test_timers[i], deadlines_ns[i]);
	timer_setup(&cancelled_timer, cancelled_timer_callback, NULL);
	timer_arm(&cancelled_timer, start + TIMER_TEST_CANCELLED_NS);
	timer_cancel(&cancelled_timer);
}

/* Fired in deadline order, none early; returns the worst lateness. */
static const char *timer_test_check_order(uint64_t *max_lateness_ns)
{
	*max_lateness_ns = 0;
	for (unsigned k = 0; k < TIMER_TEST_COUNT; k++) {
		unsigned index = fire_order[k];
		if (k > 0 && deadlines_ns[index] < deadlines_ns[fire_order[k - 1]])
			return "timers fired out of deadline order";
		if (fired_at_ns[index] < deadlines_ns[index])
			return "a timer fired before its deadline";
		uint64_t lateness = fired_at_ns[index] - deadlines_ns[index];
		if (lateness > *max_lateness_ns)
			*max_lateness_ns = lateness;
	}
	return NULL;
}

/* One round: arms the timers, waits for them, checks order and the
 * LAPIC wake-ups; *max_lateness_ns is the round's worst lateness. */
static const char *timer_test_round(uint64_t *max_lateness_ns, uint64_t *wakeups)
{
	uint64_t interrupts_before = interrupt_vector_count(VECTOR_LAPIC_TIMER);
	uint64_t start = clock_monotonic_ns();
	timer_test_arm_all(start);
	while (fired_count < TIMER_TEST_COUNT && clock_monotonic_ns() - start < TIMER_TEST_GIVE_UP_NS) {
		timer_wait_for_interrupt();
		timer_run_expired();
	}
	for (unsigned i = 0; i < TIMER_TEST_COUNT; i++)
		timer_cancel(&test_timers[i]);
	if (fired_count != TIMER_TEST_COUNT)
		return "not every timer fired within 1 s";
	if (cancelled_timer_fired)
		return "a cancelled timer fired";
	*wakeups = interrupt_vector_count(VECTOR_LAPIC_TIMER) - interrupts_before;
	if (*wakeups == 0)
		return "no LAPIC timer interrupt woke the CPU";
	return timer_test_check_order(max_lateness_ns);
}

/* Lateness is judged on the best of a few rounds: an emulator's vCPU
 * descheduled by a busy host makes one round late now and then, while a
 * lost or slow wake-up makes every round late. */
static const char *timer_test_queue(void)
{
	if (lapic_timer_mode_name()[0] == 'n')
		return "no LAPIC timer";
	uint64_t best_lateness_ns = UINT64_MAX, wakeups = 0;
	for (unsigned round = 0; round < TIMER_TEST_ROUNDS && best_lateness_ns > TIMER_TEST_MAX_LATENESS_NS; round++) {
		uint64_t lateness_ns;
		const char *failure = timer_test_round(&lateness_ns, &wakeups);
		if (failure)
			return failure;
		if (lateness_ns < best_lateness_ns)
			best_lateness_ns = lateness_ns;
	}
	pr_info("selftest: timer: %u timers in deadline order, max lateness %llu us, %llu %s interrupts\n",
		TIMER_TEST_COUNT, (unsigned long long)(best_lateness_ns / NSEC_PER_USEC), (unsigned long long)wakeups,
		lapic_timer_mode_name());
	if (best_lateness_ns > TIMER_TEST_MAX_LATENESS_NS)
		return "a timer fired more than 10 ms late in every round";
	return NULL;
}

static void far_test_callback(struct timer *timer, void *context)
{
	*(bool *)context = true;
}

/* Deadlines far beyond the hardware's reach (a 32-bit count, or a TSC
 * deadline near overflow) must neither fire nor make the timer interrupt
 * storm while a near timer is waited for. */
static const char *timer_test_far_deadlines(void)
{
	static struct timer far_timer, farthest_timer, near_timer;
	bool far_fired = false, near_fired = false;
	uint64_t start = clock_monotonic_ns();
	timer_setup(&far_timer, far_test_callback, &far_fired);
	timer_setup(&farthest_timer, far_test_callback, &far_fired);
	timer_setup(&near_timer, far_test_callback, &near_fired);
	timer_arm(&farthest_timer, UINT64_MAX - 1);
	timer_arm(&far_timer, start + FAR_TEST_FAR_NS);
	uint64_t interrupts_before = interrupt_vector_count(VECTOR_LAPIC_TIMER);
	timer_arm(&near_timer, start + FAR_TEST_NEAR_NS);
	while (!near_fired && clock_monotonic_ns() - start < TIMER_TEST_GIVE_UP_NS) {
		timer_wait_for_interrupt();
		timer_run_expired();
	}
	uint64_t interrupts = interrupt_vector_count(VECTOR_LAPIC_TIMER) - interrupts_before;
	timer_cancel(&far_timer);
	timer_cancel(&farthest_timer);
	if (!near_fired)
		return "a near timer did not fire while far ones were armed";
	if (far_fired)
		return "a timer hours away fired";
	if (interrupts > FAR_TEST_MAX_INTERRUPTS)
		return "far deadlines made the timer interrupt fire repeatedly";
	return NULL;
}

/* The calibrated TSC must keep agreeing with the reference it was measured
 * against; a wrong frequency shows as a rate difference. */
static const char *timer_test_drift(void)
{
	uint64_t reference_ns, monotonic_ns;
	if (!clock_compare_with_reference(DRIFT_WINDOW_US, &reference_ns, &monotonic_ns))
		return "no calibration reference to compare with";
	uint64_t difference = monotonic_ns > reference_ns ? monotonic_ns - reference_ns : reference_ns - monotonic_ns;
	uint64_t drift_ppm = mul_div_u64(difference, 1000000, reference_ns);
	pr_info("selftest: timer: clock vs %s over %llu us: %s%llu ppm\n", clock_calibration_source(),
		(unsigned long long)(reference_ns / NSEC_PER_USEC), monotonic_ns < reference_ns ? "-" : "+", (unsigned long long)drift_ppm);
	if (drift_ppm >= DRIFT_LIMIT_PERCENT * 10000)
		return "clock drifts 2% or more from its calibration reference";
	return NULL;
}

static const char *timer_selftest(void)
{
	const char *failure = timer_test_queue();
	if (failure == NULL)
		failure = timer_test_far_deadlines();
	return failure ? failure : timer_test_drift();
}
SELFTEST("timer", timer_selftest);

/* A delay returning early is a bug every time; one taking far too long is
 * judged on the best of a few rounds, like the timers' lateness above: a
 * descheduled vCPU stretches one round, a broken delay stretches them all. */
static const char *clock_test_delay(void)
{
	const uint64_t limit_ns = CLOCK_TEST_DELAY_US * NSEC_PER_USEC + CLOCK_TEST_DELAY_SLACK_NS;
	uint64_t best_waited_ns = UINT64_MAX;
	for (unsigned round = 0; round < TIMER_TEST_ROUNDS && best_waited_ns > limit_ns; round++) {
		uint64_t start = clock_monotonic_ns();
		clock_delay_us(CLOCK_TEST_DELAY_US);
		uint64_t waited = clock_monotonic_ns() - start;
		if (waited < CLOCK_TEST_DELAY_US * NSEC_PER_USEC)
			return "clock_delay_us returned early";
		if (waited < best_waited_ns)
			best_waited_ns = waited;
	}
	if (best_waited_ns > limit_ns)
		return "clock_delay_us took far too long in every round";
	return NULL;
}

static const char *clock_selftest(void)
{
	if (clock_tsc_hz() == 0 || clock_monotonic_ns() == 0)
		return "clock not running";
	const struct boot_info *info = kernel_boot_info();
	if (info && info->entry_tsc && clock_tsc_to_ns(info->entry_tsc) != 0)
		return "kernel entry is not time 0";
	uint64_t first = clock_monotonic_ns(), previous = first;
	for (unsigned i = 0; i < CLOCK_TEST_READS; i++) {
		uint64_t now = clock_monotonic_ns();
		if (now < previous)
			return "clock_monotonic_ns went backwards";
		previous = now;
	}
	if (previous == first)
		return "clock did not advance over many reads";
	return clock_test_delay();
}
SELFTEST("clock", clock_selftest);
