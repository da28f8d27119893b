/* host_time_shim.c - the fake clock and timer queue of the host tests
 * (contract in host_time_shim.h). */
#include "tests/host/host_time_shim.h"

#include <stddef.h>

#include "kernel/time/clock.h"
#include "kernel/time/timer.h"

uint64_t host_time_now_ns = 1000000000ull;
static struct timer *timers;

uint64_t clock_monotonic_ns(void) { return host_time_now_ns; }

void timer_setup(struct timer *timer, void (*callback)(struct timer *timer, void *context), void *context)
{
	*timer = (struct timer){ .callback = callback, .context = context };
}

void timer_cancel(struct timer *timer)
{
	for (struct timer **link = &timers; *link; link = &(*link)->next) {
		if (*link == timer) {
			*link = timer->next;
			break;
		}
	}
	timer->next = NULL;
	timer->armed = false;
}

void timer_arm(struct timer *timer, uint64_t deadline_ns)
{
	timer_cancel(timer);
	timer->deadline_ns = deadline_ns;
	struct timer **link = &timers;
	while (*link && (*link)->deadline_ns <= deadline_ns)
		link = &(*link)->next;
	timer->next = *link;
	*link = timer;
	timer->armed = true;
}

void host_time_advance(uint64_t nanoseconds)
{
	uint64_t end = host_time_now_ns + nanoseconds;
	while (timers && timers->deadline_ns <= end) {
		struct timer *timer = timers;
		if (timer->deadline_ns > host_time_now_ns)
			host_time_now_ns = timer->deadline_ns;
		timer_cancel(timer);
		timer->callback(timer, timer->context);
	}
	host_time_now_ns = end;
}
