/* connection.c - closing a connection and managing its input buffer (see
 * connection.h). */
#include "apps/httpd/connection.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void release_input(struct connection *connection)
{
	if (!connection->input_borrowed)
		free(connection->input);
	connection->input = NULL;
	connection->input_borrowed = false;
	connection->input_start = connection->input_length = connection->input_capacity = 0;
}

void connection_close(struct connection *connection)
{
	if (connection->state == CONNECTION_CLOSED)
		return;
	close(connection->fd);
	release_input(connection);
	connection->state = CONNECTION_CLOSED;
}

/* SO_LINGER {1, 0}: close() resets, as nginx's reset_timedout_connection. */
void connection_abort(struct connection *connection)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(connection->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	connection_close(connection);
}

void connection_keep_leftover_input(struct connection *connection)
{
	if (connection->state == CONNECTION_CLOSED || !connection->input)
		return;
	size_t leftover = connection->input_length - connection->input_start;
	if (leftover == 0) {
		if (connection->input_borrowed || connection->input_capacity > CONNECTION_BUFFER_INITIAL)
			release_input(connection);
		else
			connection->input_start = connection->input_length = 0;
		return;
	}
	if (!connection->input_borrowed)
		return;
	size_t capacity = leftover > CONNECTION_BUFFER_INITIAL ? HTTP_REQUEST_HEAD_MAX : CONNECTION_BUFFER_INITIAL;
	char *own = malloc(capacity);
	if (!own) {
		connection_close(connection);
		return;
	}
	memcpy(own, connection->input + connection->input_start, leftover);
	connection->input = own;
	connection->input_start = 0;
	connection->input_length = leftover;
	connection->input_capacity = capacity;
	connection->input_borrowed = false;
}

bool connection_prepare_input(struct connection *connection, char *shared, size_t shared_size)
{
	if (!connection->input) {
		connection->input = shared;
		connection->input_capacity = shared_size;
		connection->input_borrowed = true;
		connection->input_start = connection->input_length = 0;
		return true;
	}
	if (connection->input_start > 0) {
		memmove(connection->input, connection->input + connection->input_start,
			connection->input_length - connection->input_start);
		connection->input_length -= connection->input_start;
		connection->input_start = 0;
	}
	if (connection->input_length < connection->input_capacity)
		return true;
	if (connection->input_capacity >= HTTP_REQUEST_HEAD_MAX)
		return false; /* cannot happen: the parser decides within this size */
	size_t capacity = connection->input_capacity * 2;
	capacity = capacity > HTTP_REQUEST_HEAD_MAX ? HTTP_REQUEST_HEAD_MAX : capacity;
	char *grown = realloc(connection->input, capacity);
	if (!grown)
		return false;
	connection->input = grown;
	connection->input_capacity = capacity;
	return true;
}
