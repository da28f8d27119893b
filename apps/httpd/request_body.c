/* request_body.c - reading and discarding request bodies (see
 * request_body.h). */
#include "apps/httpd/request_body.h"

/* The chunked decoder over the buffered input: 0, or 400 / 413. */
static int discard_chunked(struct connection *connection)
{
	size_t consumed;
	enum http_chunked_result result = http_chunked_consume(&connection->chunked,
							       connection->input + connection->input_start,
							       connection->input_length - connection->input_start,
							       &consumed);
	connection->input_start += consumed;
	switch (result) {
	case HTTP_CHUNKED_DONE:
		connection->chunked_body = false;
		return 0;
	case HTTP_CHUNKED_MORE:
		return 0;
	case HTTP_CHUNKED_TOO_LARGE:
		connection->chunked_body = false;
		return 413;
	default:
		connection->chunked_body = false;
		return 400;
	}
}

int request_body_start(struct connection *connection, const struct http_request *request, uint64_t max_body)
{
	connection->body_to_skip = 0;
	connection->chunked_body = false;
	if (request->body == HTTP_BODY_LENGTH) {
		if (max_body && request->content_length > max_body)
			return 413;
		connection->body_to_skip = request->content_length;
	} else if (request->body == HTTP_BODY_CHUNKED) {
		http_chunked_start(&connection->chunked, max_body);
		connection->chunked_body = true;
		return discard_chunked(connection);
	}
	return 0;
}

enum request_body_progress request_body_discard(struct connection *connection)
{
	size_t available = connection->input_length - connection->input_start;
	size_t skipped = connection->body_to_skip < available ? (size_t)connection->body_to_skip : available;
	connection->input_start += skipped;
	connection->body_to_skip -= skipped;
	if (connection->chunked_body && discard_chunked(connection) != 0)
		return REQUEST_BODY_FAILED;
	return request_body_pending(connection) ? REQUEST_BODY_PENDING : REQUEST_BODY_DONE;
}

bool request_body_pending(const struct connection *connection)
{
	return connection->body_to_skip > 0 || connection->chunked_body;
}
