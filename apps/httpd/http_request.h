/* http_request.h - parsing an HTTP/1.1 request head (RFC 9112 2-5) from
 * the bytes received so far, and the request target's path.
 *
 * The parser keeps no state between calls: it is given everything buffered
 * and either needs more, or returns the parsed head (pointers into the
 * buffer) and its length, or the status of the error response to send.
 * Limits: request line HTTP_REQUEST_LINE_MAX bytes (else 414), header
 * section HTTP_HEADER_SECTION_MAX bytes and HTTP_HEADER_COUNT_MAX fields
 * (else 431). */
#ifndef HTTPD_HTTP_REQUEST_H
#define HTTPD_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_REQUEST_LINE_MAX 8192
#define HTTP_HEADER_SECTION_MAX 16384
#define HTTP_HEADER_COUNT_MAX 100
/* Blank lines tolerated before a request line (RFC 9112 2.2 asks for at least one). */
#define HTTP_LEADING_BLANK_LINES_MAX 8
/* A buffer this large always holds enough to decide. */
#define HTTP_REQUEST_HEAD_MAX (HTTP_REQUEST_LINE_MAX + HTTP_HEADER_SECTION_MAX + 2 * HTTP_LEADING_BLANK_LINES_MAX + 8)

enum http_method {
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_OTHER,    /* a method of RFC 9110 9.3 (POST, PUT...) we do not allow: 405 */
	HTTP_METHOD_UNKNOWN,  /* any other token: 501 */
};

/* A field value: points into the receive buffer, OWS trimmed. */
struct http_text {
	const char *text;
	size_t length;
};

struct http_request {
	enum http_method method;
	int minor_version;            /* HTTP/1.<minor>; 1.2+ is treated as 1.1 */
	struct http_text target;      /* request-target as sent */
	struct http_text host;
	struct http_text if_none_match, if_modified_since, range, if_range;
	bool keep_alive;              /* per version and Connection */
	uint64_t content_length;      /* body bytes that follow the head (skipped) */
	size_t head_length;           /* bytes the head took, blank lines before it included */
};

enum http_parse_result {
	HTTP_PARSE_INCOMPLETE,
	HTTP_PARSE_DONE,
	HTTP_PARSE_ERROR,             /* *status says which: 400, 414, 431, 501, 505 */
};

enum http_parse_result http_request_parse(const char *buffer, size_t length, struct http_request *request,
					  int *status);

/* Decodes the request target into a normalised absolute path: origin-form
 * or absolute-form (RFC 9112 3.2), query dropped, percent-decoding, "." and
 * ".." segments resolved (RFC 3986 5.2.4) and repeated slashes merged.
 * Returns 0, or 400 for a malformed target, an encoded NUL, or ".." above
 * the root. path_size must exceed the target's length. */
int http_target_to_path(struct http_text target, char *path, size_t path_size);

/* Whether a comma-separated field value (Connection, If-None-Match...)
 * lists token, compared case-insensitively (or exactly when exact). */
bool http_list_contains(struct http_text list, const char *token, bool exact);

#endif
