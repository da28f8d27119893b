/* sys/time.h - struct timeval, the type of SO_RCVTIMEO/SO_SNDTIMEO. */
#ifndef KEEL_SYS_TIME_H
#define KEEL_SYS_TIME_H

#include <sys/types.h>

struct timeval {
	time_t tv_sec;
	suseconds_t tv_usec;
};

#endif
