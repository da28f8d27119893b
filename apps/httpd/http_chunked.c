/* http_chunked.c - the chunked body decoder (see http_chunked.h): one
 * state per place in the grammar of RFC 9112 7.1, a byte at a time except
 * for chunk data, which is skipped in bulk. */
#include "apps/httpd/http_chunked.h"

#include <stdbool.h>

#include "apps/httpd/http_request.h"

void http_chunked_start(struct http_chunked *decoder, uint64_t max_body)
{
	*decoder = (struct http_chunked){ .state = CHUNK_SIZE, .max_body = max_body };
}

/* Control characters other than HTAB have no place in an extension or a
 * field value (RFC 9110 5.5: field-vchar, obs-text, SP, HTAB). */
static bool is_forbidden_control(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}

/* The line that state was reading ended with its LF. */
static enum http_chunked_result end_line(struct http_chunked *decoder, enum http_chunked_state line)
{
	decoder->line_bytes = 0;
	switch (line) {
	case CHUNK_SIZE_END:
	case CHUNK_EXTENSION:
		decoder->body_bytes += decoder->chunk_size;
		decoder->state = decoder->chunk_size ? CHUNK_DATA : CHUNK_TRAILER_NAME; /* 0: last-chunk */
		return HTTP_CHUNKED_MORE;
	case CHUNK_DATA_CR:
		decoder->state = CHUNK_SIZE;
		decoder->size_digits = 0;
		return HTTP_CHUNKED_MORE;
	case CHUNK_TRAILER_NAME:
		decoder->state = CHUNK_DONE;   /* the empty line that ends the trailer section */
		return HTTP_CHUNKED_DONE;
	default:
		decoder->state = CHUNK_TRAILER_NAME;
		return HTTP_CHUNKED_MORE;
	}
}

/* CR may only precede the LF that ends the line (RFC 9112 2.2). */
static enum http_chunked_result line_ending(struct http_chunked *decoder, char c)
{
	if (c == '\n')
		return end_line(decoder, decoder->state);
	decoder->after_line = decoder->state;
	decoder->state = CHUNK_LINE_LF;
	return HTTP_CHUNKED_MORE;
}

static enum http_chunked_result size_digit(struct http_chunked *decoder, char c)
{
	int digit = http_hex_digit(c);
	if (digit < 0) {
		if (decoder->size_digits == 0)
			return HTTP_CHUNKED_INVALID;   /* chunk-size = 1*HEXDIG */
		decoder->state = CHUNK_SIZE_END;
		return HTTP_CHUNKED_MORE;          /* c is looked at again there */
	}
	decoder->size_digits++;
	if (decoder->chunk_size > (UINT64_MAX >> 4))
		return decoder->max_body ? HTTP_CHUNKED_TOO_LARGE : HTTP_CHUNKED_INVALID;
	decoder->chunk_size = decoder->chunk_size * 16 + (uint64_t)digit;
	if (decoder->max_body && decoder->chunk_size > decoder->max_body - decoder->body_bytes)
		return HTTP_CHUNKED_TOO_LARGE;
	return HTTP_CHUNKED_MORE;
}

/* Counts a byte of a size, extension or trailer line against its limits. */
static enum http_chunked_result count_line_byte(struct http_chunked *decoder, enum http_chunked_state line)
{
	bool trailer = line == CHUNK_TRAILER_NAME || line == CHUNK_TRAILER_VALUE;
	decoder->line_bytes++;
	decoder->trailer_bytes += trailer;
	if (decoder->line_bytes > (trailer ? HTTP_FIELD_LINE_MAX : HTTP_CHUNK_LINE_MAX) ||
	    decoder->trailer_bytes > HTTP_HEADER_SECTION_MAX)
		return HTTP_CHUNKED_INVALID;
	return HTTP_CHUNKED_MORE;
}

/* One byte of anything but chunk data. */
static enum http_chunked_result step(struct http_chunked *decoder, char c)
{
	switch (decoder->state) {
	case CHUNK_SIZE:
		return size_digit(decoder, c);
	case CHUNK_SIZE_END:   /* BWS, then a chunk-ext or the line end (7.1.1) */
		if (c == '\r' || c == '\n')
			return line_ending(decoder, c);
		if (c == ';')
			decoder->state = CHUNK_EXTENSION;
		else if (c != ' ' && c != '\t')
			return HTTP_CHUNKED_INVALID;
		return HTTP_CHUNKED_MORE;
	case CHUNK_EXTENSION:
	case CHUNK_TRAILER_VALUE:
		if (c == '\r' || c == '\n')
			return line_ending(decoder, c);
		return is_forbidden_control(c) ? HTTP_CHUNKED_INVALID : HTTP_CHUNKED_MORE;
	case CHUNK_DATA_CR:
		return c == '\r' || c == '\n' ? line_ending(decoder, c) : HTTP_CHUNKED_INVALID;
	case CHUNK_TRAILER_NAME:
		if ((c == '\r' || c == '\n') && decoder->line_bytes == 0)
			return line_ending(decoder, c);
		if (c == ':' && decoder->line_bytes > 0)
			decoder->state = CHUNK_TRAILER_VALUE;
		else if (!http_is_token_char(c))
			return HTTP_CHUNKED_INVALID;   /* no colon, obs-fold, space before the colon */
		return HTTP_CHUNKED_MORE;
	case CHUNK_LINE_LF:
		return c == '\n' ? end_line(decoder, decoder->after_line) : HTTP_CHUNKED_INVALID;
	default:
		return HTTP_CHUNKED_INVALID;
	}
}

static bool counts_against_line(enum http_chunked_state state)
{
	return state == CHUNK_SIZE || state == CHUNK_SIZE_END || state == CHUNK_EXTENSION ||
	       state == CHUNK_TRAILER_NAME || state == CHUNK_TRAILER_VALUE;
}

enum http_chunked_result http_chunked_consume(struct http_chunked *decoder, const char *data, size_t length,
					      size_t *consumed)
{
	size_t offset = 0;
	enum http_chunked_result result = decoder->state == CHUNK_DONE ? HTTP_CHUNKED_DONE : HTTP_CHUNKED_MORE;
	while (offset < length && result == HTTP_CHUNKED_MORE) {
		if (decoder->state == CHUNK_DATA) {
			size_t available = length - offset;
			size_t taken = decoder->chunk_size < available ? (size_t)decoder->chunk_size : available;
			offset += taken;
			decoder->chunk_size -= taken;
			if (decoder->chunk_size == 0)
				decoder->state = CHUNK_DATA_CR;
			continue;
		}
		char c = data[offset];
		enum http_chunked_state before = decoder->state;
		result = step(decoder, c);
		/* The byte that ended the size is looked at again as what follows it. */
		if (before == CHUNK_SIZE && decoder->state == CHUNK_SIZE_END)
			continue;
		offset++;
		if (result == HTTP_CHUNKED_MORE && counts_against_line(before) && c != '\r' && c != '\n')
			result = count_line_byte(decoder, before);
	}
	*consumed = offset;
	return result;
}
