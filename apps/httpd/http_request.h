/* http_request.h - parsing an HTTP/1.1 request head (RFC 9112 2-5) from
 * the bytes received so far, and the request target's path.
 *
 * The parser keeps no state between calls: it is given everything buffered
 * and either needs more, or returns the parsed head (pointers into the
 * buffer) and its length, or the status of the error response to send.
 * Limits, as nginx's `large_client_header_buffers 4 8k`: a request line of
 * HTTP_REQUEST_LINE_MAX bytes (else 414), a field line of
 * HTTP_FIELD_LINE_MAX bytes (else 400), a header section of
 * HTTP_HEADER_SECTION_MAX bytes (else 400), line endings not counted in the
 * line limits; and HTTP_HEADER_COUNT_MAX fields (else 431).
 *
 * The body's framing (RFC 9112 6) is decided here, the body itself read by
 * request_body.c: Transfer-Encoding with
 * Content-Length, differing Content-Length values or chunked applied twice
 * are a 400 (request smuggling, 6.1 and 6.3), any transfer coding but a
 * final chunked a 501, Transfer-Encoding in an HTTP/1.0 request a 400
 * (6.1: its framing is faulty); every error closes the connection. */
#ifndef HTTPD_HTTP_REQUEST_H
#define HTTPD_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_REQUEST_LINE_MAX 8192
#define HTTP_FIELD_LINE_MAX 8192
#define HTTP_HEADER_SECTION_MAX 32768
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

enum http_body_framing {
	HTTP_BODY_NONE,
	HTTP_BODY_LENGTH,             /* Content-Length bytes */
	HTTP_BODY_CHUNKED,            /* Transfer-Encoding: chunked (http_chunked.h) */
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
	enum http_body_framing body;
	uint64_t content_length;      /* with HTTP_BODY_LENGTH: body bytes after the head */
	size_t head_length;           /* bytes the head took, blank lines before it included */
};

enum http_parse_result {
	HTTP_PARSE_INCOMPLETE,
	HTTP_PARSE_DONE,
	HTTP_PARSE_ERROR,             /* *status says which: 400, 414, 431, 501, 505; then close */
};

enum http_parse_result http_request_parse(const char *buffer, size_t length, struct http_request *request,
					  int *status);

/* Decodes the request target into a normalised absolute path: origin-form
 * or absolute-form (RFC 9112 3.2), query dropped, percent-decoding, "." and
 * ".." segments resolved (RFC 3986 5.2.4) and repeated slashes merged.
 * Returns 0, or 400 for a malformed target, an encoded NUL, or ".." above
 * the root. path_size must exceed the target's length. */
int http_target_to_path(struct http_text target, char *path, size_t path_size);

/* tchar of RFC 9110 5.6.2: the characters of a token (method, field name). */
bool http_is_token_char(char c);
/* The value of a hexadecimal digit (either case), or -1: percent-encoding
 * (RFC 3986 2.1) and chunk sizes (RFC 9112 7.1). */
int http_hex_digit(char c);

/* Whether a comma-separated field value (Connection, If-None-Match...)
 * lists token, compared case-insensitively (or exactly when exact). */
bool http_list_contains(struct http_text list, const char *token, bool exact);

#endif
