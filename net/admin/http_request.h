/* http_request.h - the management port's HTTP/1.1 request-head parser
 * (RFC 9112 sections 2-6, RFC 9110 for the fields it reads).
 *
 * Contract: admin_http_parse looks at the bytes buffered so far (the
 * whole head is re-parsed on every read: heads are at most a few KiB) and
 * answers "need more", "complete" (the request filled in, pointing into
 * the caller's bytes) or the HTTP status to refuse it with. It never
 * reads past length, allocates nothing and keeps no state, so it builds
 * on the host (tests/host, tests/fuzz) unchanged. What it accepts is
 * deliberately narrow: origin-form targets, HTTP/1.0 and 1.1, bodies only
 * with Content-Length (a Transfer-Encoding is 501), no obs-fold, one Host
 * field (required in HTTP/1.1). */
#ifndef KEEL_NET_ADMIN_HTTP_REQUEST_H
#define KEEL_NET_ADMIN_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum http_method {
	HTTP_METHOD_OTHER,   /* a valid token we do not serve (405 where the path exists) */
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_POST,
};

struct http_request {
	enum http_method method;
	const char *path;           /* origin-form path, before any '?' */
	size_t path_length;
	const char *query;          /* after the '?' (without it); length 0: none */
	size_t query_length;
	int version_minor;          /* HTTP/1.<minor>: 0 or 1 */
	bool keep_alive;            /* 1.1 unless "Connection: close"; 1.0 only with "keep-alive" */
	uint32_t content_length;    /* 0 without the field */
	bool has_content_length;
	const char *authorization;  /* the Authorization field's value (trimmed), length 0: absent */
	size_t authorization_length;
	size_t head_length;         /* bytes up to and including the empty line */
	unsigned host_fields;       /* Host fields seen: HTTP/1.1 needs exactly one (RFC 9112 3.2) */
};

#define HTTP_PARSE_INCOMPLETE 0
#define HTTP_PARSE_COMPLETE 1
#define HTTP_HEADER_FIELDS_MAX 32

/* Parses text[0, length) of a buffer of capacity bytes. Returns
 * HTTP_PARSE_COMPLETE (request filled), HTTP_PARSE_INCOMPLETE (more bytes
 * may complete it: length < capacity), or the status to refuse with:
 * 400 malformed (HTTP/1.1 without Host, or two), 413 Content-Length above body_max, 414 a request line
 * that does not fit, 431 a head that does not fit or more than
 * HTTP_HEADER_FIELDS_MAX fields, 501 Transfer-Encoding, 505 a version
 * other than 1.0/1.1. */
int admin_http_parse(const char *text, size_t length, size_t capacity, size_t body_max,
		       struct http_request *request);

#endif
