/* server.h - the event loop: one thread, one poll() over the listening
 * socket and every connection, non-blocking sockets throughout.
 *
 * Each connection reads into a buffer that grows up to the largest request
 * head, answers every complete request in it in order (pipelining), reads
 * and discards request bodies (request_body.h), and writes each response
 * with as few send() calls as possible, the content straight from the
 * embedded site. It is closed after a response that says so (after
 * draining what the client still sends, so that it reads the response
 * before any reset), when the client closes, or when a timeout runs out.
 * The timeouts are nginx's, each in seconds:
 *   client_header_timeout  a request head must arrive within it, counted
 *                          from its first byte (from accept for the first)
 *   client_body_timeout    between two reads of a request body
 *   send_timeout           between two successful writes of a response; a
 *                          client whose receive window opens within it
 *                          keeps the response going, however slow it is
 *   keepalive_timeout      idle between two requests
 * Any of them closes the connection; a response abandoned half-sent is
 * closed with a reset, so that no client takes the truncation for its end. */
#ifndef HTTPD_SERVER_H
#define HTTPD_SERVER_H

#include <stdint.h>

struct server_config {
	uint16_t port;
	unsigned max_connections;
	unsigned long client_header_timeout, client_body_timeout, send_timeout, keepalive_timeout;
	unsigned long client_max_body_size;  /* bytes; 0: no limit */
};

/* Runs until a fatal error; returns the exit status. */
int server_run(const struct server_config *config);

#endif
