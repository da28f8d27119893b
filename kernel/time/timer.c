/* timer.c - one-shot timers (kernel/time/timer.h). Armed timers sit in a singly
 * linked queue sorted by deadline (equal deadlines in arming order); the
 * LAPIC timer is programmed for the head only. Its interrupt only wakes the
 * CPU (and re-arms when it came early): callbacks run from timer_run_expired()
 * in normal context. The queue is touched with interrupts off, so any context
 * may arm or cancel. */
#include "kernel/time/timer.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/console/printk.h"
#include "kernel/time/clock.h"

#include <stddef.h>

static struct timer *queue_head;

/* Interrupts are off. */
static void hardware_program(void)
{
	if (queue_head == NULL) {
		lapic_timer_disarm();
		return;
	}
	uint64_t now = clock_monotonic_ns();
	lapic_timer_arm_ns(queue_head->deadline_ns > now ? queue_head->deadline_ns - now : 0);
}

/* Waking the CPU is the job: the idle loop then runs timer_run_expired(),
 * which re-arms after running what is due. Firing before the head is due
 * (LAPIC rate rounding, or a delay beyond the 32-bit count) re-arms here, so
 * an idle loop that sees nothing due can safely halt. */
static void timer_interrupt(struct interrupt_frame *frame, void *context)
{
	if (queue_head && queue_head->deadline_ns > clock_monotonic_ns())
		hardware_program();
}

/* Interrupts are off. Returns whether timer was the head. */
static bool queue_remove(struct timer *timer)
{
	for (struct timer **link = &queue_head; *link; link = &(*link)->next) {
		if (*link == timer) {
			*link = timer->next;
			timer->next = NULL;
			timer->armed = false;
			return link == &queue_head;
		}
	}
	return false;
}

/* Interrupts are off. Returns whether timer became the head. */
static bool queue_insert(struct timer *timer)
{
	struct timer **link = &queue_head;
	while (*link && (*link)->deadline_ns <= timer->deadline_ns)
		link = &(*link)->next;
	timer->next = *link;
	*link = timer;
	timer->armed = true;
	return link == &queue_head;
}

void timer_init(void)
{
	lapic_timer_init();
	interrupt_vector_set(VECTOR_LAPIC_TIMER, timer_interrupt, NULL, "lapic timer", true);
	uint64_t hz = lapic_timer_frequency_hz();
	const char *why = lapic_timer_tsc_deadline_available() ? "CPU has TSC-deadline" : "CPU lacks TSC-deadline";
	if (hz)
		pr_info("timer: %s mode (%s), LAPIC timer %llu.%03llu MHz (divide by 16, calibrated against the TSC)\n",
			lapic_timer_mode_name(), why, (unsigned long long)(hz / 1000000),
			(unsigned long long)(hz / 1000 % 1000));
	else
		pr_info("timer: %s mode (%s)\n", lapic_timer_mode_name(), why);
}

void timer_setup(struct timer *timer, void (*callback)(struct timer *timer, void *context), void *context)
{
	*timer = (struct timer){ .callback = callback, .context = context };
}

void timer_arm(struct timer *timer, uint64_t deadline_ns)
{
	uint64_t flags = interrupts_save();
	bool head_changed = timer->armed && queue_remove(timer);
	timer->deadline_ns = deadline_ns;
	head_changed |= queue_insert(timer);
	if (head_changed)
		hardware_program();
	interrupts_restore(flags);
}

void timer_cancel(struct timer *timer)
{
	uint64_t flags = interrupts_save();
	if (timer->armed && queue_remove(timer))
		hardware_program();
	interrupts_restore(flags);
}

uint64_t timer_next_deadline(void)
{
	uint64_t flags = interrupts_save();
	uint64_t deadline = queue_head ? queue_head->deadline_ns : UINT64_MAX;
	interrupts_restore(flags);
	return deadline;
}

/* Takes the head off the queue when it is due at `now`; NULL otherwise. */
static struct timer *queue_pop_expired(uint64_t now)
{
	uint64_t flags = interrupts_save();
	struct timer *timer = queue_head;
	if (timer && timer->deadline_ns <= now)
		queue_remove(timer);
	else
		timer = NULL;
	interrupts_restore(flags);
	return timer;
}

/* A callback may re-arm its own timer (periodic use); one for a deadline
 * already past runs again in this same pass. */
unsigned timer_run_expired(void)
{
	unsigned ran = 0;
	struct timer *timer;
	while ((timer = queue_pop_expired(clock_monotonic_ns())) != NULL) {
		timer->callback(timer, timer->context);
		ran++;
	}
	if (ran) {
		uint64_t flags = interrupts_save();
		hardware_program();
		interrupts_restore(flags);
	}
	return ran;
}

/* With interrupts off, "nothing due yet" stays true until an interrupt,
 * and sti;hlt takes that interrupt only once halted (kernel/arch/x86/cpu.h). */
void timer_wait_for_interrupt(void)
{
	interrupts_disable();
	if (timer_next_deadline() > clock_monotonic_ns())
		cpu_wait_for_interrupt();
	else
		interrupts_enable();
}
