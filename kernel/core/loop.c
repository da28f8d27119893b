/* loop.c - the kernel's run loop (contract in kernel/core/loop.h). */
#include "kernel/core/loop.h"

#include <stddef.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"

/* The short sleep (work sources in poll mode). A 256-entry ring of
 * minimum-size frames arriving at 1 Gbit/s line rate (672 ns each) fills in
 * 172 us: waking every 50 us can never let it overflow (a busy poll re-polls
 * at once without sleeping), while costing only 20000 wake-ups a second when
 * idle and adding at most 50 us to a packet's latency. */
#define SHORT_SLEEP_NS (50 * NSEC_PER_USEC)

static struct loop_work *work_sources;
static struct timer short_sleep_timer;
static struct timer deadline_timer;
static bool loop_timers_ready;

void kernel_loop_register(struct loop_work *work)
{
	work->next = work_sources;
	work_sources = work;
}

static bool short_sleep_wanted(void)
{
	for (struct loop_work *work = work_sources; work; work = work->next)
		if (work->wants_short_sleep())
			return true;
	return false;
}

static bool work_pending(void)
{
	for (struct loop_work *work = work_sources; work; work = work->next)
		if (work->work_pending())
			return true;
	return timer_next_deadline() <= clock_monotonic_ns();
}

/* With interrupts off, nothing can schedule work behind our back; sti;hlt
 * then sleeps until the next interrupt (device or timer) without missing one
 * that arrives between the check and the hlt (kernel/arch/x86/cpu.h). */
static void idle(void)
{
	if (short_sleep_wanted())
		timer_arm(&short_sleep_timer, clock_monotonic_ns() + SHORT_SLEEP_NS);
	interrupts_disable();
	if (work_pending())
		interrupts_enable();
	else
		cpu_wait_for_interrupt();
}

/* Both timers only wake the CPU: the work is done by whoever waits. */
static void wake_only(struct timer *timer, void *context)
{
}

static void loop_timers_setup(void)
{
	if (loop_timers_ready)
		return;
	timer_setup(&short_sleep_timer, wake_only, NULL);
	timer_setup(&deadline_timer, wake_only, NULL);
	loop_timers_ready = true;
}

/* The work sources first (devices), then timers (TCP's retransmissions, the
 * stats printer). */
static unsigned loop_step(void)
{
	unsigned done = 0;
	for (struct loop_work *work = work_sources; work; work = work->next)
		done += work->run();
	return done + timer_run_expired();
}

void kernel_loop_wait_once(uint64_t deadline_ns)
{
	loop_timers_setup();
	if (loop_step() != 0)
		return;
	if (deadline_ns != 0 && deadline_ns <= clock_monotonic_ns())
		return;
	if (deadline_ns != 0)
		timer_arm(&deadline_timer, deadline_ns);
	idle();
	timer_cancel(&deadline_timer);
	loop_step();
}

void kernel_loop_run(void)
{
	loop_timers_setup();
	for (;;) {
		if (loop_step() == 0)
			idle();
	}
}
