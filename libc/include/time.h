/* time.h - the two clocks apps need: CLOCK_MONOTONIC (the kernel's
 * monotonic clock, for timeouts) and CLOCK_REALTIME / time() (seconds since
 * 1970 UTC from the machine's real-time clock, read once at first use;
 * (time_t)-1 with errno = ENOSYS where the machine has none). */
#ifndef KEEL_TIME_H
#define KEEL_TIME_H

#include <sys/types.h>

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

int clock_gettime(clockid_t clock, struct timespec *now);
time_t time(time_t *now);

#endif
