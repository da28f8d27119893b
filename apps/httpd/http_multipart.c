/* http_multipart.c - multipart/byteranges bodies (see http_multipart.h). */
#include "apps/httpd/http_multipart.h"

#include <stdio.h>
#include <string.h>

/* A 64-bit mixer (the splitmix64 finaliser's constants): neighbouring seeds
 * give unrelated boundaries. */
static uint64_t mix(uint64_t value)
{
	value ^= value >> 30;
	value *= 0xbf58476d1ce4e5b9ull;
	value ^= value >> 27;
	value *= 0x94d049bb133111ebull;
	return value ^ (value >> 31);
}

void http_multipart_start(struct http_multipart *multipart, const struct http_range_set *set,
			  const unsigned char *data, uint64_t size, const char *content_type, uint64_t seed)
{
	static uint64_t responses;   /* two responses in the same second still differ */
	multipart->active = true;
	multipart->next = 0;
	multipart->set = *set;
	multipart->data = data;
	multipart->size = size;
	multipart->content_type = content_type;
	snprintf(multipart->boundary, sizeof(multipart->boundary), "keel%016llx",
		 (unsigned long long)mix(seed ^ mix(++responses)));
}

/* The text before part `index` (the CRLF ending the previous part's bytes
 * belongs to this delimiter, RFC 2046 5.1.1), or the closing delimiter when
 * index == count. snprintf semantics: the length it needs. */
static int piece_text(const struct http_multipart *multipart, unsigned index, char *text, size_t capacity)
{
	const char *leading = index == 0 ? "" : "\r\n";
	if (index == multipart->set.count)
		return snprintf(text, capacity, "\r\n--%s--\r\n", multipart->boundary);
	const struct http_byte_range *range = &multipart->set.ranges[index];
	return snprintf(text, capacity, "%s--%s\r\nContent-Type: %s\r\nContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
			leading, multipart->boundary, multipart->content_type, (unsigned long long)range->first,
			(unsigned long long)range->last, (unsigned long long)multipart->size);
}

uint64_t http_multipart_length(const struct http_multipart *multipart)
{
	uint64_t length = 0;
	for (unsigned index = 0; index <= multipart->set.count; index++) {
		length += (uint64_t)piece_text(multipart, index, NULL, 0);
		if (index < multipart->set.count)
			length += multipart->set.ranges[index].last - multipart->set.ranges[index].first + 1;
	}
	return length;
}

bool http_multipart_next(struct http_multipart *multipart, char *text, size_t capacity, size_t *text_length,
			 const unsigned char **content, size_t *content_length)
{
	if (!multipart->active)
		return false;
	unsigned index = multipart->next++;
	int written = piece_text(multipart, index, text, capacity);
	*text_length = written < 0 ? 0 : (size_t)written < capacity ? (size_t)written : capacity - 1;
	if (index == multipart->set.count) {
		multipart->active = false;
		*content = NULL;
		*content_length = 0;
		return true;
	}
	const struct http_byte_range *range = &multipart->set.ranges[index];
	*content = multipart->data + range->first;
	*content_length = (size_t)(range->last - range->first + 1);
	return true;
}
