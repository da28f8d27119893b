/* fuzz_admin_http.c - libFuzzer harness: the management port's request-head
 * parser (net/admin/http_request.c), built unchanged against glibc.
 *
 * Input: the bytes a client sent, copied into a buffer of exactly that size
 * (ASan sees any read past it). The server re-parses everything buffered
 * after each read, so every prefix boundary the server could see is tried
 * with the buffer's capacity as the port's (2560) and as the input's own
 * length (a full buffer). The contract checked: a complete head lies inside
 * the input and its fields inside the head; "incomplete" only while the
 * buffer has room; a refusal is one of the documented statuses; a request
 * with Content-Length never exceeds the body limit. A broken contract aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/admin/http_request.h"

#define CAPACITY 2560
#define BODY_MAX 512

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_admin_http: %s\n", what);
	abort();
}

static void check_inside(const char *field, size_t length, const char *buffer, size_t head_length)
{
	if (length && (field < buffer || field + length > buffer + head_length))
		fail("a field points outside the head");
}

static void check(const char *buffer, size_t length, size_t capacity)
{
	struct http_request request;
	int result = admin_http_parse(buffer, length, capacity, BODY_MAX, &request);
	switch (result) {
	case HTTP_PARSE_INCOMPLETE:
		if (length >= capacity)
			fail("incomplete although the buffer is full");
		return;
	case HTTP_PARSE_COMPLETE:
		break;
	case 400: case 413: case 414: case 431: case 501: case 505:
		return;
	default:
		fail("an undocumented status");
	}
	if (request.head_length == 0 || request.head_length > length)
		fail("the head is not inside the input");
	if (request.path_length == 0 || request.path[0] != '/')
		fail("a path that is not origin-form");
	check_inside(request.path, request.path_length, buffer, request.head_length);
	check_inside(request.query, request.query_length, buffer, request.head_length);
	check_inside(request.authorization, request.authorization_length, buffer, request.head_length);
	if (request.content_length > BODY_MAX)
		fail("a body above the limit was accepted");
	if (request.version_minor != 0 && request.version_minor != 1)
		fail("a version other than 1.0 and 1.1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buffer = malloc(size ? size : 1);
	memcpy(buffer, data, size);
	check(buffer, size, CAPACITY > size ? CAPACITY : size);
	check(buffer, size, size);
	check(buffer, size / 2, CAPACITY);
	free(buffer);
	return 0;
}
