/* http_request.c - the request head parser and the target's path (see
 * http_request.h). Lines end with CRLF or a bare LF (RFC 9112 2.2 lets a
 * recipient accept LF); any other CR, a NUL, whitespace before a field's
 * colon or an obsolete line folding is a 400, as 5.1 and 5.2 require. */
#include "apps/httpd/http_request.h"

#include <string.h>

struct line {
	const char *text;
	size_t length;   /* without the line ending */
	size_t next;     /* offset just after the line ending */
};

/* The line starting at offset, or false when its LF has not arrived. */
static bool next_line(const char *buffer, size_t length, size_t offset, struct line *line)
{
	const char *newline = memchr(buffer + offset, '\n', length - offset);
	if (!newline)
		return false;
	line->text = buffer + offset;
	line->length = (size_t)(newline - line->text);
	line->next = line->length + offset + 1;
	if (line->length && line->text[line->length - 1] == '\r')
		line->length--;
	return true;
}

/* tchar of RFC 9110 5.6.2. */
bool http_is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool text_equals(struct http_text text, const char *literal)
{
	return text.length == strlen(literal) && memcmp(text.text, literal, text.length) == 0;
}

static bool text_equals_ignoring_case(struct http_text text, const char *literal)
{
	if (text.length != strlen(literal))
		return false;
	for (size_t i = 0; i < text.length; i++) {
		char a = text.text[i], b = literal[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static enum http_method method_of(struct http_text method)
{
	static const char *const other_methods[] = { "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH" };
	if (text_equals(method, "GET"))
		return HTTP_METHOD_GET;
	if (text_equals(method, "HEAD"))
		return HTTP_METHOD_HEAD;
	for (size_t i = 0; i < sizeof(other_methods) / sizeof(other_methods[0]); i++)
		if (text_equals(method, other_methods[i]))
			return HTTP_METHOD_OTHER;
	return HTTP_METHOD_UNKNOWN;
}

/* HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 2.3): another major
 * version is a 505, anything else malformed a 400. */
static int parse_version(struct http_text version, int *minor)
{
	const char *v = version.text;
	if (version.length != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
	    v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1')
		return 505;
	*minor = v[7] - '0';
	return 0;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 3). */
static int parse_request_line(const struct line *line, struct http_request *request)
{
	const char *first_space = memchr(line->text, ' ', line->length);
	if (!first_space || first_space == line->text)
		return 400;
	struct http_text method = { line->text, (size_t)(first_space - line->text) };
	for (size_t i = 0; i < method.length; i++)
		if (!http_is_token_char(method.text[i]))
			return 400;
	const char *target = first_space + 1;
	const char *end = line->text + line->length;
	const char *second_space = memchr(target, ' ', (size_t)(end - target));
	if (!second_space || second_space == target)
		return 400;
	request->target = (struct http_text){ target, (size_t)(second_space - target) };
	for (size_t i = 0; i < request->target.length; i++)
		if ((unsigned char)target[i] <= ' ' || target[i] == 0x7f)
			return 400;
	struct http_text version = { second_space + 1, (size_t)(end - second_space - 1) };
	int status = parse_version(version, &request->minor_version);
	if (status)
		return status;
	request->method = method_of(method);
	return 0;
}

static struct http_text trim(const char *text, size_t length)
{
	while (length && (*text == ' ' || *text == '\t')) {
		text++;
		length--;
	}
	while (length && (text[length - 1] == ' ' || text[length - 1] == '\t'))
		length--;
	return (struct http_text){ text, length };
}

/* One Content-Length value: 1*DIGIT, at most 18 digits (no overflow). */
static bool parse_decimal(struct http_text value, uint64_t *parsed)
{
	if (value.length == 0 || value.length > 18)
		return false;
	*parsed = 0;
	for (size_t i = 0; i < value.length; i++) {
		if (value.text[i] < '0' || value.text[i] > '9')
			return false;
		*parsed = *parsed * 10 + (uint64_t)(value.text[i] - '0');
	}
	return true;
}

/* Content-Length = 1*DIGIT; a list of identical values, in one field or
 * several, is that value (RFC 9112 6.3, item 5); differing values are a
 * 400: two framings of one message are how requests are smuggled. */
static bool parse_content_length(struct http_text value, bool seen_before, uint64_t *length)
{
	size_t offset = 0;
	do {
		const char *comma = memchr(value.text + offset, ',', value.length - offset);
		size_t end = comma ? (size_t)(comma - value.text) : value.length;
		uint64_t parsed;
		if (!parse_decimal(trim(value.text + offset, end - offset), &parsed))
			return false;
		if (seen_before && parsed != *length)
			return false;
		*length = parsed;
		seen_before = true;
		offset = end + 1;
	} while (offset <= value.length);
	return true;
}

struct header_state {
	bool host_seen, content_length_seen, transfer_encoding_seen;
	bool chunked_seen, chunked_last, chunked_twice, other_coding;
	bool connection_close, connection_keep_alive;
};

/* Transfer-Encoding = #transfer-coding (RFC 9112 6.1), over all its
 * fields in order: which codings, and whether chunked comes last. */
static void record_transfer_codings(struct http_text value, struct header_state *state)
{
	state->transfer_encoding_seen = true;
	size_t offset = 0;
	while (offset <= value.length) {
		const char *comma = memchr(value.text + offset, ',', value.length - offset);
		size_t end = comma ? (size_t)(comma - value.text) : value.length;
		struct http_text coding = trim(value.text + offset, end - offset);
		offset = end + 1;
		if (coding.length == 0)
			continue; /* empty list elements are ignored (RFC 9110 5.6.1) */
		bool chunked = text_equals_ignoring_case(coding, "chunked");
		state->chunked_twice |= chunked && state->chunked_seen;
		state->chunked_seen |= chunked;
		state->other_coding |= !chunked;
		state->chunked_last = chunked;
	}
}

static int record_header(struct http_text name, struct http_text value, struct http_request *request,
			 struct header_state *state)
{
	if (text_equals_ignoring_case(name, "host")) {
		if (state->host_seen)
			return 400; /* RFC 9112 3.2 */
		state->host_seen = true;
		request->host = value;
	} else if (text_equals_ignoring_case(name, "content-length")) {
		if (!parse_content_length(value, state->content_length_seen, &request->content_length))
			return 400;
		state->content_length_seen = true;
	} else if (text_equals_ignoring_case(name, "transfer-encoding")) {
		record_transfer_codings(value, state);
	} else if (text_equals_ignoring_case(name, "connection")) {
		state->connection_close |= http_list_contains(value, "close", false);
		state->connection_keep_alive |= http_list_contains(value, "keep-alive", false);
	} else if (text_equals_ignoring_case(name, "if-none-match")) {
		request->if_none_match = value;
	} else if (text_equals_ignoring_case(name, "if-modified-since")) {
		request->if_modified_since = value;
	} else if (text_equals_ignoring_case(name, "range")) {
		request->range = value;
	} else if (text_equals_ignoring_case(name, "if-range")) {
		request->if_range = value;
	}
	return 0;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 5). */
static int parse_header_line(const struct line *line, struct http_request *request, struct header_state *state)
{
	if (line->text[0] == ' ' || line->text[0] == '\t')
		return 400; /* obs-fold (RFC 9112 5.2) */
	const char *colon = memchr(line->text, ':', line->length);
	if (!colon || colon == line->text)
		return 400;
	struct http_text name = { line->text, (size_t)(colon - line->text) };
	for (size_t i = 0; i < name.length; i++)
		if (!http_is_token_char(name.text[i]))
			return 400;
	for (size_t i = 0; i < line->length; i++)
		if (line->text[i] == '\r' || line->text[i] == '\0')
			return 400;
	struct http_text value = trim(colon + 1, line->length - name.length - 1);
	return record_header(name, value, request, state);
}

/* The body's framing (RFC 9112 6.1, 6.3): see http_request.h. */
static int body_framing(struct http_request *request, const struct header_state *state)
{
	if (!state->transfer_encoding_seen) {
		request->body = state->content_length_seen ? HTTP_BODY_LENGTH : HTTP_BODY_NONE;
		return 0;
	}
	if (state->content_length_seen || request->minor_version == 0 || state->chunked_twice)
		return 400;
	if (state->other_coding || !state->chunked_last)
		return state->chunked_seen || state->other_coding ? 501 : 400;
	request->body = HTTP_BODY_CHUNKED;
	return 0;
}

static int finish_head(struct http_request *request, const struct header_state *state)
{
	int status = body_framing(request, state);
	if (status)
		return status;
	if (request->minor_version >= 1 && !state->host_seen)
		return 400; /* RFC 9112 3.2 */
	if (request->minor_version >= 1)
		request->keep_alive = !state->connection_close;
	else
		request->keep_alive = state->connection_keep_alive && !state->connection_close;
	return 0;
}

static size_t skip_blank_lines(const char *buffer, size_t length)
{
	size_t offset = 0;
	for (int blank = 0; blank < HTTP_LEADING_BLANK_LINES_MAX; blank++) {
		if (offset < length && buffer[offset] == '\n')
			offset++;
		else if (offset + 1 < length && buffer[offset] == '\r' && buffer[offset + 1] == '\n')
			offset += 2;
		else
			break;
	}
	return offset;
}

static enum http_parse_result fail(int *status, int code)
{
	*status = code;
	return HTTP_PARSE_ERROR;
}

/* A field line whose LF has not come: a 400 once it is sure to be too
 * long (the limit, a CR and the LF still to come), or the section is. */
static enum http_parse_result incomplete_field_line(size_t line_bytes, size_t section_bytes, int *status)
{
	if (line_bytes > HTTP_FIELD_LINE_MAX + 1 || section_bytes > HTTP_HEADER_SECTION_MAX)
		return fail(status, 400);
	return HTTP_PARSE_INCOMPLETE;
}

enum http_parse_result http_request_parse(const char *buffer, size_t length, struct http_request *request,
					  int *status)
{
	*request = (struct http_request){ 0 };
	size_t start = skip_blank_lines(buffer, length);
	struct line line;
	if (!next_line(buffer, length, start, &line))
		return length - start > HTTP_REQUEST_LINE_MAX + 1 ? fail(status, 414) : HTTP_PARSE_INCOMPLETE;
	if (line.length > HTTP_REQUEST_LINE_MAX)
		return fail(status, 414);
	int code = parse_request_line(&line, request);
	if (code)
		return fail(status, code);
	size_t headers_start = line.next;
	struct header_state state = { 0 };
	for (unsigned count = 0;; count++) {
		size_t line_start = line.next;
		if (!next_line(buffer, length, line_start, &line))
			return incomplete_field_line(length - line_start, length - headers_start, status);
		if (line.length > HTTP_FIELD_LINE_MAX || line.next - headers_start > HTTP_HEADER_SECTION_MAX)
			return fail(status, 400);
		if (line.length == 0)
			break;
		if (count == HTTP_HEADER_COUNT_MAX)
			return fail(status, 431);
		code = parse_header_line(&line, request, &state);
		if (code)
			return fail(status, code);
	}
	code = finish_head(request, &state);
	if (code)
		return fail(status, code);
	request->head_length = line.next;
	return HTTP_PARSE_DONE;
}

bool http_list_contains(struct http_text list, const char *token, bool exact)
{
	size_t offset = 0;
	while (offset <= list.length) {
		const char *comma = memchr(list.text + offset, ',', list.length - offset);
		size_t end = comma ? (size_t)(comma - list.text) : list.length;
		struct http_text item = trim(list.text + offset, end - offset);
		if (exact ? text_equals(item, token) : text_equals_ignoring_case(item, token))
			return true;
		offset = end + 1;
	}
	return false;
}

int http_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* origin-form's path, or absolute-form's path after scheme://authority. */
static struct http_text path_part(struct http_text target)
{
	const char *text = target.text, *end = target.text + target.length;
	static const char *const schemes[] = { "http://", "https://" };
	for (size_t i = 0; i < 2; i++) {
		size_t scheme_length = strlen(schemes[i]);
		struct http_text prefix = { text, scheme_length };
		if (target.length >= scheme_length && text_equals_ignoring_case(prefix, schemes[i])) {
			const char *slash = memchr(text + scheme_length, '/', (size_t)(end - text - scheme_length));
			return slash ? (struct http_text){ slash, (size_t)(end - slash) } : (struct http_text){ "/", 1 };
		}
	}
	return target;
}

static int percent_decode(struct http_text path, char *out, size_t out_size, size_t *out_length)
{
	size_t written = 0;
	for (size_t i = 0; i < path.length && path.text[i] != '?' && path.text[i] != '#'; i++) {
		char c = path.text[i];
		if (c == '%') {
			int high = i + 2 < path.length ? http_hex_digit(path.text[i + 1]) : -1;
			int low = high >= 0 ? http_hex_digit(path.text[i + 2]) : -1;
			if (low < 0 || (high == 0 && low == 0))
				return 400;
			c = (char)(high * 16 + low);
			i += 2;
		}
		if (written + 1 >= out_size)
			return 400;
		out[written++] = c;
	}
	out[written] = '\0';
	*out_length = written;
	return 0;
}

/* Rebuilds path segment by segment in place: "." vanishes, ".." removes
 * the segment before it (or fails above the root), empty segments merge. */
static int remove_dot_segments(char *path, size_t length)
{
	size_t read = 0, written = 0;
	bool trailing_slash = length > 0 && path[length - 1] == '/';
	while (read < length) {
		while (read < length && path[read] == '/')
			read++;
		size_t segment_start = read;
		while (read < length && path[read] != '/')
			read++;
		size_t segment_length = read - segment_start;
		bool last = read >= length;
		if (segment_length == 0 || (segment_length == 1 && path[segment_start] == '.')) {
			trailing_slash |= last && segment_length;
			continue;
		}
		if (segment_length == 2 && path[segment_start] == '.' && path[segment_start + 1] == '.') {
			if (written == 0)
				return 400;
			while (written > 0 && path[--written] != '/')
				;
			trailing_slash |= last;
			continue;
		}
		path[written++] = '/';
		memmove(path + written, path + segment_start, segment_length);
		written += segment_length;
	}
	if (written == 0 || trailing_slash)
		path[written++] = '/';
	path[written] = '\0';
	return 0;
}

int http_target_to_path(struct http_text target, char *path, size_t path_size)
{
	struct http_text part = path_part(target);
	if (part.length == 0 || part.text[0] != '/')
		return 400;
	size_t length;
	int status = percent_decode(part, path, path_size, &length);
	return status ? status : remove_dot_segments(path, length);
}
