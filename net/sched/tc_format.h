/* tc_format.h - the number formats of iproute2's tc output, written with
 * integers only (the kernel has no floating point): sizes as sprint_size
 * ("32Mb", "1120Kb", "1514b") and times as sprint_time ("5ms", "100ms",
 * "1.5s", "800us"), so that `tc qdisc show` reads as it does on Linux; and
 * an appending writer for the lines built from them. */
#ifndef KEEL_NET_SCHED_TC_FORMAT_H
#define KEEL_NET_SCHED_TC_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define TC_NUMBER_LENGTH 32

/* Bytes: whole MiB as "<n>Mb" when within 1 KiB of one, whole KiB as
 * "<n>Kb" when within 16 bytes of one, else "<n>b" (tc_util.c sprint_size). */
void tc_format_size(uint64_t bytes, char out[TC_NUMBER_LENGTH]);
/* Nanoseconds, printed as tc prints microseconds: "%gs" from a second,
 * "%gms" from a millisecond, else "<n>us" (tc_util.c sprint_time). */
void tc_format_time(uint64_t nanoseconds, char out[TC_NUMBER_LENGTH]);

/* Bits per second as tc's print_rate: divided by 1000 while the value is
 * whole in the next unit or at least 1000000 of this one ("20Mbit",
 * "1500Kbit", "1Gbit", "999bit"). */
void tc_format_rate(uint64_t bits_per_second, char out[TC_NUMBER_LENGTH]);

/* Appends to a fixed buffer, always terminated; output past the end is cut. */
struct tc_text {
	char *out;
	size_t size;
	size_t length;
};
void tc_text_start(struct tc_text *text, char *out, size_t size);
void tc_text_add(struct tc_text *text, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
