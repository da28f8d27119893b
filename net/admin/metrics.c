/* metrics.c - GET /metrics: the response head, then the body produced by
 * the sources (net/admin/metrics.h) a buffer at a time. HTTP/1.1 clients
 * get it in chunks (RFC 9112 7.1) and keep their connection; an HTTP/1.0
 * client gets it raw, ended by the close. */
#include "net/admin/metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net/admin/internal.h"

/* Prometheus' text format 0.0.4 media type. */
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define CHUNK_HEADER 6          /* "hhhh\r\n": the buffer is under 64 KiB */
#define CHUNK_TRAILER 2         /* "\r\n" */
#define LAST_CHUNK "0\r\n\r\n"

void metrics_printf(struct metrics_writer *writer, const char *format, ...)
{
	size_t room = writer->capacity - writer->used;
	va_list arguments;
	va_start(arguments, format);
	int length = vsnprintf(writer->text + writer->used, room, format, arguments);
	va_end(arguments);
	if (length > 0)
		writer->used += (size_t)length < room ? (size_t)length : room - 1;
}

void metrics_family(struct metrics_writer *writer, const char *name, const char *type, const char *help)
{
	metrics_printf(writer, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_sample(struct metrics_writer *writer, const char *name, const char *labels, uint64_t value)
{
	if (labels[0])
		metrics_printf(writer, "%s{%s} %llu\n", name, labels, (unsigned long long)value);
	else
		metrics_printf(writer, "%s %llu\n", name, (unsigned long long)value);
}

void metrics_single(struct metrics_writer *writer, const char *name, const char *type, const char *help, uint64_t value)
{
	metrics_family(writer, name, type, help);
	metrics_sample(writer, name, "", value);
}

void admin_metrics_request(struct admin_connection *connection, const struct http_request *request)
{
	connection->chunked = request->version_minor >= 1;
	connection->metrics.source = 0;
	connection->metrics.item = 0;
	connection->stream = ADMIN_STREAM_METRICS;
	admin_respond_head(connection, 200, connection->chunked ? "Transfer-Encoding: chunked\r\n" : "", CONTENT_TYPE,
			   connection->chunked && request->keep_alive);
}

/* Writes items while one more surely fits; true when every source is done. */
static bool generate(struct metrics_writer *writer, struct admin_metrics_cursor *cursor)
{
	while (cursor->source < admin_metrics_source_count) {
		if (writer->capacity - writer->used < METRICS_ITEM_MAX)
			return false;
		if (admin_metrics_sources[cursor->source](writer, cursor->item)) {
			cursor->item++;
		} else {
			cursor->source++;
			cursor->item = 0;
		}
	}
	return true;
}

bool admin_metrics_refill(struct admin_connection *connection)
{
	size_t header = connection->chunked ? CHUNK_HEADER : 0;
	size_t reserve = connection->chunked ? CHUNK_TRAILER + sizeof(LAST_CHUNK) : 1;
	struct metrics_writer writer = { connection->output + header, 0, sizeof(connection->output) - header - reserve };
	bool finished = generate(&writer, &connection->metrics);
	size_t end = writer.used;
	if (connection->chunked && writer.used) {
		char size[CHUNK_HEADER + 1];
		snprintf(size, sizeof(size), "%04zx\r\n", writer.used);
		memcpy(connection->output, size, CHUNK_HEADER);
		memcpy(connection->output + header + writer.used, "\r\n", CHUNK_TRAILER);
		end = header + writer.used + CHUNK_TRAILER;
	} else if (connection->chunked) {
		end = 0;
	}
	if (finished) {
		if (connection->chunked) {
			memcpy(connection->output + end, LAST_CHUNK, sizeof(LAST_CHUNK) - 1);
			end += sizeof(LAST_CHUNK) - 1;
		} else {
			connection->close_when_sent = true;
		}
		connection->stream = ADMIN_STREAM_NONE;
	}
	connection->output_start = 0;
	connection->output_end = end;
	return end > 0;
}
