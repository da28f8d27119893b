/* http_request.c - the management port's request-head parser (contract in
 * net/admin/http_request.h). */
#include "net/admin/http_request.h"

#include <string.h>

#define STATUS_BAD_REQUEST 400
#define STATUS_CONTENT_TOO_LARGE 413
#define STATUS_URI_TOO_LONG 414
#define STATUS_HEADERS_TOO_LARGE 431
#define STATUS_NOT_IMPLEMENTED 501
#define STATUS_VERSION_NOT_SUPPORTED 505
/* RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line. */
#define LEADING_EMPTY_LINES_MAX 4

struct span {
	const char *text;
	size_t length;
};

/* tchar of RFC 9110 5.6.2: what a method and a field name are made of. */
static bool is_token_char(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool span_equals_folded(struct span span, const char *word)
{
	size_t length = strlen(word);
	if (span.length != length)
		return false;
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)span.text[i];
		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char)word[i])
			return false;
	}
	return true;
}

/* The next line of text[*offset, length): CRLF or a bare LF ends it (RFC
 * 9112 2.2 lets a recipient accept LF). False when no line end is there yet. */
static bool next_line(const char *text, size_t length, size_t *offset, struct span *line)
{
	const char *start = text + *offset;
	const char *end = memchr(start, '\n', length - *offset);
	if (!end)
		return false;
	line->text = start;
	line->length = (size_t)(end - start);
	if (line->length && line->text[line->length - 1] == '\r')
		line->length--;
	*offset = (size_t)(end - text) + 1;
	return true;
}

static enum http_method method_of(struct span method)
{
	if (method.length == 3 && memcmp(method.text, "GET", 3) == 0)
		return HTTP_METHOD_GET;
	if (method.length == 4 && memcmp(method.text, "HEAD", 4) == 0)
		return HTTP_METHOD_HEAD;
	if (method.length == 4 && memcmp(method.text, "POST", 4) == 0)
		return HTTP_METHOD_POST;
	return HTTP_METHOD_OTHER;
}

/* "HTTP/1.1": 1.0 and 1.1 are served, any other well-formed version is 505. */
static int parse_version(struct span version, struct http_request *request)
{
	if (version.length != 8 || memcmp(version.text, "HTTP/", 5) != 0 || version.text[6] != '.' ||
	    version.text[5] < '0' || version.text[5] > '9' || version.text[7] < '0' || version.text[7] > '9')
		return STATUS_BAD_REQUEST;
	if (version.text[5] != '1' || version.text[7] > '1')
		return STATUS_VERSION_NOT_SUPPORTED;
	request->version_minor = version.text[7] - '0';
	request->keep_alive = request->version_minor == 1;
	return 0;
}

/* method SP request-target SP HTTP-version (RFC 9112 3), origin-form only. */
static int parse_request_line(struct span line, struct http_request *request)
{
	const char *end = line.text + line.length;
	const char *space = memchr(line.text, ' ', line.length);
	if (!space || space == line.text)
		return STATUS_BAD_REQUEST;
	struct span method = { line.text, (size_t)(space - line.text) };
	for (size_t i = 0; i < method.length; i++)
		if (!is_token_char((unsigned char)method.text[i]))
			return STATUS_BAD_REQUEST;
	const char *target = space + 1;
	const char *second = memchr(target, ' ', (size_t)(end - target));
	if (!second || second == target || target[0] != '/')
		return STATUS_BAD_REQUEST;
	for (const char *c = target; c < second; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return STATUS_BAD_REQUEST;
	request->method = method_of(method);
	const char *question = memchr(target, '?', (size_t)(second - target));
	request->path = target;
	request->path_length = (size_t)((question ? question : second) - target);
	request->query = question ? question + 1 : second;
	request->query_length = question ? (size_t)(second - question - 1) : 0;
	return parse_version((struct span){ second + 1, (size_t)(end - second - 1) }, request);
}

static struct span trim(struct span value)
{
	while (value.length && (value.text[0] == ' ' || value.text[0] == '\t')) {
		value.text++;
		value.length--;
	}
	while (value.length && (value.text[value.length - 1] == ' ' || value.text[value.length - 1] == '\t'))
		value.length--;
	return value;
}

/* Content-Length = 1*DIGIT (RFC 9110 8.6); a repeat must say the same. */
static int parse_content_length(struct span value, size_t body_max, struct http_request *request)
{
	if (value.length == 0)
		return STATUS_BAD_REQUEST;
	uint64_t number = 0;
	for (size_t i = 0; i < value.length; i++) {
		if (value.text[i] < '0' || value.text[i] > '9')
			return STATUS_BAD_REQUEST;
		number = number * 10 + (uint64_t)(value.text[i] - '0');
		if (number > UINT32_MAX)
			return STATUS_CONTENT_TOO_LARGE;
	}
	if (request->has_content_length && request->content_length != number)
		return STATUS_BAD_REQUEST;
	request->has_content_length = true;
	request->content_length = (uint32_t)number;
	return number > body_max ? STATUS_CONTENT_TOO_LARGE : 0;
}

/* Connection: a comma-separated list of options (RFC 9110 7.6.1). */
static void parse_connection(struct span value, struct http_request *request)
{
	while (value.length) {
		const char *comma = memchr(value.text, ',', value.length);
		size_t length = comma ? (size_t)(comma - value.text) : value.length;
		struct span option = trim((struct span){ value.text, length });
		if (span_equals_folded(option, "close"))
			request->keep_alive = false;
		else if (span_equals_folded(option, "keep-alive") && request->version_minor == 0)
			request->keep_alive = true;
		value.text += comma ? length + 1 : length;
		value.length -= comma ? length + 1 : length;
	}
}

/* field-name ":" OWS field-value OWS (RFC 9112 5); no whitespace before
 * the colon (5.1) and no obs-fold (5.2): both are 400. */
static int parse_field(struct span line, size_t body_max, struct http_request *request)
{
	const char *colon = memchr(line.text, ':', line.length);
	if (!colon || colon == line.text)
		return STATUS_BAD_REQUEST;
	struct span name = { line.text, (size_t)(colon - line.text) };
	for (size_t i = 0; i < name.length; i++)
		if (!is_token_char((unsigned char)name.text[i]))
			return STATUS_BAD_REQUEST;
	struct span value = trim((struct span){ colon + 1, line.length - name.length - 1 });
	for (size_t i = 0; i < value.length; i++) {
		unsigned char c = (unsigned char)value.text[i];
		if ((c < ' ' && c != '\t') || c == 0x7f)
			return STATUS_BAD_REQUEST;
	}
	if (span_equals_folded(name, "content-length"))
		return parse_content_length(value, body_max, request);
	if (span_equals_folded(name, "transfer-encoding"))
		return STATUS_NOT_IMPLEMENTED;
	if (span_equals_folded(name, "host")) {
		/* RFC 9112 3.2: one Host field; its value is not checked further (one server, no virtual hosts). */
		if (request->host_fields++ > 0)
			return STATUS_BAD_REQUEST;
	} else if (span_equals_folded(name, "connection"))
		parse_connection(value, request);
	else if (span_equals_folded(name, "authorization")) {
		request->authorization = value.text;
		request->authorization_length = value.length;
	}
	return 0;
}

/* What to answer when the buffer is full and the head still incomplete. */
static int incomplete(size_t length, size_t capacity, bool request_line_seen)
{
	if (length < capacity)
		return HTTP_PARSE_INCOMPLETE;
	return request_line_seen ? STATUS_HEADERS_TOO_LARGE : STATUS_URI_TOO_LONG;
}

int admin_http_parse(const char *text, size_t length, size_t capacity, size_t body_max,
		       struct http_request *request)
{
	memset(request, 0, sizeof(*request));
	if (memchr(text, '\0', length))
		return STATUS_BAD_REQUEST;
	size_t offset = 0;
	struct span line;
	int empty_lines = 0;
	do {
		if (!next_line(text, length, &offset, &line))
			return incomplete(length, capacity, false);
	} while (line.length == 0 && ++empty_lines <= LEADING_EMPTY_LINES_MAX);
	int status = parse_request_line(line, request);
	if (status != 0)
		return status;
	for (int fields = 0;; fields++) {
		if (!next_line(text, length, &offset, &line))
			return incomplete(length, capacity, true);
		if (line.length == 0)
			break;
		if (fields == HTTP_HEADER_FIELDS_MAX)
			return STATUS_HEADERS_TOO_LARGE;
		if (line.text[0] == ' ' || line.text[0] == '\t')
			return STATUS_BAD_REQUEST;
		status = parse_field(line, body_max, request);
		if (status != 0)
			return status;
	}
	/* RFC 9112 3.2: an HTTP/1.1 request without Host is a 400. */
	if (request->version_minor == 1 && request->host_fields == 0)
		return STATUS_BAD_REQUEST;
	request->head_length = offset;
	return HTTP_PARSE_COMPLETE;
}
