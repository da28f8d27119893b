/* http_range.c - parsing "bytes=first-last", "bytes=first-" and
 * "bytes=-suffix" lists, and the policy of http_range.h: dropping the
 * unsatisfiable, refusing too many or too much, merging what overlaps. */
#include "apps/httpd/http_range.h"

#include <stdbool.h>
#include <string.h>

struct range_spec {
	bool has_first, has_last;
	uint64_t first, last;  /* for a suffix range: last is its length */
};

/* 1*DIGIT, saturating: a position beyond any file is still a position. */
static bool parse_number(const char **at, const char *end, uint64_t *value)
{
	const char *start = *at;
	*value = 0;
	while (*at < end && **at >= '0' && **at <= '9') {
		uint64_t digit = (uint64_t)(**at - '0');
		*value = *value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : *value * 10 + digit;
		(*at)++;
	}
	return *at > start;
}

static void skip_whitespace(const char **at, const char *end)
{
	while (*at < end && (**at == ' ' || **at == '\t'))
		(*at)++;
}

/* int-range = first-pos "-" [ last-pos ] / suffix-range = "-" suffix-length */
static bool parse_spec(const char **at, const char *end, struct range_spec *spec)
{
	*spec = (struct range_spec){ 0 };
	spec->has_first = parse_number(at, end, &spec->first);
	if (*at == end || **at != '-')
		return false;
	(*at)++;
	spec->has_last = parse_number(at, end, &spec->last);
	if (!spec->has_first && !spec->has_last)
		return false;
	return !(spec->has_first && spec->has_last && spec->last < spec->first);
}

static enum http_range_result resolve(const struct range_spec *spec, uint64_t size, uint64_t *first, uint64_t *last)
{
	if (!spec->has_first) { /* the last N bytes */
		if (spec->last == 0 || size == 0)
			return HTTP_RANGE_UNSATISFIABLE;
		*first = size - (spec->last < size ? spec->last : size);
		*last = size - 1;
		return HTTP_RANGE_SATISFIABLE;
	}
	if (spec->first >= size)
		return HTTP_RANGE_UNSATISFIABLE;
	*first = spec->first;
	*last = spec->has_last && spec->last < size - 1 ? spec->last : size - 1;
	return HTTP_RANGE_SATISFIABLE;
}

/* Overlapping or adjacent: one range covers both without extra bytes. */
static bool touching(const struct http_byte_range *a, const struct http_byte_range *b)
{
	return a->first <= b->last + 1 && b->first <= a->last + 1;
}

/* Merges touching ranges into the earlier one until none touch; the
 * survivors keep the order of their first appearance. */
static void coalesce(struct http_range_set *set)
{
	bool merged = true;
	while (merged) {
		merged = false;
		for (unsigned i = 0; i < set->count && !merged; i++)
			for (unsigned j = i + 1; j < set->count && !merged; j++) {
				struct http_byte_range *kept = &set->ranges[i], *other = &set->ranges[j];
				if (!touching(kept, other))
					continue;
				kept->first = other->first < kept->first ? other->first : kept->first;
				kept->last = other->last > kept->last ? other->last : kept->last;
				memmove(other, other + 1, (set->count - j - 1) * sizeof(*other));
				set->count--;
				merged = true;
			}
	}
}

enum http_range_result http_range_parse(const char *value, size_t length, uint64_t size, struct http_range_set *set)
{
	const char *at = value, *end = value + length;
	if (length < 6 || strncasecmp(value, "bytes=", 6) != 0)
		return HTTP_RANGE_IGNORED;
	at += 6;
	set->count = 0;
	unsigned specs = 0;
	uint64_t requested = 0;    /* bytes of the satisfiable specs, overlaps counted twice */
	/* 1#range-spec: empty list elements are allowed (RFC 9110 5.6.1.2). */
	while (at < end) {
		skip_whitespace(&at, end);
		if (at < end && *at == ',') {
			at++;
			continue;
		}
		struct range_spec spec;
		if (!parse_spec(&at, end, &spec) || ++specs > HTTP_RANGES_MAX)
			return HTTP_RANGE_IGNORED;
		skip_whitespace(&at, end);
		if (at < end && *at != ',')
			return HTTP_RANGE_IGNORED;
		struct http_byte_range range;
		if (resolve(&spec, size, &range.first, &range.last) != HTTP_RANGE_SATISFIABLE)
			continue;
		requested += range.last - range.first + 1;
		set->ranges[set->count++] = range;
	}
	if (specs == 0)
		return HTTP_RANGE_IGNORED;
	if (set->count == 0)
		return HTTP_RANGE_UNSATISFIABLE;
	if (requested > size)
		return HTTP_RANGE_IGNORED;
	coalesce(set);
	return HTTP_RANGE_SATISFIABLE;
}
