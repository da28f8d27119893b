/* rtc.h - wall-clock time: the CMOS real-time clock (MC146818), read once
 * at the first request and then advanced with the monotonic clock. Its
 * two-digit year is taken as 20xx. */
#ifndef KEEL_RTC_H
#define KEEL_RTC_H

#include <stdint.h>

/* Nanoseconds since 1970-01-01 00:00 UTC, or -1 when the CMOS clock holds
 * no valid date (warned about once). */
int64_t rtc_realtime_ns(void);

#endif
