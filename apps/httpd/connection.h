/* connection.h - one client connection of the server (server.c): its
 * state, its input buffer, and closing it. */
#ifndef HTTPD_CONNECTION_H
#define HTTPD_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apps/httpd/http_chunked.h"
#include "apps/httpd/http_response.h"

enum connection_state {
	CONNECTION_READING,    /* waiting for (the rest of) a request */
	CONNECTION_WRITING,    /* a response is partly sent */
	CONNECTION_DRAINING,   /* response sent, write side shut: reading until the client closes */
	CONNECTION_CLOSED,
};

/* What the deadline is waiting for: nginx's four timeouts (server.h). */
enum connection_wait {
	WAIT_NONE,
	WAIT_HEAD,       /* client_header_timeout: the whole head, from its first byte (or accept) */
	WAIT_BODY,       /* client_body_timeout: between two reads of a body */
	WAIT_SEND,       /* send_timeout: between two successful writes */
	WAIT_KEEPALIVE,  /* keepalive_timeout: idle between two requests */
	WAIT_DRAIN,      /* a closing connection reading what the client still sends */
};

/* Requests are read into one buffer shared by all connections and parsed
 * there; only a connection left with part of a request keeps its own
 * buffer (starting at this size, doubling up to the largest request head),
 * freed once empty: a thousand idle keep-alive connections hold none. */
#define CONNECTION_BUFFER_INITIAL 2048

struct connection {
	int fd;
	enum connection_state state;
	enum connection_wait waiting;
	uint64_t deadline_ns;            /* of what it waits for, on the monotonic clock */
	bool served;                     /* a response went out: waiting for a request is keep-alive */
	char *input;                     /* unparsed bytes: input[input_start, input_length) */
	size_t input_start, input_length, input_capacity;
	bool input_borrowed;             /* input is the server's shared read buffer */
	uint64_t body_to_skip;           /* Content-Length body bytes we discard, still to come */
	bool chunked_body;               /* a chunked body is being discarded */
	struct http_chunked chunked;
	bool peer_closed;                /* the client sent FIN: answer what is buffered, then close */
	struct http_response response;
	size_t buffer_sent, content_sent;
};

void connection_close(struct connection *connection);
/* Closes with a reset: for a response abandoned before its end, so that
 * the client cannot take the truncated body for a complete one, as a FIN
 * would let it. */
void connection_abort(struct connection *connection);
/* Where the next recv() goes: the shared buffer when nothing is pending,
 * else the connection's own, grown or compacted to make room; false when
 * there is no room (no memory). */
bool connection_prepare_input(struct connection *connection, char *shared, size_t shared_size);
/* Keeps the unparsed bytes in the connection's own buffer (or drops the
 * buffer when there are none) before the shared one is reused; closes the
 * connection when there is no memory for them. */
void connection_keep_leftover_input(struct connection *connection);

#endif
