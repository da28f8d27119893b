/* server.c - the poll() event loop and the connections (see server.h). */
#include "apps/httpd/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "apps/httpd/connection.h"
#include "apps/httpd/http_date.h"
#include "apps/httpd/http_request.h"
#include "apps/httpd/http_response.h"
#include "apps/httpd/request_body.h"

#define NS_PER_SECOND 1000000000ull
#define NS_PER_MILLISECOND 1000000ull
/* How long a closing connection may keep sending before we give up on it. */
#define DRAIN_TIMEOUT_NS (2 * NS_PER_SECOND)
/* Out of descriptors or memory: stop accepting for a moment. */
#define ACCEPT_PAUSE_NS (100 * NS_PER_MILLISECOND)

struct server {
	struct server_config config;
	int listen_fd;
	struct connection **connections;
	struct pollfd *pollfds;          /* [0]: the listener, [i + 1]: connections[i] */
	unsigned count;
	uint64_t now_ns;
	uint64_t accept_paused_until_ns;
	struct http_clock clock;
	char date[HTTP_DATE_LENGTH + 1];
	time_t date_second;
	char read_buffer[HTTP_REQUEST_HEAD_MAX];
};

static uint64_t monotonic_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * NS_PER_SECOND + (uint64_t)now.tv_nsec;
}

/* The Date header is formatted once a second, not once a response. */
static void update_clock(struct server *server)
{
	server->now_ns = monotonic_ns();
	time_t now = time(NULL);
	server->clock.now = now;
	server->clock.date = now == (time_t)-1 ? NULL : server->date;
	if (now != (time_t)-1 && now != server->date_second) {
		http_date_format(now, server->date);
		server->date_second = now;
	}
}

static uint64_t timeout_ns(const struct server *server, enum connection_wait waiting)
{
	const struct server_config *config = &server->config;
	switch (waiting) {
	case WAIT_HEAD: return config->client_header_timeout * NS_PER_SECOND;
	case WAIT_BODY: return config->client_body_timeout * NS_PER_SECOND;
	case WAIT_SEND: return config->send_timeout * NS_PER_SECOND;
	case WAIT_KEEPALIVE: return config->keepalive_timeout * NS_PER_SECOND;
	default: return DRAIN_TIMEOUT_NS;
	}
}

/* Arms the deadline of a new wait; a wait that goes on keeps its deadline
 * unless progress restarts it. */
static void wait_for(struct server *server, struct connection *connection, enum connection_wait waiting,
		     bool progress)
{
	if (connection->waiting == waiting && !progress)
		return;
	connection->waiting = waiting;
	connection->deadline_ns = server->now_ns + timeout_ns(server, waiting);
}

/* While reading: the rest of the body of the request answered last, or
 * the next head once a byte of it (or the connection) came, else the
 * next request of a kept-alive connection. */
static void update_read_deadline(struct server *server, struct connection *connection, bool received)
{
	if (connection->state != CONNECTION_READING)
		return;
	if (request_body_pending(connection))
		wait_for(server, connection, WAIT_BODY, received);
	else if (connection->input_start < connection->input_length || !connection->served)
		wait_for(server, connection, WAIT_HEAD, false);
	else
		wait_for(server, connection, WAIT_KEEPALIVE, false);
}

/* Half-close and read until the client closes: closing at once with
 * unread requests would reset the connection, and the client could lose
 * the response (RFC 9112 9.6). */
static void close_after_response(struct server *server, struct connection *connection)
{
	shutdown(connection->fd, SHUT_WR);
	connection->state = CONNECTION_DRAINING;
	wait_for(server, connection, WAIT_DRAIN, true);
	connection->input_start = connection->input_length = 0;
}

static void response_done(struct server *server, struct connection *connection)
{
	connection->served = true;
	if (connection->response.close) {
		close_after_response(server, connection);
		return;
	}
	connection->state = CONNECTION_READING;
	connection->waiting = WAIT_NONE;
}

/* One send per piece, the head flagged MSG_MORE when content follows so
 * that the stack may put both in one segment; a multipart response loads
 * its next piece once one is sent. */
static void write_response(struct server *server, struct connection *connection)
{
	struct http_response *response = &connection->response;
	for (;;) {
		if (connection->buffer_sent == response->buffer_length &&
		    connection->content_sent == response->content_length) {
			if (!http_response_next_piece(response))
				break;
			connection->buffer_sent = connection->content_sent = 0;
			continue;
		}
		bool head = connection->buffer_sent < response->buffer_length;
		const char *data = head ? response->buffer + connection->buffer_sent
					: (const char *)response->content + connection->content_sent;
		size_t length = head ? response->buffer_length - connection->buffer_sent
				     : response->content_length - connection->content_sent;
		int flags = MSG_NOSIGNAL | (head && response->content_length ? MSG_MORE : 0);
		ssize_t sent = send(connection->fd, data, length, flags);
		if (sent < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				connection_close(connection);
			return;
		}
		*(head ? &connection->buffer_sent : &connection->content_sent) += (size_t)sent;
		wait_for(server, connection, WAIT_SEND, true);
	}
	response_done(server, connection);
}

/* The response to a parsed request, or the error its body's framing or
 * size calls for. */
static void answer(struct server *server, struct connection *connection, const struct http_request *request)
{
	connection->input_start += request->head_length;
	int status = request_body_start(connection, request, server->config.client_max_body_size);
	if (status)
		http_respond_error(status, false, true, &server->clock, &connection->response);
	else
		http_respond(request, &server->clock, &connection->response);
}

/* Answers every complete request buffered, in order, while the previous
 * response could be sent in full. */
static void process_requests(struct server *server, struct connection *connection, bool received)
{
	while (connection->state == CONNECTION_READING) {
		enum request_body_progress body = request_body_discard(connection);
		if (body == REQUEST_BODY_FAILED) {
			close_after_response(server, connection); /* the framing is lost */
			return;
		}
		if (body == REQUEST_BODY_PENDING || connection->input_start == connection->input_length)
			break;
		struct http_request request;
		int status = 0;
		enum http_parse_result result = http_request_parse(connection->input + connection->input_start,
								   connection->input_length - connection->input_start,
								   &request, &status);
		if (result == HTTP_PARSE_INCOMPLETE)
			break;
		if (result == HTTP_PARSE_ERROR) {
			/* What follows cannot be framed: answer, then close. */
			http_respond_error(status, false, true, &server->clock, &connection->response);
			connection->input_start = connection->input_length;
		} else {
			answer(server, connection, &request);
		}
		connection->state = CONNECTION_WRITING;
		connection->buffer_sent = connection->content_sent = 0;
		wait_for(server, connection, WAIT_SEND, true);
		write_response(server, connection);
	}
	if (connection->state == CONNECTION_READING && connection->peer_closed)
		connection_close(connection);
	update_read_deadline(server, connection, received);
}

static void read_requests(struct server *server, struct connection *connection)
{
	if (!connection_prepare_input(connection, server->read_buffer, sizeof(server->read_buffer))) {
		connection_close(connection);
		return;
	}
	ssize_t received = recv(connection->fd, connection->input + connection->input_length,
				connection->input_capacity - connection->input_length, 0);
	if (received > 0)
		connection->input_length += (size_t)received;
	else if (received == 0)
		connection->peer_closed = true;
	else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		connection_close(connection);
	if (connection->state != CONNECTION_CLOSED)
		process_requests(server, connection, received > 0);
	connection_keep_leftover_input(connection);
}

/* A closing connection: discard what arrives until the client closes. */
static void drain(struct server *server, struct connection *connection)
{
	ssize_t received = recv(connection->fd, server->read_buffer, sizeof(server->read_buffer), 0);
	if (received == 0 || (received < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		connection_close(connection);
}

static void handle_event(struct server *server, struct connection *connection, short revents)
{
	if (connection->state == CONNECTION_WRITING && (revents & (POLLOUT | POLLERR | POLLHUP))) {
		write_response(server, connection);
		if (connection->state == CONNECTION_READING) {
			process_requests(server, connection, false);
			connection_keep_leftover_input(connection);
		}
	} else if (connection->state == CONNECTION_READING && (revents & (POLLIN | POLLERR | POLLHUP))) {
		read_requests(server, connection);
	} else if (connection->state == CONNECTION_DRAINING && (revents & (POLLIN | POLLERR | POLLHUP))) {
		drain(server, connection);
	}
}

static bool accept_failure_is_transient(int error)
{
	return error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED;
}

static void accept_connections(struct server *server)
{
	while (server->count < server->config.max_connections) {
		int fd = accept(server->listen_fd, NULL, NULL);
		if (fd < 0) {
			if (errno == ECONNABORTED)
				continue;
			if (!accept_failure_is_transient(errno)) {
				if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS && errno != ENOMEM)
					printf("httpd: accept: %s\n", strerror(errno));
				server->accept_paused_until_ns = server->now_ns + ACCEPT_PAUSE_NS;
			}
			return;
		}
		struct connection *connection = calloc(1, sizeof(*connection));
		if (!connection) {
			close(fd);
			server->accept_paused_until_ns = server->now_ns + ACCEPT_PAUSE_NS;
			return;
		}
		int one = 1;
		fcntl(fd, F_SETFL, O_NONBLOCK);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		connection->fd = fd;
		connection->state = CONNECTION_READING;
		wait_for(server, connection, WAIT_HEAD, true);
		server->connections[server->count++] = connection;
		read_requests(server, connection); /* the request often came with the handshake */
	}
}

static short events_for(const struct connection *connection)
{
	return connection->state == CONNECTION_WRITING ? POLLOUT : POLLIN;
}

/* Fills the poll set; returns poll()'s timeout: until the next deadline. */
static int prepare_poll(struct server *server)
{
	uint64_t next_deadline = UINT64_MAX;
	bool accepting = server->count < server->config.max_connections &&
			 server->now_ns >= server->accept_paused_until_ns;
	server->pollfds[0] = (struct pollfd){ accepting ? server->listen_fd : -1, POLLIN, 0 };
	if (!accepting && server->count < server->config.max_connections)
		next_deadline = server->accept_paused_until_ns;
	for (unsigned i = 0; i < server->count; i++) {
		struct connection *connection = server->connections[i];
		server->pollfds[i + 1] = (struct pollfd){ connection->fd, events_for(connection), 0 };
		if (connection->deadline_ns < next_deadline)
			next_deadline = connection->deadline_ns;
	}
	if (next_deadline == UINT64_MAX)
		return -1;
	if (next_deadline <= server->now_ns)
		return 0;
	return (int)((next_deadline - server->now_ns + NS_PER_MILLISECOND - 1) / NS_PER_MILLISECOND);
}

/* Closes timed-out connections and drops closed ones from the table. */
static void sweep_connections(struct server *server)
{
	for (unsigned i = 0; i < server->count;) {
		struct connection *connection = server->connections[i];
		if (connection->state == CONNECTION_WRITING && server->now_ns >= connection->deadline_ns)
			connection_abort(connection);
		else if (connection->state != CONNECTION_CLOSED && server->now_ns >= connection->deadline_ns)
			connection_close(connection);
		if (connection->state == CONNECTION_CLOSED) {
			free(connection);
			server->connections[i] = server->connections[--server->count];
		} else {
			i++;
		}
	}
}

static int open_listener(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		printf("httpd: socket: %s\n", strerror(errno));
		return -1;
	}
	int one = 1;
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
	address.sin_addr.s_addr = htonl(INADDR_ANY);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		printf("httpd: cannot listen on port %u: %s\n", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int server_run(const struct server_config *config)
{
	struct server *server = calloc(1, sizeof(*server));
	if (!server)
		return 1;
	server->config = *config;
	server->connections = calloc(config->max_connections, sizeof(*server->connections));
	server->pollfds = calloc(config->max_connections + 1, sizeof(*server->pollfds));
	server->date_second = (time_t)-1;
	server->listen_fd = open_listener(config->port);
	if (!server->connections || !server->pollfds || server->listen_fd < 0)
		return 1;
	for (;;) {
		update_clock(server);
		int timeout_ms = prepare_poll(server);
		unsigned polled = server->count;
		int ready = poll(server->pollfds, polled + 1, timeout_ms);
		if (ready < 0 && errno != EINTR) {
			printf("httpd: poll: %s\n", strerror(errno));
			return 1;
		}
		update_clock(server);
		for (unsigned i = 0; ready > 0 && i < polled; i++)
			if (server->pollfds[i + 1].revents)
				handle_event(server, server->connections[i], server->pollfds[i + 1].revents);
		if (ready > 0 && server->pollfds[0].revents)
			accept_connections(server);
		sweep_connections(server);
	}
}
