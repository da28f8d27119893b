/* clock_gettime, time - the monotonic and real-time clocks (see time.h). */
#include <errno.h>
#include <keel_libc_hooks.h>
#include <time.h>

#define NSEC_PER_SECOND 1000000000

int clock_gettime(clockid_t clock, struct timespec *now)
{
	int64_t nanoseconds;
	if (clock == CLOCK_MONOTONIC) {
		nanoseconds = (int64_t)keel_monotonic_ns();
	} else if (clock == CLOCK_REALTIME) {
		nanoseconds = keel_realtime_ns();
		if (nanoseconds < 0) {
			errno = ENOSYS;
			return -1;
		}
	} else {
		errno = EINVAL;
		return -1;
	}
	now->tv_sec = (time_t)(nanoseconds / NSEC_PER_SECOND);
	now->tv_nsec = (long)(nanoseconds % NSEC_PER_SECOND);
	return 0;
}

time_t time(time_t *now)
{
	struct timespec reading;
	time_t seconds = clock_gettime(CLOCK_REALTIME, &reading) == 0 ? reading.tv_sec : (time_t)-1;
	if (now)
		*now = seconds;
	return seconds;
}
