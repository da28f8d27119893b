/* server.c - the management port (issue 13): a small HTTP/1.1 server
 * inside the kernel, separate from the app, opt-in with
 * keel.admin=<address>:<port>.
 *
 * It owns a listening TCP socket opened through the socket layer's
 * protocol ops (no descriptor: the app's table is untouched) and
 * ADMIN_CONNECTIONS_MAX connection slots with fixed buffers
 * (net/admin/internal.h). The kernel loop runs it between device polls
 * (a loop_work, like the serial console), and one run does bounded work:
 * at most ACCEPT_BUDGET accepts and, per slot, one receive into the input
 * buffer, at most one request answered and one output buffer handed to
 * the socket. Nothing blocks: a socket that takes nothing is tried again
 * on a later step. A connection beyond the slots is accepted, answered
 * 503 and closed (counted as at_limit); one without a complete request,
 * or whose client reads nothing, for ADMIN_IDLE_TIMEOUT_SECONDS is closed
 * (request_timeout, stalled_reader). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/loop.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/admin/internal.h"
#include "net/core/service.h"
#include "net/socket/sock.h"

CMDLINE_KEY("keel.admin", "management port (HTTP /metrics, /cmd, /pcap) on ADDRESS:PORT; off when absent");

#define ACCEPT_BUDGET 8
#define LISTEN_BACKLOG 8
/* While a connection is open a timer wakes the loop for the idle timeout;
 * while a capture streams, often enough to keep up with its buffer. */
#define TICK_NS (100 * NSEC_PER_MSEC)
#define STREAM_TICK_NS (10 * NSEC_PER_MSEC)

static const struct sock_protocol_ops *tcp;
static struct sock *listener;
static struct admin_connection slots[ADMIN_CONNECTIONS_MAX];
static struct timer tick;

static uint64_t idle_deadline(void)
{
	return clock_monotonic_ns() + (uint64_t)ADMIN_IDLE_TIMEOUT_SECONDS * NSEC_PER_SEC;
}

/* What the client sent and nobody will read is read first: TCP answers a
 * close with unread data by a reset, which could reach the client before
 * the refusal it was sent (the lingering close of RFC 9112 9.6). */
static void discard_input(struct sock *sk)
{
	char scratch[256];
	for (unsigned reads = 0; reads < ADMIN_INPUT_MAX / sizeof(scratch); reads++)
		if (tcp->receive(sk, scratch, sizeof(scratch), 0, NULL) <= 0)
			return;
}

static void close_slot(struct admin_connection *connection)
{
	if (connection->stream == ADMIN_STREAM_PCAP)
		admin_pcap_abandon(connection);
	discard_input(connection->sk);
	sock_free_unaccepted(connection->sk);   /* tcp release: FIN after what is queued (RST with unread data) */
	connection->sk = NULL;
	admin_stats.open--;
}

static const char at_limit_response[] =
	"HTTP/1.1 503 Service Unavailable\r\nServer: keel-admin\r\nContent-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 44\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
	"503 Service Unavailable: every slot is busy\n";

static struct admin_connection *free_slot(void)
{
	for (unsigned i = 0; i < ADMIN_CONNECTIONS_MAX; i++)
		if (!slots[i].sk)
			return &slots[i];
	return NULL;
}

/* Field by field: the buffers need no clearing (and a whole-struct
 * literal would be 19 KiB of stack). */
static void open_slot(struct admin_connection *connection, struct sock *child)
{
	connection->sk = child;
	connection->input_used = 0;
	connection->output_start = connection->output_end = 0;
	connection->close_when_sent = false;
	connection->peer_finished = false;
	connection->stream = ADMIN_STREAM_NONE;
	connection->chunked = false;
	connection->metrics = (struct admin_metrics_cursor){ 0, 0 };
	connection->deadline_ns = idle_deadline();
}

static unsigned accept_connections(void)
{
	unsigned accepted = 0;
	struct sock *child;
	while (accepted < ACCEPT_BUDGET && tcp->accept(listener, &child) == 0) {
		accepted++;
		struct admin_connection *connection = free_slot();
		if (!connection) {
			admin_stats.refusals[ADMIN_REFUSED_AT_LIMIT]++;
			tcp->send(child, at_limit_response, sizeof(at_limit_response) - 1, 0, NULL);
			discard_input(child);
			sock_free_unaccepted(child);
			continue;
		}
		open_slot(connection, child);
		admin_stats.accepted++;
		admin_stats.open++;
	}
	return accepted;
}

/* Gives up on the connection: what was not sent is dropped, a stream
 * (a capture) ends, and the next step closes it. */
static void abandon(struct admin_connection *connection)
{
	if (connection->stream == ADMIN_STREAM_PCAP)
		admin_pcap_abandon(connection);
	connection->stream = ADMIN_STREAM_NONE;
	connection->output_start = connection->output_end = 0;
	connection->close_when_sent = true;
}

/* Hands the socket what it takes of the pending output. */
static unsigned flush_output(struct admin_connection *connection)
{
	size_t pending = connection->output_end - connection->output_start;
	if (pending == 0)
		return 0;
	long taken = tcp->send(connection->sk, connection->output + connection->output_start, pending, 0, NULL);
	if (taken <= 0) {
		if (taken != -EAGAIN)
			abandon(connection);
		return 0;
	}
	connection->output_start += (size_t)taken;
	if (connection->output_start == connection->output_end)
		connection->output_start = connection->output_end = 0;
	connection->deadline_ns = idle_deadline();
	return 1;
}

/* Reads what arrived; false when the connection failed. A client that
 * finished sending (end of stream) still gets its answers. */
static bool receive_input(struct admin_connection *connection, unsigned *done)
{
	size_t room = sizeof(connection->input) - connection->input_used;
	if (room == 0 || connection->peer_finished)
		return true;
	long received = tcp->receive(connection->sk, connection->input + connection->input_used, room, 0, NULL);
	if (received == -EAGAIN)
		return true;
	if (received < 0)
		return false;
	if (received == 0) {
		connection->peer_finished = true;
		return true;
	}
	if (connection->stream == ADMIN_STREAM_NONE)
		connection->input_used += (size_t)received;   /* while streaming, input is read and ignored */
	(*done)++;
	return true;
}

static int endpoint_of(const struct http_request *request)
{
	for (int endpoint = 0; endpoint < ADMIN_ENDPOINT_COUNT; endpoint++) {
		const char *path = admin_endpoint_path((enum admin_endpoint)endpoint);
		if (request->path_length == strlen(path) && memcmp(request->path, path, request->path_length) == 0)
			return endpoint;
	}
	return -1;
}

static void dispatch(struct admin_connection *connection, const struct http_request *request, const char *body)
{
	int endpoint = endpoint_of(request);
	if (endpoint < 0) {
		admin_refuse(connection, ADMIN_REFUSED_NOT_FOUND, request->keep_alive, "", "try /metrics, /cmd or /pcap");
		return;
	}
	bool post = endpoint == ADMIN_ENDPOINT_COMMAND;
	if (request->method != (post ? HTTP_METHOD_POST : HTTP_METHOD_GET)) {
		admin_refuse(connection, ADMIN_REFUSED_METHOD, request->keep_alive, post ? "Allow: POST\r\n" : "Allow: GET\r\n",
			     NULL);
		return;
	}
	admin_stats.requests[endpoint]++;
	if (endpoint == ADMIN_ENDPOINT_METRICS)
		admin_metrics_request(connection, request);
	else if (endpoint == ADMIN_ENDPOINT_COMMAND)
		admin_command_request(connection, request, body);
	else
		admin_pcap_request(connection, request);
}

static enum admin_refusal refusal_for_status(int status)
{
	switch (status) {
	case 413: return ADMIN_REFUSED_TOO_LARGE;
	case 414: return ADMIN_REFUSED_URI_TOO_LONG;
	case 431: return ADMIN_REFUSED_HEADERS_TOO_LARGE;
	case 501: return ADMIN_REFUSED_NOT_IMPLEMENTED;
	case 505: return ADMIN_REFUSED_VERSION;
	default: return ADMIN_REFUSED_BAD_REQUEST;
	}
}

/* Answers the request at the start of the input when it is all there. */
static unsigned serve_request(struct admin_connection *connection)
{
	struct http_request request;
	int parsed = admin_http_parse(connection->input, connection->input_used, sizeof(connection->input),
					ADMIN_BODY_MAX, &request);
	if (parsed == HTTP_PARSE_INCOMPLETE)
		return 0;
	if (parsed != HTTP_PARSE_COMPLETE) {
		admin_refuse(connection, refusal_for_status(parsed), false, "", NULL);
		connection->input_used = 0;
		return 1;
	}
	if (request.method == HTTP_METHOD_POST && !request.has_content_length) {
		admin_refuse(connection, ADMIN_REFUSED_LENGTH_REQUIRED, false, "", NULL);
		connection->input_used = 0;
		return 1;
	}
	size_t whole = request.head_length + request.content_length;
	if (connection->input_used < whole)
		return 0;
	dispatch(connection, &request, connection->input + request.head_length);
	/* A pipelined next request moves to the front. */
	memmove(connection->input, connection->input + whole, connection->input_used - whole);
	connection->input_used -= whole;
	connection->deadline_ns = idle_deadline();
	return 1;
}

/* The idle timeout: a request not complete (or a response not read) in time. */
static void check_deadline(struct admin_connection *connection)
{
	if (clock_monotonic_ns() < connection->deadline_ns || connection->close_when_sent)
		return;
	bool reading = connection->output_end == connection->output_start && connection->stream == ADMIN_STREAM_NONE;
	if (reading && connection->input_used > 0)
		admin_refuse(connection, ADMIN_REFUSED_TIMEOUT, false, "", NULL);
	else if (!reading) {
		admin_refuse(connection, ADMIN_REFUSED_STALLED, false, "", NULL);
		abandon(connection);
	} else
		connection->close_when_sent = true;   /* an idle keep-alive connection: closed quietly */
}

static unsigned step_connection(struct admin_connection *connection)
{
	unsigned done = flush_output(connection);
	bool output_empty = connection->output_end == connection->output_start;
	bool gone = !receive_input(connection, &done) || (connection->peer_finished && connection->stream == ADMIN_STREAM_PCAP);
	if (gone || (output_empty && connection->close_when_sent && connection->stream == ADMIN_STREAM_NONE)) {
		close_slot(connection);
		return done + 1;
	}
	if (output_empty && connection->stream == ADMIN_STREAM_METRICS) {
		done += admin_metrics_refill(connection);
	} else if (output_empty && connection->stream == ADMIN_STREAM_PCAP) {
		done += admin_pcap_refill(connection);
		connection->deadline_ns = idle_deadline();   /* a quiet capture is not an idle client */
	} else if (output_empty) {
		unsigned served = serve_request(connection);
		done += served;
		/* Everything the finished client sent is answered: close once sent. */
		if (!served && connection->peer_finished)
			connection->close_when_sent = true;
	}
	done += flush_output(connection);
	check_deadline(connection);
	return done;
}

static unsigned admin_run(void)
{
	unsigned done = accept_connections();
	bool streaming = false;
	for (unsigned i = 0; i < ADMIN_CONNECTIONS_MAX; i++) {
		if (!slots[i].sk)
			continue;
		done += step_connection(&slots[i]);
		streaming |= slots[i].sk && slots[i].stream == ADMIN_STREAM_PCAP;
	}
	if (admin_stats.open && !tick.armed)
		timer_arm(&tick, clock_monotonic_ns() + (streaming ? STREAM_TICK_NS : TICK_NS));
	return done;
}

static bool never(void)
{
	return false;
}

static struct loop_work admin_work = {
	.name = "management port",
	.run = admin_run,
	.wants_short_sleep = never,
	.work_pending = never,
};

/* The tick only wakes the loop: admin_run does the work. */
static void tick_wake(struct timer *timer, void *context)
{
	(void)timer;
	(void)context;
}

/* "10.0.2.15:9100" (0.0.0.0: every address). */
static int parse_address(const char *text, struct sock_endpoint *endpoint)
{
	const char *colon = strrchr(text, ':');
	if (!colon || colon - text >= 16)
		return -1;
	char address[16];
	memcpy(address, text, (size_t)(colon - text));
	address[colon - text] = '\0';
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	struct in_addr parsed;
	if (*end != '\0' || end == colon + 1 || port == 0 || port > 65535 || inet_pton(AF_INET, address, &parsed) != 1)
		return -1;
	endpoint->address = parsed.s_addr;
	endpoint->port = htons((uint16_t)port);
	return 0;
}

static void admin_start(void)
{
	const char *setting = cmdline_get("keel.admin");
	struct sock_endpoint local;
	if (!setting || listener)
		return;
	if (parse_address(setting, &local) != 0) {
		pr_warn("admin: keel.admin=%s is not ADDRESS:PORT; the management port stays off\n", setting);
		return;
	}
	tcp = sock_protocol_for_type(SOCK_STREAM);
	listener = tcp ? sock_allocate(tcp) : NULL;
	if (!listener) {
		pr_warn("admin: no TCP socket; the management port stays off\n");
		return;
	}
	listener->reuse_address = true;
	if (tcp->bind(listener, &local) != 0 || tcp->listen(listener, LISTEN_BACKLOG) != 0) {
		pr_warn("admin: cannot listen on %s; the management port stays off\n", setting);
		sock_free_unaccepted(listener);
		listener = NULL;
		return;
	}
	timer_setup(&tick, tick_wake, NULL);
	kernel_loop_register(&admin_work);
	pr_info("admin: management port on %s (%u connections; %s)\n", setting, ADMIN_CONNECTIONS_MAX,
		admin_token_configured() ? "state-changing commands need the token"
					 : "no keel.admin.token: state-changing commands refused");
}

NET_SERVICE("management port", admin_start);
