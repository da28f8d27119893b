/* server.h - the event loop: one thread, one poll() over the listening
 * socket and every connection, non-blocking sockets throughout.
 *
 * Each connection reads into a buffer that grows up to the largest request
 * head, answers every complete request in it in order (pipelining), and
 * writes each response with as few send() calls as possible, the content
 * straight from the embedded site. It is closed after a response that says
 * so (after draining what the client still sends, so that it reads the
 * response before any reset), when the client closes, or after
 * idle_timeout_seconds without a complete request or any progress. */
#ifndef HTTPD_SERVER_H
#define HTTPD_SERVER_H

#include <stdint.h>

struct server_config {
	uint16_t port;
	unsigned max_connections;
	unsigned idle_timeout_seconds;
};

/* Runs until a fatal error; returns the exit status. */
int server_run(const struct server_config *config);

#endif
