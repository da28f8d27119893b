/* tc_parse.c - tc's rate, time and count formats (contract in net/sched/tc_parse.h). */
#include "net/sched/tc_parse.h"

#include <string.h>

#define FRACTION_DIGITS_MAX 9
#define TIME_MAX_NS (3600ull * 1000000000ull)

struct unit {
	const char *suffix;
	uint64_t scale;     /* of the result's unit */
};

/* rate units in bit/s (tc_util.c's suffixes, SI), time units in ns. */
static const struct unit rate_units[] = {
	{ "", 1 }, { "bit", 1 }, { "kbit", 1000ull }, { "mbit", 1000000ull }, { "gbit", 1000000000ull },
	{ "tbit", 1000000000000ull }, { NULL, 0 },
};
static const struct unit time_units[] = {
	{ "", 1000 }, { "us", 1000 }, { "usec", 1000 }, { "usecs", 1000 }, { "ms", 1000000 }, { "msec", 1000000 },
	{ "msecs", 1000000 }, { "s", 1000000000 }, { "sec", 1000000000 }, { "secs", 1000000000 }, { NULL, 0 },
};

/* "<whole>[.<fraction>]<suffix>" times the suffix's scale, at most limit. */
static int parse_scaled(const char *text, const struct unit *units, uint64_t limit, uint64_t *out)
{
	uint64_t whole = 0, fraction = 0, fraction_scale = 1;
	const char *cursor = text;
	for (; *cursor >= '0' && *cursor <= '9'; cursor++) {
		if (whole > limit)
			return -1;
		whole = whole * 10 + (uint64_t)(*cursor - '0');
	}
	if (cursor == text)
		return -1;
	if (*cursor == '.') {
		const char *digits = ++cursor;
		for (; *cursor >= '0' && *cursor <= '9'; cursor++)
			if (cursor - digits < FRACTION_DIGITS_MAX) {
				fraction = fraction * 10 + (uint64_t)(*cursor - '0');
				fraction_scale *= 10;
			}
		if (cursor == digits)
			return -1;
	}
	for (const struct unit *unit = units; unit->suffix; unit++) {
		if (strcasecmp(cursor, unit->suffix) != 0)
			continue;
		if (whole > limit / unit->scale)
			return -1;
		uint64_t value = whole * unit->scale + fraction * unit->scale / fraction_scale;
		if (value > limit)
			return -1;
		*out = value;
		return 0;
	}
	return -1;
}

int tc_parse_rate(const char *text, uint64_t *bits_per_second)
{
	uint64_t rate;
	if (parse_scaled(text, rate_units, TC_RATE_MAX, &rate) != 0 || rate == 0)
		return -1;
	*bits_per_second = rate;
	return 0;
}

int tc_parse_time(const char *text, uint64_t *nanoseconds)
{
	return parse_scaled(text, time_units, TIME_MAX_NS, nanoseconds);
}

int tc_parse_count(const char *text, uint32_t *count)
{
	uint64_t value = 0;
	const char *cursor = text;
	for (; *cursor >= '0' && *cursor <= '9'; cursor++) {
		value = value * 10 + (uint64_t)(*cursor - '0');
		if (value > UINT32_MAX)
			return -1;
	}
	if (cursor == text || *cursor)
		return -1;
	*count = (uint32_t)value;
	return 0;
}
