/* fuzz_http_range.c - libFuzzer harness: apps/httpd's Range header parser
 * (http_range.c, RFC 9110 14.1-14.2) and the multipart/byteranges body
 * built from its result (http_multipart.c, RFC 9110 14.6), from the app's
 * sources unchanged against glibc.
 *
 * Input: 2 bytes, big-endian, the representation's size (0-65535), then
 * the Range field value, in an exactly sized heap buffer. A satisfiable
 * set must hold 1..HTTP_RANGES_MAX ranges inside the representation, no
 * two of them overlapping or touching (they are coalesced), asking in
 * total for no more than the representation holds; with several ranges
 * the multipart body is written out piece by piece into a buffer of the
 * server's size, and the bytes written must add up to
 * http_multipart_length. A broken contract aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/http_multipart.h"
#include "apps/httpd/http_range.h"
#include "apps/httpd/http_response.h"

static unsigned char file[65536];

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_http_range: %s\n", what);
	abort();
}

static int apart(const struct http_byte_range *a, const struct http_byte_range *b)
{
	return a->last + 1 < b->first || b->last + 1 < a->first;
}

static void check_set(const struct http_range_set *set, uint64_t size)
{
	if (set->count == 0 || set->count > HTTP_RANGES_MAX)
		fail("a satisfiable set with no range or too many");
	uint64_t total = 0;
	for (unsigned i = 0; i < set->count; i++) {
		if (set->ranges[i].first > set->ranges[i].last || set->ranges[i].last >= size)
			fail("a range outside the representation");
		total += set->ranges[i].last - set->ranges[i].first + 1;
		for (unsigned j = 0; j < i; j++)
			if (!apart(&set->ranges[i], &set->ranges[j]))
				fail("two ranges overlap or touch: not coalesced");
	}
	if (total > size)
		fail("more bytes asked for than the representation holds");
}

static void write_multipart(const struct http_range_set *set, uint64_t size)
{
	static char text[HTTP_RESPONSE_BUFFER];
	struct http_multipart multipart;
	http_multipart_start(&multipart, set, file, size, "text/plain", 0x0123456789abcdefull);
	uint64_t expected = http_multipart_length(&multipart), written = 0;
	size_t text_length, content_length;
	const unsigned char *content;
	unsigned pieces = 0;
	while (http_multipart_next(&multipart, text, sizeof(text), &text_length, &content, &content_length)) {
		if (text_length > sizeof(text) || ++pieces > HTTP_RANGES_MAX + 1)
			fail("a multipart piece too long, or too many pieces");
		if (content_length && (content < file || content + content_length > file + size))
			fail("a multipart part points outside the file");
		written += text_length + content_length;
	}
	if (written != expected)
		fail("the multipart body differs in length from http_multipart_length");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint64_t representation = (uint64_t)data[0] << 8 | data[1];
	size_t length = size - 2;
	char *value = malloc(length ? length : 1);
	memcpy(value, data + 2, length);
	struct http_range_set set;
	if (http_range_parse(value, length, representation, &set) == HTTP_RANGE_SATISFIABLE) {
		check_set(&set, representation);
		if (set.count > 1)
			write_multipart(&set, representation);
	}
	free(value);
	return 0;
}
