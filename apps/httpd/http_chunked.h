/* http_chunked.h - reading and discarding a chunked request body (RFC
 * 9112 7.1), whatever way its bytes are split between reads.
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *
 * The decoder keeps its state between calls and never buffers: chunk sizes
 * are hexadecimal (leading zeros allowed), chunk extensions are checked for
 * stray control characters and ignored (7.1.1), the trailer section is read
 * and discarded (7.1.2, each field line checked as a header's); lines may
 * end with CRLF or a bare LF, as the head's. Limits: the decoded body
 * (the chunk data) may hold max_body bytes (0: no limit, as nginx's
 * client_max_body_size 0), a size or extension line
 * HTTP_CHUNK_LINE_MAX bytes, a trailer field line HTTP_FIELD_LINE_MAX
 * bytes and the trailer section HTTP_HEADER_SECTION_MAX bytes. */
#ifndef HTTPD_HTTP_CHUNKED_H
#define HTTPD_HTTP_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_CHUNK_LINE_MAX 4096

enum http_chunked_state {
	CHUNK_SIZE,         /* hex digits of chunk-size */
	CHUNK_SIZE_END,     /* BWS after the size, then ";" or the line end */
	CHUNK_EXTENSION,    /* chunk-ext, up to the line end */
	CHUNK_DATA,         /* data bytes still to come */
	CHUNK_DATA_CR,      /* the CRLF after chunk-data */
	CHUNK_DATA_LF,
	CHUNK_TRAILER_NAME, /* a trailer field's name, or the final empty line */
	CHUNK_TRAILER_VALUE,
	CHUNK_LINE_LF,      /* a CR was seen: only LF may follow */
	CHUNK_DONE,
};

struct http_chunked {
	enum http_chunked_state state;
	enum http_chunked_state after_line;  /* where CHUNK_LINE_LF goes next */
	uint64_t max_body;
	uint64_t chunk_size;                 /* of the current chunk; then data bytes left */
	uint64_t body_bytes;                 /* chunk data so far */
	unsigned size_digits;
	size_t line_bytes;                   /* of the current size, extension or trailer line */
	size_t trailer_bytes;
};

enum http_chunked_result {
	HTTP_CHUNKED_MORE,      /* all input consumed, the body goes on */
	HTTP_CHUNKED_DONE,      /* the body ended; *consumed bytes were its last */
	HTTP_CHUNKED_INVALID,   /* malformed: 400, and the connection cannot go on */
	HTTP_CHUNKED_TOO_LARGE, /* more than max_body bytes: 413, then close */
};

void http_chunked_start(struct http_chunked *decoder, uint64_t max_body);
/* Consumes up to length bytes of the body; *consumed says how many (all
 * of them unless the body ended or failed). */
enum http_chunked_result http_chunked_consume(struct http_chunked *decoder, const char *data, size_t length,
					      size_t *consumed);

#endif
