/* fuzz_http_request.c - libFuzzer harness: apps/httpd's request-head
 * parser (http_request.c, RFC 9112 2-5), the target-to-path decoder, the
 * Range header of a parsed request (http_range.c, RFC 9110 14) and the
 * chunked body decoder (http_chunked.c, RFC 9112 7.1), built from the
 * app's sources unchanged against glibc, as tests/host/test_apps_linux.py
 * builds the app.
 *
 * Input: the bytes a client sent, in an exactly sized heap buffer. The
 * parser is stateless and the server calls it on everything buffered after
 * each read, so it is run on the first half as well as on the whole. A
 * parsed head must lie inside the buffer (head_length, target, fields);
 * its target is decoded into a buffer one byte longer than the target (the
 * decoder's contract); its Range header is resolved against a 10000-byte
 * file; a chunked body is decoded from the rest of the input split in two
 * reads, with a 64 KiB limit. A broken contract aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/http_chunked.h"
#include "apps/httpd/http_range.h"
#include "apps/httpd/http_request.h"

#define FILE_SIZE 10000u
#define BODY_LIMIT 65536u

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_http_request: %s\n", what);
	abort();
}

static void check_text(struct http_text text, const char *buffer, size_t length)
{
	if (text.length && (text.text < buffer || text.text + text.length > buffer + length))
		fail("a parsed field points outside the buffer");
}

static void check_ranges(struct http_text range)
{
	struct http_range_set set;
	if (http_range_parse(range.text, range.length, FILE_SIZE, &set) != HTTP_RANGE_SATISFIABLE)
		return;
	if (set.count == 0 || set.count > HTTP_RANGES_MAX)
		fail("a satisfiable range set with no range or too many");
	for (unsigned i = 0; i < set.count; i++)
		if (set.ranges[i].first > set.ranges[i].last || set.ranges[i].last >= FILE_SIZE)
			fail("a range outside the file");
}

static void decode_chunked(const char *body, size_t length)
{
	struct http_chunked decoder;
	http_chunked_start(&decoder, BODY_LIMIT);
	size_t first = length / 2, consumed = 0;
	enum http_chunked_result result = http_chunked_consume(&decoder, body, first, &consumed);
	if (consumed > first)
		fail("the chunked decoder consumed more than it was given");
	if (result == HTTP_CHUNKED_MORE) {
		result = http_chunked_consume(&decoder, body + first, length - first, &consumed);
		if (consumed > length - first)
			fail("the chunked decoder consumed more than it was given");
	}
	if (decoder.body_bytes > BODY_LIMIT)
		fail("the chunked decoder let the body past its limit");
}

static void parse(const char *buffer, size_t length, int whole)
{
	struct http_request request;
	int status = 0;
	if (http_request_parse(buffer, length, &request, &status) != HTTP_PARSE_DONE)
		return;
	if (request.head_length > length)
		fail("head_length beyond the buffer");
	check_text(request.target, buffer, length);
	check_text(request.host, buffer, length);
	check_text(request.range, buffer, length);
	char *path = malloc(request.target.length + 1);
	http_target_to_path(request.target, path, request.target.length + 1);
	free(path);
	if (request.range.length)
		check_ranges(request.range);
	if (whole && request.body == HTTP_BODY_CHUNKED)
		decode_chunked(buffer + request.head_length, length - request.head_length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buffer = malloc(size ? size : 1);
	memcpy(buffer, data, size);
	parse(buffer, size / 2, 0);
	parse(buffer, size, 1);
	free(buffer);
	return 0;
}
