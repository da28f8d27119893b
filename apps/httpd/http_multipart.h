/* http_multipart.h - the body of a 206 multipart/byteranges response
 * (RFC 9110 14.6, 15.3.7.2; the syntax is RFC 2046 5.1.1's):
 *
 *   --BOUNDARY CRLF
 *   Content-Type: <the file's type> CRLF
 *   Content-Range: bytes first-last/size CRLF
 *   CRLF
 *   <the bytes> CRLF
 *   --BOUNDARY CRLF ... (one such part per range)
 *   <the last part's bytes> CRLF
 *   --BOUNDARY-- CRLF
 *
 * The body is written piece by piece, never as a whole: each piece is a
 * short text (delimiter and part headers) written into the caller's buffer
 * and the part's bytes, left where they are (the embedded site). The length
 * of the whole body is known beforehand for Content-Length. */
#ifndef HTTPD_HTTP_MULTIPART_H
#define HTTPD_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/httpd/http_range.h"

/* "keel" and 16 hex digits: a boundary of 1-70 characters (RFC 2046 5.1.1). */
#define HTTP_MULTIPART_BOUNDARY_SIZE 21

struct http_multipart {
	bool active;                     /* pieces remain to be written */
	unsigned next;                   /* the part whose header comes next; count: the closing delimiter */
	struct http_range_set set;
	const unsigned char *data;       /* the whole file */
	uint64_t size;
	const char *content_type;
	char boundary[HTTP_MULTIPART_BOUNDARY_SIZE];
};

/* Prepares the body for set (count >= 2) of data. seed varies the boundary
 * between responses (a boundary must not occur in the parts; 64 bits that
 * change every response make that as unlikely as it gets without scanning). */
void http_multipart_start(struct http_multipart *multipart, const struct http_range_set *set,
			  const unsigned char *data, uint64_t size, const char *content_type, uint64_t seed);
/* Bytes of the whole body, for Content-Length. */
uint64_t http_multipart_length(const struct http_multipart *multipart);
/* Writes the next piece: its text into text (capacity bytes, always enough
 * for a delimiter with part headers), its bytes as a pointer into the file
 * (content_length 0 for the closing delimiter). Returns false, writing
 * nothing, once the closing delimiter was written. */
bool http_multipart_next(struct http_multipart *multipart, char *text, size_t capacity, size_t *text_length,
			 const unsigned char **content, size_t *content_length);

#endif
