/* internal.h - what the management port's files share (net/admin/): one
 * connection slot, the port's counters and the response writers. The
 * server (server.c) owns the slots and drives them from the kernel loop;
 * an endpoint (metrics.c, command.c, pcap.c) answers one parsed request by
 * filling the slot's output buffer, and a streaming endpoint refills it
 * each time the socket has taken everything. */
#ifndef KEEL_NET_ADMIN_INTERNAL_H
#define KEEL_NET_ADMIN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/admin/http_request.h"

struct sock;

/* The bounds: slots, the buffers each slot owns (static memory: 4 x 18.5
 * KiB), the request limits, the idle timeout. */
#define ADMIN_CONNECTIONS_MAX 4
#define ADMIN_HEAD_MAX 2048
#define ADMIN_BODY_MAX 512
#define ADMIN_INPUT_MAX (ADMIN_HEAD_MAX + ADMIN_BODY_MAX)
#define ADMIN_OUTPUT_MAX 16384
#define ADMIN_IDLE_TIMEOUT_SECONDS 10

/* Why the port refused or ended something, with the status it answers
 * (0: the connection is closed without an answer). One list makes the
 * counters, their names in /metrics and the status lines. */
#define ADMIN_REFUSALS(X) \
	X(ADMIN_REFUSED_AT_LIMIT, at_limit, 503)                 /* every slot busy: accepted, answered, closed */ \
	X(ADMIN_REFUSED_BAD_REQUEST, bad_request, 400)           /* malformed request line, field, query or body */ \
	X(ADMIN_REFUSED_UNAUTHORIZED, unauthorized, 401)         /* a state-changing command without the right token */ \
	X(ADMIN_REFUSED_FORBIDDEN, forbidden, 403)               /* a state-changing command and no keel.admin.token */ \
	X(ADMIN_REFUSED_NOT_FOUND, not_found, 404)               /* unknown path, or /pcap's device */ \
	X(ADMIN_REFUSED_METHOD, method_not_allowed, 405) \
	X(ADMIN_REFUSED_TIMEOUT, request_timeout, 408)           /* no complete request within the idle timeout */ \
	X(ADMIN_REFUSED_LENGTH_REQUIRED, length_required, 411)   /* POST without Content-Length */ \
	X(ADMIN_REFUSED_TOO_LARGE, content_too_large, 413) \
	X(ADMIN_REFUSED_URI_TOO_LONG, uri_too_long, 414) \
	X(ADMIN_REFUSED_HEADERS_TOO_LARGE, headers_too_large, 431) \
	X(ADMIN_REFUSED_NOT_IMPLEMENTED, not_implemented, 501)   /* Transfer-Encoding; capture not in this image */ \
	X(ADMIN_REFUSED_CAPTURE_BUSY, capture_busy, 503)         /* another /pcap is running */ \
	X(ADMIN_REFUSED_VERSION, version_not_supported, 505) \
	X(ADMIN_REFUSED_STALLED, stalled_reader, 0)              /* the client read nothing within the idle timeout */

#define ADMIN_REFUSAL_ENUMERATOR(constant, name, status) constant,
enum admin_refusal {
	ADMIN_REFUSALS(ADMIN_REFUSAL_ENUMERATOR)
	ADMIN_REFUSAL_COUNT
};

#define ADMIN_ENDPOINTS(X) \
	X(ADMIN_ENDPOINT_METRICS, "/metrics") \
	X(ADMIN_ENDPOINT_COMMAND, "/cmd") \
	X(ADMIN_ENDPOINT_PCAP, "/pcap")

#define ADMIN_ENDPOINT_ENUMERATOR(constant, path) constant,
enum admin_endpoint {
	ADMIN_ENDPOINTS(ADMIN_ENDPOINT_ENUMERATOR)
	ADMIN_ENDPOINT_COUNT
};

struct admin_stats {
	uint64_t accepted;                          /* connections given a slot */
	uint64_t requests[ADMIN_ENDPOINT_COUNT];    /* requests an endpoint answered (2xx, or its own refusal) */
	uint64_t refusals[ADMIN_REFUSAL_COUNT];
	uint64_t commands_changing;                 /* state-changing /cmd commands run (with the token) */
	unsigned open;                              /* slots in use now */
};
extern struct admin_stats admin_stats;

const char *admin_refusal_name(enum admin_refusal refusal);
const char *admin_endpoint_path(enum admin_endpoint endpoint);

enum admin_stream {
	ADMIN_STREAM_NONE,     /* answering whole responses; reading the next request */
	ADMIN_STREAM_METRICS,  /* /metrics: the body in pieces */
	ADMIN_STREAM_PCAP,     /* /pcap: the capture until it ends */
};

/* Where the /metrics body generator is (net/admin/metrics.c). */
struct admin_metrics_cursor {
	unsigned source, item;
};

struct admin_connection {
	struct sock *sk;                    /* NULL: the slot is free */
	char input[ADMIN_INPUT_MAX];
	size_t input_used;
	char output[ADMIN_OUTPUT_MAX];
	size_t output_start, output_end;    /* [start, end) not yet taken by the socket */
	bool close_when_sent;
	bool peer_finished;                 /* the client ended its side (FIN) */
	enum admin_stream stream;
	bool chunked;                       /* the stream is sent in HTTP/1.1 chunks */
	struct admin_metrics_cursor metrics;
	uint64_t deadline_ns;               /* the idle timeout */
};

/* Response writers (server.c). admin_respond puts a whole response (head
 * and body) in the output buffer; admin_respond_head only the head of a
 * streamed one (no Content-Length). extra_fields: "Name: value\r\n"
 * lines or "". */
void admin_respond(struct admin_connection *connection, int status, const char *extra_fields,
		   const char *content_type, const char *body, size_t body_length, bool keep_alive);
void admin_respond_head(struct admin_connection *connection, int status, const char *extra_fields,
			const char *content_type, bool keep_alive);
/* Counts refusal and answers with its status and a one-line body (closing
 * the connection when the request cannot be trusted to have ended). */
void admin_refuse(struct admin_connection *connection, enum admin_refusal refusal, bool keep_alive,
		  const char *extra_fields, const char *message);
const char *admin_status_text(int status);

/* The endpoints: each answers the request whose head (and body, for /cmd)
 * is at the start of connection->input. */
void admin_metrics_request(struct admin_connection *connection, const struct http_request *request);
void admin_command_request(struct admin_connection *connection, const struct http_request *request,
			   const char *body);
void admin_pcap_request(struct admin_connection *connection, const struct http_request *request);

/* The streams' refills, called when the output buffer is empty. They
 * return whether they produced anything; a stream that ended sets
 * connection->stream back to ADMIN_STREAM_NONE (and close_when_sent). */
bool admin_metrics_refill(struct admin_connection *connection);
bool admin_pcap_refill(struct admin_connection *connection);
/* The /pcap client went away (or the slot closes): the capture ends. */
void admin_pcap_abandon(struct admin_connection *connection);

/* The token check (command.c): whether the request carries
 * "Authorization: Bearer <keel.admin.token>", compared in constant time. */
bool admin_token_configured(void);
bool admin_request_authorized(const struct http_request *request);

#endif
