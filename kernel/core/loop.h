/* loop.h - the kernel's run loop: what the CPU does whenever the app is not
 * computing. One step runs every registered work source (the network stack
 * registers its device polls in net_init), then the expired timers; a step
 * that did nothing halts the CPU until the next interrupt. Interrupt
 * handlers only wake the CPU and schedule work: the work itself always runs
 * here, never in interrupt context.
 *
 * The loop runs forever behind an image without an app (kernel_loop_run),
 * and one step at a time for an app blocked in a call (kernel_loop_wait_once,
 * through the socket layer's net_wait_once). */
#ifndef KEEL_LOOP_H
#define KEEL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

/* A source of work for the loop, registered once and never removed; the
 * registrant owns the storage. */
struct loop_work {
	const char *name;
	/* Does what is pending; returns how much was done (0: nothing). */
	unsigned (*run)(void);
	/* Whether work may become due without an interrupt to say so (a
	 * device in poll mode, frames waiting for ring room): the loop then
	 * sleeps only briefly instead of until the next interrupt. */
	bool (*wants_short_sleep)(void);
	/* Called with interrupts off: whether an interrupt already scheduled
	 * work, so that halting now would sleep through it. */
	bool (*work_pending)(void);
	struct loop_work *next; /* the loop's list */
};

void kernel_loop_register(struct loop_work *work);
/* One step for a blocked caller: run the work and the timers, and if there
 * was nothing to do, sleep until an interrupt or deadline_ns (0: no
 * deadline; a deadline already passed: do not sleep). */
void kernel_loop_wait_once(uint64_t deadline_ns);
/* The idle loop of an image without an app. Never returns. */
__attribute__((noreturn)) void kernel_loop_run(void);

#endif
