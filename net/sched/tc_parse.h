/* tc_parse.h - the number formats tc reads (iproute2 tc_util.c get_rate,
 * get_time, get_unsigned), with integers only: what keel.shape=,
 * keel.qdisc= options and the console's `tc qdisc replace` accept.
 *
 *   rate: <n>[.<digits>] with bit|kbit|mbit|gbit|tbit (x1000 each, any
 *         case; a bare number is bit/s, as tc), more than 0 and at most
 *         TC_RATE_MAX bit/s;
 *   time: <n>[.<digits>] with s|sec|secs|ms|msec|msecs|us|usec|usecs (a
 *         bare number is microseconds, as tc), at most an hour;
 *   count: a decimal unsigned 32-bit number.
 * Each returns 0, or -1 for anything else (nothing written then). */
#ifndef KEEL_NET_SCHED_TC_PARSE_H
#define KEEL_NET_SCHED_TC_PARSE_H

#include <stdint.h>

#define TC_RATE_MAX 1000000000000ull   /* 1 Tbit/s */

int tc_parse_rate(const char *text, uint64_t *bits_per_second);
int tc_parse_time(const char *text, uint64_t *nanoseconds);
int tc_parse_count(const char *text, uint32_t *count);

#endif
