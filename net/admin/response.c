/* response.c - the management port's status lines, response heads and
 * refusals (contract in net/admin/internal.h). Every response says its
 * length or ends the connection (RFC 9112 6.3), and carries
 * "Connection: close" when the port closes after it. */
#include <stdio.h>
#include <string.h>

#include "net/admin/internal.h"

struct admin_stats admin_stats;

#define REFUSAL_NAME(constant, name, status) [constant] = #name,
static const char *const refusal_names[] = { ADMIN_REFUSALS(REFUSAL_NAME) };
#define REFUSAL_STATUS(constant, name, status) [constant] = status,
static const int refusal_statuses[] = { ADMIN_REFUSALS(REFUSAL_STATUS) };
#define ENDPOINT_PATH(constant, path) [constant] = path,
static const char *const endpoint_paths[] = { ADMIN_ENDPOINTS(ENDPOINT_PATH) };

const char *admin_refusal_name(enum admin_refusal refusal)
{
	return (unsigned)refusal < ADMIN_REFUSAL_COUNT ? refusal_names[refusal] : "unknown";
}

const char *admin_endpoint_path(enum admin_endpoint endpoint)
{
	return (unsigned)endpoint < ADMIN_ENDPOINT_COUNT ? endpoint_paths[endpoint] : "unknown";
}

/* RFC 9110 15's reason phrases for the statuses the port sends. */
const char *admin_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

/* Writes the head at the end of the output buffer; with body_length >= 0
 * it carries Content-Length. Returns false when it does not fit (never
 * with the fixed fields used here: the head is a few hundred bytes). */
static bool write_head(struct admin_connection *connection, int status, const char *extra_fields,
		       const char *content_type, long long body_length, bool keep_alive)
{
	char length_field[48] = "";
	if (body_length >= 0)
		snprintf(length_field, sizeof(length_field), "Content-Length: %lld\r\n", body_length);
	size_t room = sizeof(connection->output) - connection->output_end;
	int written = snprintf(connection->output + connection->output_end, room,
			       "HTTP/1.1 %d %s\r\nServer: keel-admin\r\nContent-Type: %s\r\n%s%s%s\r\n", status,
			       admin_status_text(status), content_type, length_field, extra_fields,
			       keep_alive ? "" : "Connection: close\r\n");
	if (written < 0 || (size_t)written >= room)
		return false;
	connection->output_end += (size_t)written;
	if (!keep_alive)
		connection->close_when_sent = true;
	return true;
}

void admin_respond(struct admin_connection *connection, int status, const char *extra_fields,
		   const char *content_type, const char *body, size_t body_length, bool keep_alive)
{
	if (!write_head(connection, status, extra_fields, content_type, (long long)body_length, keep_alive))
		return;
	size_t room = sizeof(connection->output) - connection->output_end;
	if (body_length > room)
		body_length = room;
	memmove(connection->output + connection->output_end, body, body_length);
	connection->output_end += body_length;
}

void admin_respond_head(struct admin_connection *connection, int status, const char *extra_fields,
			const char *content_type, bool keep_alive)
{
	write_head(connection, status, extra_fields, content_type, -1, keep_alive);
}

void admin_refuse(struct admin_connection *connection, enum admin_refusal refusal, bool keep_alive,
		  const char *extra_fields, const char *message)
{
	admin_stats.refusals[refusal]++;
	int status = refusal_statuses[refusal];
	if (status == 0) {
		connection->close_when_sent = true;
		return;
	}
	char body[160];
	int length = snprintf(body, sizeof(body), "%d %s%s%s\n", status, admin_status_text(status),
			      message ? ": " : "", message ? message : "");
	if (length < 0)
		length = 0;
	if ((size_t)length >= sizeof(body))
		length = sizeof(body) - 1;
	admin_respond(connection, status, extra_fields, "text/plain; charset=utf-8", body, (size_t)length, keep_alive);
}
