/* host_time_shim.h - kernel/time for host tests: a monotonic clock that
 * moves only when a test advances it, and kernel/time/timer.h's one-shot
 * timers kept in a list sorted by deadline (as kernel/time/timer.c keeps
 * them), run by host_time_advance. Time never moves on its own, so every
 * retransmission, expiry and rate limit is reproducible. */
#ifndef KEEL_TESTS_HOST_TIME_SHIM_H
#define KEEL_TESTS_HOST_TIME_SHIM_H

#include <stdint.h>

/* What clock_monotonic_ns() returns; starts at 1 s (0 means "never" to some callers). */
extern uint64_t host_time_now_ns;

/* Moves the clock on by nanoseconds, running every timer that falls due on
 * the way at its own deadline (a timer armed by a callback runs too if it
 * falls due before the end). */
void host_time_advance(uint64_t nanoseconds);

#endif
