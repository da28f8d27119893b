/* request_body.h - the bodies of requests: httpd serves files and has no
 * use for a body, but reads and discards it so that the requests behind
 * it on the connection are framed (RFC 9112 6.3, 9.3) and served.
 *
 * Content-Length bodies are skipped as they arrive, once the response is
 * out. A chunked body is decoded (http_chunked.h) as far as it is already
 * buffered before the request is answered, so that a malformed one gets a
 * 400 and one over the limit a 413 instead of the response, as nginx's
 * discarding does; what arrives after the response is decoded as it comes,
 * and a failure there can only close the connection. A Content-Length
 * over the limit is a 413 before anything is read. */
#ifndef HTTPD_REQUEST_BODY_H
#define HTTPD_REQUEST_BODY_H

#include <stdbool.h>
#include <stdint.h>

#include "apps/httpd/connection.h"
#include "apps/httpd/http_request.h"

/* After the head was consumed: 0 to answer the request, or the status of
 * the error to answer instead (400, 413; the connection then closes).
 * max_body is the largest body in bytes, 0 for no limit. */
int request_body_start(struct connection *connection, const struct http_request *request, uint64_t max_body);

enum request_body_progress {
	REQUEST_BODY_DONE,     /* no body left: the next request may be parsed */
	REQUEST_BODY_PENDING,  /* all buffered input was body; more is to come */
	REQUEST_BODY_FAILED,   /* malformed or too large after the response: close */
};

/* Consumes buffered body bytes of the request answered last. */
enum request_body_progress request_body_discard(struct connection *connection);

bool request_body_pending(const struct connection *connection);

#endif
