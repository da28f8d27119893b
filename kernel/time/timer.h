/* timer.h - one-shot timers on the monotonic clock. A queue ordered by
 * deadline drives the LAPIC timer (TSC-deadline mode when the CPU has it, else
 * one-shot count-down) for the earliest deadline only. Callbacks run from
 * timer_run_expired(), called by the idle loop and the stack's poll loop, never
 * in interrupt context; the interrupt only wakes the CPU. */
#ifndef KEEL_TIMER_H
#define KEEL_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
	uint64_t deadline_ns;            /* clock_monotonic_ns() value */
	void (*callback)(struct timer *timer, void *context);
	void *context;
	struct timer *next;              /* queue link, owned by timer.c */
	bool armed;
};

/* Needs clock_init() and lapic_init(). */
void timer_init(void);
void timer_setup(struct timer *timer, void (*callback)(struct timer *timer, void *context), void *context);
/* (Re)arms timer for an absolute deadline; re-arming an armed timer moves it. */
void timer_arm(struct timer *timer, uint64_t deadline_ns);
void timer_cancel(struct timer *timer);
/* Runs every timer whose deadline has passed; returns how many ran. */
unsigned timer_run_expired(void);
/* Deadline of the earliest armed timer, or UINT64_MAX. */
uint64_t timer_next_deadline(void);
/* For idle loops: halts until the next interrupt unless a timer is already
 * due. Closes the race of a timer interrupt that lands between
 * timer_run_expired() and hlt (it would otherwise be slept through).
 * Returns with interrupts enabled. */
void timer_wait_for_interrupt(void);

#endif
