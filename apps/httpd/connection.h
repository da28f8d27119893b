/* connection.h - one client connection of the server (server.c). */
#ifndef HTTPD_CONNECTION_H
#define HTTPD_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/httpd/http_response.h"

enum connection_state {
	CONNECTION_READING,    /* waiting for (the rest of) a request */
	CONNECTION_WRITING,    /* a response is partly sent */
	CONNECTION_DRAINING,   /* response sent, write side shut: reading until the client closes */
	CONNECTION_CLOSED,
};

/* Requests are read into one buffer shared by all connections and parsed
 * there; only a connection left with part of a request keeps its own
 * buffer (starting at this size, doubling up to the largest request head),
 * freed once empty: a thousand idle keep-alive connections hold none. */
#define CONNECTION_BUFFER_INITIAL 2048

struct connection {
	int fd;
	enum connection_state state;
	uint64_t deadline_ns;            /* idle timeout, on the monotonic clock */
	char *input;                     /* unparsed bytes: input[input_start, input_length) */
	size_t input_start, input_length, input_capacity;
	bool input_borrowed;             /* input is the server's shared read buffer */
	uint64_t body_to_skip;           /* a request body we ignore, still to come */
	bool peer_closed;                /* the client sent FIN: answer what is buffered, then close */
	struct http_response response;
	size_t buffer_sent, content_sent;
};

#endif
