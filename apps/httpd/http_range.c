/* http_range.c - parsing "bytes=first-last", "bytes=first-" and
 * "bytes=-suffix" (see http_range.h). */
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

enum http_range_result http_range_parse(const char *value, size_t length, uint64_t size, uint64_t *first,
					uint64_t *last)
{
	const char *at = value, *end = value + length;
	if (length < 6 || strncasecmp(value, "bytes=", 6) != 0)
		return HTTP_RANGE_IGNORED;
	at += 6;
	struct range_spec spec = { 0 };
	unsigned specs = 0;
	/* 1#range-spec: empty list elements are allowed (RFC 9110 5.6.1.2). */
	while (at < end) {
		skip_whitespace(&at, end);
		if (at < end && *at == ',') {
			at++;
			continue;
		}
		if (!parse_spec(&at, end, &spec))
			return HTTP_RANGE_IGNORED;
		specs++;
		skip_whitespace(&at, end);
		if (at < end && *at != ',')
			return HTTP_RANGE_IGNORED;
	}
	if (specs != 1)
		return HTTP_RANGE_IGNORED;
	return resolve(&spec, size, first, last);
}
