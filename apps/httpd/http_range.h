/* http_range.h - the Range request header for bytes (RFC 9110 14.1-14.2).
 *
 * Only a single range is served as 206: a request for several is answered
 * with the whole file (200), which RFC 9110 14.2 allows ("a server MAY
 * ignore the Range header field"), as is a Range that does not parse or
 * uses another unit. */
#ifndef HTTPD_HTTP_RANGE_H
#define HTTPD_HTTP_RANGE_H

#include <stddef.h>
#include <stdint.h>

enum http_range_result {
	HTTP_RANGE_IGNORED,        /* serve the whole representation (200) */
	HTTP_RANGE_SATISFIABLE,    /* serve bytes first..last inclusive (206) */
	HTTP_RANGE_UNSATISFIABLE,  /* 416 with Content-Range: bytes * / size */
};

enum http_range_result http_range_parse(const char *value, size_t length, uint64_t size, uint64_t *first,
					uint64_t *last);

#endif
