/* http_range.h - the Range request header for bytes (RFC 9110 14.1-14.2),
 * resolved against a representation of known size into the byte ranges to
 * send, in the order to send them.
 *
 * Policy. RFC 9110 14.2 lets a server ignore a Range header, coalesce
 * ranges, or reject ranges that look like an attack; what this server does,
 * and why (nginx and Apache agree on most of it):
 * - A header that does not parse, or names another unit: ignored, the whole
 *   file with 200 (14.2: "MAY ignore").
 * - Unsatisfiable range-specs (first-pos at or past the end, "-0") are
 *   dropped; when none is left, 416 with "Content-Range: bytes * / size".
 * - More than HTTP_RANGES_MAX range-specs: ignored, the whole file with 200
 *   (Apache's MaxRanges, nginx's max_ranges). The client still gets every
 *   byte it asked for in one answer, and nobody can make the server cut a
 *   file into thousands of parts.
 * - More bytes asked for in total than the file has (which only overlapping
 *   ranges can do, "0-,0-,0-..."): ignored, the whole file with 200, as
 *   nginx; RFC 9110 17.15 names such requests as amplification attacks, and
 *   the whole file is never more than what was asked for.
 * - Ranges that overlap or touch ("0-9,5-14", "0-9,10-19") are merged into
 *   one (14.2: "MAY coalesce"; Apache does since CVE-2011-3192). Ranges with
 *   a gap between them are not merged, however small the gap: a client
 *   asking for "0-9,20-29" gets exactly those two parts and no bytes it did
 *   not ask for.
 * - Parts keep the order in which their first range-spec appeared
 *   (14.2: "SHOULD send the parts in the same order").
 * - One range left: an ordinary 206 with Content-Range; several: 206
 *   multipart/byteranges (15.3.7.2 forbids multipart for a single range). */
#ifndef HTTPD_HTTP_RANGE_H
#define HTTPD_HTTP_RANGE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_RANGES_MAX 32

enum http_range_result {
	HTTP_RANGE_IGNORED,        /* serve the whole representation (200) */
	HTTP_RANGE_SATISFIABLE,    /* serve the ranges of the set (206) */
	HTTP_RANGE_UNSATISFIABLE,  /* 416 with Content-Range: bytes * / size */
};

struct http_byte_range {
	uint64_t first, last;      /* inclusive, both within the representation */
};

struct http_range_set {
	unsigned count;            /* at least 1 when SATISFIABLE */
	struct http_byte_range ranges[HTTP_RANGES_MAX];
};

enum http_range_result http_range_parse(const char *value, size_t length, uint64_t size, struct http_range_set *set);

#endif
