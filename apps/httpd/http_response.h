/* http_response.h - the response to one request (RFC 9110, 9112): status
 * line and header section written into a buffer, and the content, which is
 * either copied behind the head when it fits (one send for the whole
 * response) or left where it is, in the embedded site's read-only data,
 * to be sent from there. A multipart/byteranges response comes in several
 * such pieces: once buffer and content are sent, http_response_next_piece
 * refills them with the next part. */
#ifndef HTTPD_HTTP_RESPONSE_H
#define HTTPD_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/httpd/http_multipart.h"
#include "apps/httpd/http_request.h"

/* Head plus small content: a 1 KiB file goes out in one send. */
#define HTTP_RESPONSE_BUFFER 2048
#define HTTP_SERVER_NAME "keel-httpd"

struct http_response {
	char buffer[HTTP_RESPONSE_BUFFER];
	size_t buffer_length;             /* head, and the content when copied */
	const unsigned char *content;     /* content still to send after buffer, or NULL */
	size_t content_length;
	int status;
	bool close;                       /* close the connection once sent */
	bool keep_alive_header;           /* say "Connection: keep-alive" (HTTP/1.0) */
	struct http_multipart multipart;  /* parts still to come (206 with several ranges) */
};

/* What every response needs to know about now. */
struct http_clock {
	const char *date;                 /* IMF-fixdate of now, or NULL without a clock */
	int64_t now;                      /* seconds since 1970, or -1 */
};

/* The response to a parsed request for a file of the embedded site. */
void http_respond(const struct http_request *request, const struct http_clock *clock,
		  struct http_response *response);
/* After buffer and content were sent in full: loads the next piece of a
 * multipart body into them and returns true, or returns false when the
 * response is complete. */
bool http_response_next_piece(struct http_response *response);
/* An error response with a small HTML body (no body for HEAD). */
void http_respond_error(int status, bool head_only, bool close, const struct http_clock *clock,
			struct http_response *response);

#endif
