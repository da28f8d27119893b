/* tc_format.c - iproute2's size and time formats (contract in net/sched/tc_format.h). */
#include "net/sched/tc_format.h"

#include <stdarg.h>
#include <stdio.h>

#define KIBI 1024ull
#define MEBI (1024ull * 1024ull)
#define G_SIGNIFICANT_DIGITS 6   /* printf's %g precision */

static uint64_t distance(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

static uint64_t rounded_quotient(uint64_t value, uint64_t unit) { return (value + unit / 2) / unit; }

void tc_format_size(uint64_t bytes, char out[TC_NUMBER_LENGTH])
{
	uint64_t mebibytes = rounded_quotient(bytes, MEBI), kibibytes = rounded_quotient(bytes, KIBI);
	if (bytes >= MEBI && distance(mebibytes * MEBI, bytes) < KIBI)
		snprintf(out, TC_NUMBER_LENGTH, "%lluMb", (unsigned long long)mebibytes);
	else if (bytes >= KIBI && distance(kibibytes * KIBI, bytes) < 16)
		snprintf(out, TC_NUMBER_LENGTH, "%lluKb", (unsigned long long)kibibytes);
	else
		snprintf(out, TC_NUMBER_LENGTH, "%llub", (unsigned long long)bytes);
}

void tc_format_rate(uint64_t bits_per_second, char out[TC_NUMBER_LENGTH])
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	unsigned unit = 0;
	/* print_rate: the last division may round down (%.0f of an integer). */
	for (; unit + 1 < sizeof(units) / sizeof(units[0]); unit++) {
		if (bits_per_second < 1000 || (bits_per_second % 1000 != 0 && bits_per_second < 1000000))
			break;
		bits_per_second /= 1000;
	}
	snprintf(out, TC_NUMBER_LENGTH, "%llu%sbit", (unsigned long long)bits_per_second, units[unit]);
}

static unsigned digit_count(uint64_t value)
{
	unsigned digits = 1;
	while (value >= 10) {
		value /= 10;
		digits++;
	}
	return digits;
}

/* value/unit as %g does: up to six significant digits, no trailing zeros. */
static void format_g(uint64_t value, uint64_t unit, const char *suffix, char out[TC_NUMBER_LENGTH])
{
	uint64_t whole = value / unit, fraction = value % unit;
	unsigned fraction_digits = digit_count(unit) - 1;
	unsigned room = G_SIGNIFICANT_DIGITS > digit_count(whole) ? G_SIGNIFICANT_DIGITS - digit_count(whole) : 0;
	while (fraction_digits > room || (fraction_digits && fraction % 10 == 0)) {
		fraction /= 10;
		fraction_digits--;
	}
	if (fraction_digits == 0)
		snprintf(out, TC_NUMBER_LENGTH, "%llu%s", (unsigned long long)whole, suffix);
	else
		snprintf(out, TC_NUMBER_LENGTH, "%llu.%0*llu%s", (unsigned long long)whole, (int)fraction_digits,
			 (unsigned long long)fraction, suffix);
}

void tc_format_time(uint64_t nanoseconds, char out[TC_NUMBER_LENGTH])
{
	uint64_t microseconds = nanoseconds / 1000;   /* what the kernel reports to tc */
	if (microseconds >= 1000000)
		format_g(microseconds, 1000000, "s", out);
	else if (microseconds >= 1000)
		format_g(microseconds, 1000, "ms", out);
	else
		snprintf(out, TC_NUMBER_LENGTH, "%lluus", (unsigned long long)microseconds);
}

void tc_text_start(struct tc_text *text, char *out, size_t size)
{
	text->out = out;
	text->size = size;
	text->length = 0;
	if (size)
		out[0] = '\0';
}

void tc_text_add(struct tc_text *text, const char *format, ...)
{
	if (text->length + 1 >= text->size)
		return;
	va_list arguments;
	va_start(arguments, format);
	int written = vsnprintf(text->out + text->length, text->size - text->length, format, arguments);
	va_end(arguments);
	if (written > 0)
		text->length += (size_t)written < text->size - text->length ? (size_t)written : text->size - text->length - 1;
}
