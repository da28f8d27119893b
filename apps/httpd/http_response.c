/* http_response.c - choosing and writing the response (see
 * http_response.h): 200, 206 (one range, or multipart/byteranges for
 * several) and 416 for byte ranges (RFC 9110 14, policy in http_range.h), 304
 * for a fresh conditional request (13.1.1-13.1.3, 15.4.5), 301 from a
 * directory to its slash form, and the errors, each with a short HTML body. */
#include "apps/httpd/http_response.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "apps/httpd/http_date.h"
#include "apps/httpd/http_range.h"
#include "apps/httpd/site.h"

#define ERROR_BODY_MAX 512

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

static const char *error_explanation(int status)
{
	switch (status) {
	case 400: return "The request could not be understood.";
	case 404: return "The requested URL was not found on this server.";
	case 405: return "This server only answers GET and HEAD.";
	case 408: return "The request took too long to arrive.";
	case 413: return "The request body is larger than this server accepts.";
	case 414: return "The request line is too long.";
	case 416: return "The requested range is not within the file.";
	case 431: return "The request's header fields are too large or too many.";
	case 501: return "The server does not support this request.";
	case 505: return "This server speaks HTTP/1.0 and HTTP/1.1 only.";
	default: return "The server cannot answer this request.";
	}
}

/* Appends to the head; a head that does not fit is cut, which only a
 * pathological Location could cause, and is checked by the callers. */
__attribute__((format(printf, 2, 3))) static void append(struct http_response *response, const char *format, ...)
{
	size_t room = sizeof(response->buffer) - response->buffer_length;
	va_list arguments;
	va_start(arguments, format);
	int written = vsnprintf(response->buffer + response->buffer_length, room, format, arguments);
	va_end(arguments);
	if (written > 0)
		response->buffer_length += (size_t)written < room ? (size_t)written : room - 1;
}

static void start_head(struct http_response *response, int status, bool close, const struct http_clock *clock)
{
	response->buffer_length = 0;
	response->content = NULL;
	response->content_length = 0;
	response->status = status;
	response->close = close;
	response->multipart.active = false;
	append(response, "HTTP/1.1 %d %s\r\nServer: " HTTP_SERVER_NAME "\r\n", status, reason_phrase(status));
	if (clock->date)
		append(response, "Date: %s\r\n", clock->date);
}

/* HTTP/1.0 clients need to be told a connection stays open (RFC 9112 9.3). */
static void end_head(struct http_response *response)
{
	if (response->close)
		append(response, "Connection: close\r\n");
	else if (response->keep_alive_header)
		append(response, "Connection: keep-alive\r\n");
	append(response, "\r\n");
}

/* Copies small content behind the head so both leave in one send. */
static void attach_content(struct http_response *response, const void *content, size_t length)
{
	size_t room = sizeof(response->buffer) - response->buffer_length;
	if (length <= room) {
		memcpy(response->buffer + response->buffer_length, content, length);
		response->buffer_length += length;
	} else {
		response->content = content;
		response->content_length = length;
	}
}

static void error_response(int status, bool head_only, bool close, const char *extra_headers,
			   const struct http_clock *clock, struct http_response *response)
{
	char body[ERROR_BODY_MAX];
	int length = snprintf(body, sizeof(body),
			      "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n"
			      "<body><h1>%d %s</h1>\n<p>%s</p></body></html>\n",
			      status, reason_phrase(status), status, reason_phrase(status), error_explanation(status));
	start_head(response, status, close, clock);
	append(response, "Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n%s", length,
	       extra_headers ? extra_headers : "");
	end_head(response);
	if (!head_only)
		attach_content(response, body, (size_t)length);
}

void http_respond_error(int status, bool head_only, bool close, const struct http_clock *clock,
			struct http_response *response)
{
	response->keep_alive_header = false;
	error_response(status, head_only, close, status == 405 ? "Allow: GET, HEAD\r\n" : NULL, clock, response);
}

/* Weak comparison (RFC 9110 8.8.3.2): W/ prefixes do not matter. */
static bool entity_tag_listed(struct http_text list, const char *etag)
{
	size_t offset = 0;
	while (offset < list.length) {
		const char *comma = memchr(list.text + offset, ',', list.length - offset);
		size_t end = comma ? (size_t)(comma - list.text) : list.length;
		const char *item = list.text + offset;
		size_t item_length = end - offset;
		while (item_length && (*item == ' ' || *item == '\t'))
			item++, item_length--;
		while (item_length && (item[item_length - 1] == ' ' || item[item_length - 1] == '\t'))
			item_length--;
		if (item_length >= 2 && item[0] == 'W' && item[1] == '/')
			item += 2, item_length -= 2;
		if ((item_length == 1 && item[0] == '*') || (item_length == strlen(etag) && !memcmp(item, etag, item_length)))
			return true;
		offset = end + 1;
	}
	return false;
}

/* RFC 9110 13.2.2: If-None-Match first; If-Modified-Since only without it,
 * and only a valid date not in the future counts. */
static bool not_modified(const struct http_request *request, const struct site_file *file,
			 const struct http_clock *clock)
{
	if (request->if_none_match.text)
		return entity_tag_listed(request->if_none_match, file->etag);
	int64_t since;
	if (!request->if_modified_since.text ||
	    !http_date_parse(request->if_modified_since.text, request->if_modified_since.length, clock->now, &since))
		return false;
	if (clock->now >= 0 && since > clock->now)
		return false;
	return file->mtime <= since;
}

/* If-Range (RFC 9110 13.1.5): the range applies only when the validator
 * is our strong entity-tag or exactly our Last-Modified date. */
static bool range_applies(const struct http_request *request, const struct site_file *file)
{
	if (!request->range.text || request->method != HTTP_METHOD_GET)
		return false;
	if (!request->if_range.text)
		return true;
	struct http_text validator = request->if_range;
	const char *expected = validator.text[0] == '"' ? file->etag : file->last_modified;
	return validator.length == strlen(expected) && memcmp(validator.text, expected, validator.length) == 0;
}

static void respond_not_modified(const struct site_file *file, bool close, const struct http_clock *clock,
				 struct http_response *response)
{
	start_head(response, 304, close, clock);
	append(response, "ETag: %s\r\nLast-Modified: %s\r\n", file->etag, file->last_modified);
	end_head(response);
}

/* 206 with several ranges (RFC 9110 14.6): the head, then the first part's
 * delimiter and headers in the same buffer; the rest comes piece by piece. */
static void respond_multipart(const struct http_request *request, const struct site_file *file,
			      const char *path, const struct http_range_set *set, bool close,
			      const struct http_clock *clock, struct http_response *response)
{
	start_head(response, 206, close, clock);
	struct http_multipart *multipart = &response->multipart;
	uint64_t seed = (uint64_t)clock->now ^ (uint64_t)(uintptr_t)file;
	http_multipart_start(multipart, set, file->data, file->length, site_content_type(path), seed);
	append(response, "Content-Type: multipart/byteranges; boundary=%s\r\nContent-Length: %llu\r\n"
		"Last-Modified: %s\r\nETag: %s\r\nAccept-Ranges: bytes\r\n", multipart->boundary,
		(unsigned long long)http_multipart_length(multipart), file->last_modified, file->etag);
	end_head(response);
	if (request->method != HTTP_METHOD_GET) {
		multipart->active = false;
		return;
	}
	size_t text_length;
	http_multipart_next(multipart, response->buffer + response->buffer_length,
			    sizeof(response->buffer) - response->buffer_length, &text_length, &response->content,
			    &response->content_length);
	response->buffer_length += text_length;
}

bool http_response_next_piece(struct http_response *response)
{
	if (!response->multipart.active)
		return false;
	response->buffer_length = 0;
	response->content = NULL;
	response->content_length = 0;
	return http_multipart_next(&response->multipart, response->buffer, sizeof(response->buffer),
				   &response->buffer_length, &response->content, &response->content_length);
}

static void respond_file(const struct http_request *request, const struct site_file *file, const char *path,
			 bool close, const struct http_clock *clock, struct http_response *response)
{
	if (not_modified(request, file, clock)) {
		respond_not_modified(file, close, clock, response);
		return;
	}
	static struct http_range_set set;   /* one response is built at a time */
	enum http_range_result range = HTTP_RANGE_IGNORED;
	if (range_applies(request, file))
		range = http_range_parse(request->range.text, request->range.length, file->length, &set);
	if (range == HTTP_RANGE_UNSATISFIABLE) {
		char content_range[64];
		snprintf(content_range, sizeof(content_range), "Content-Range: bytes */%zu\r\n", file->length);
		error_response(416, false, close, content_range, clock, response);
		return;
	}
	if (range == HTTP_RANGE_SATISFIABLE && set.count > 1) {
		respond_multipart(request, file, path, &set, close, clock, response);
		return;
	}
	uint64_t first = range == HTTP_RANGE_SATISFIABLE ? set.ranges[0].first : 0;
	uint64_t last = range == HTTP_RANGE_SATISFIABLE ? set.ranges[0].last : (file->length ? file->length - 1 : 0);
	size_t length = range == HTTP_RANGE_SATISFIABLE ? (size_t)(last - first + 1) : file->length;
	start_head(response, range == HTTP_RANGE_SATISFIABLE ? 206 : 200, close, clock);
	append(response, "Content-Type: %s\r\nContent-Length: %zu\r\nLast-Modified: %s\r\nETag: %s\r\n"
		"Accept-Ranges: bytes\r\n", site_content_type(path), length, file->last_modified, file->etag);
	if (range == HTTP_RANGE_SATISFIABLE)
		append(response, "Content-Range: bytes %llu-%llu/%zu\r\n", (unsigned long long)first,
		       (unsigned long long)last, file->length);
	end_head(response);
	if (request->method == HTTP_METHOD_GET)
		attach_content(response, file->data + first, length);
}

/* "/dir" naming a directory with an index: 301 to "/dir/" (the target's
 * query, if any, is not carried over). */
static bool respond_redirect(const char *path, bool close, const struct http_clock *clock,
			     struct http_response *response)
{
	static const char index_suffix[] = "/index.html";
	char index[HTTP_RESPONSE_BUFFER / 2 + sizeof(index_suffix)];
	size_t length = strlen(path);
	if (length > HTTP_RESPONSE_BUFFER / 2)
		return false;
	memcpy(index, path, length);
	memcpy(index + length, index_suffix, sizeof(index_suffix));
	if (!site_find(index))
		return false;
	start_head(response, 301, close, clock);
	append(response, "Location: %s/\r\nContent-Length: 0\r\n", path);
	end_head(response);
	return true;
}

void http_respond(const struct http_request *request, const struct http_clock *clock,
		  struct http_response *response)
{
	static char path[HTTP_REQUEST_LINE_MAX + 16];
	bool close = !request->keep_alive;
	bool head_only = request->method == HTTP_METHOD_HEAD;
	response->keep_alive_header = request->minor_version == 0 && !close;
	if (request->method == HTTP_METHOD_OTHER || request->method == HTTP_METHOD_UNKNOWN) {
		int status = request->method == HTTP_METHOD_OTHER ? 405 : 501;
		error_response(status, false, close, status == 405 ? "Allow: GET, HEAD\r\n" : NULL, clock, response);
		return;
	}
	int status = http_target_to_path(request->target, path, sizeof(path) - strlen("index.html"));
	if (status) {
		error_response(status, head_only, close, NULL, clock, response);
		return;
	}
	if (path[strlen(path) - 1] == '/')
		strcat(path, "index.html");
	const struct site_file *file = site_find(path);
	if (file)
		respond_file(request, file, path, close, clock, response);
	else if (!respond_redirect(path, close, clock, response))
		error_response(404, head_only, close, NULL, clock, response);
}
