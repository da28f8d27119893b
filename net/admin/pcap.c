/* pcap.c - GET /pcap?dev=eth0&count=N&seconds=S[&proto=tcp|udp|icmp]
 * [&host=A.B.C.D][&port=P]: a capture from inside the image (the capture
 * core, net/core/capture.h) streamed as a libpcap file with
 * "Connection: close" and no length: the end of the capture closes the
 * connection. One capture at a time (503 while one runs; 501 when the
 * image cannot capture). The output buffer is refilled from the capture
 * each time the socket has taken it all: a slow reader leaves frames in
 * the capture's own bounded buffer, which drops (and counts) rather than
 * stall the packet path. The client going away ends the capture. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/time/clock.h"
#include "net/admin/internal.h"
#include "net/core/capture.h"
#include "net/core/netdev.h"

#define COUNT_DEFAULT 100
#define COUNT_MAX 1000000
#define SECONDS_DEFAULT 10
#define SECONDS_MAX 3600
#define VALUE_MAX 32

struct pcap_query {
	struct netdev *dev;           /* NULL: every device */
	struct capture_filter filter;
	uint32_t count;
	uint32_t seconds;
};

static struct admin_connection *capture_owner;
/* The one parameter error answered 404 (the device is a resource), told apart by its address. */
static const char no_such_device[] = "no such device";

static bool parse_number(const char *text, unsigned long minimum, unsigned long maximum, unsigned long *number)
{
	char *end;
	*number = strtoul(text, &end, 10);
	return text[0] >= '0' && text[0] <= '9' && *end == '\0' && *number >= minimum && *number <= maximum;
}

static bool parse_protocol(const char *text, uint8_t *protocol)
{
	static const struct { const char *name; uint8_t number; } names[] = {
		{ "icmp", IPPROTO_ICMP }, { "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(text, names[i].name) == 0) {
			*protocol = names[i].number;
			return true;
		}
	}
	unsigned long number;
	if (!parse_number(text, 1, 255, &number))
		return false;
	*protocol = (uint8_t)number;
	return true;
}

/* One key=value; false (with *error set) when it is not understood. */
static bool apply_parameter(const char *key, const char *value, struct pcap_query *query, const char **error)
{
	unsigned long number;
	struct in_addr address;
	if (strcmp(key, "dev") == 0) {
		query->dev = netdev_find(value);
		*error = query->dev ? NULL : no_such_device;
	} else if (strcmp(key, "count") == 0) {
		*error = parse_number(value, 1, COUNT_MAX, &number) ? NULL : "count is 1..1000000";
		query->count = (uint32_t)number;
	} else if (strcmp(key, "seconds") == 0) {
		*error = parse_number(value, 1, SECONDS_MAX, &number) ? NULL : "seconds is 1..3600";
		query->seconds = (uint32_t)number;
	} else if (strcmp(key, "proto") == 0) {
		*error = parse_protocol(value, &query->filter.ip_protocol) ? NULL : "proto is tcp, udp, icmp or 1..255";
	} else if (strcmp(key, "host") == 0) {
		*error = inet_pton(AF_INET, value, &address) == 1 ? NULL : "host is an IPv4 address";
		query->filter.host = address.s_addr;
	} else if (strcmp(key, "port") == 0) {
		*error = parse_number(value, 1, 65535, &number) ? NULL : "port is 1..65535";
		query->filter.port = (uint16_t)number;
	} else {
		*error = "unknown parameter (dev, count, seconds, proto, host, port)";
	}
	return *error == NULL;
}

/* key=value pairs separated by '&'; values are plain (no percent-encoding needed). */
static bool parse_query(const char *text, size_t length, struct pcap_query *query, const char **error)
{
	*query = (struct pcap_query){ .count = COUNT_DEFAULT, .seconds = SECONDS_DEFAULT };
	while (length) {
		const char *amp = memchr(text, '&', length);
		size_t pair = amp ? (size_t)(amp - text) : length;
		const char *equals = memchr(text, '=', pair);
		char key[VALUE_MAX], value[VALUE_MAX];
		size_t key_length = equals ? (size_t)(equals - text) : 0;
		size_t value_length = equals ? pair - key_length - 1 : 0;
		if (!equals || key_length == 0 || key_length >= VALUE_MAX || value_length == 0 || value_length >= VALUE_MAX) {
			*error = "parameters are key=value";
			return false;
		}
		memcpy(key, text, key_length);
		key[key_length] = '\0';
		memcpy(value, equals + 1, value_length);
		value[value_length] = '\0';
		if (!apply_parameter(key, value, query, error))
			return false;
		text += amp ? pair + 1 : pair;
		length -= amp ? pair + 1 : pair;
	}
	return true;
}

void admin_pcap_request(struct admin_connection *connection, const struct http_request *request)
{
	struct pcap_query query;
	const char *error = NULL;
	if (!parse_query(request->query, request->query_length, &query, &error)) {
		admin_refuse(connection, error == no_such_device ? ADMIN_REFUSED_NOT_FOUND : ADMIN_REFUSED_BAD_REQUEST,
			     request->keep_alive, "", error);
		return;
	}
	int started = capture_owner ? -EBUSY
				    : capture_start(query.dev, &query.filter, query.count,
						    (uint64_t)query.seconds * NSEC_PER_SEC);
	if (started == -EBUSY) {
		admin_refuse(connection, ADMIN_REFUSED_CAPTURE_BUSY, request->keep_alive, "Retry-After: 5\r\n",
			     "another capture is running");
		return;
	}
	if (started == -EINVAL) {   /* the capture core's own check of the filter */
		admin_refuse(connection, ADMIN_REFUSED_BAD_REQUEST, request->keep_alive, "",
			     "a port matches only with proto tcp or udp");
		return;
	}
	if (started != 0) {
		admin_refuse(connection, ADMIN_REFUSED_NOT_IMPLEMENTED, request->keep_alive, "",
			     "packet capture is not available in this image");
		return;
	}
	capture_owner = connection;
	connection->stream = ADMIN_STREAM_PCAP;
	admin_respond_head(connection, 200, "Cache-Control: no-store\r\n", "application/vnd.tcpdump.pcap", false);
}

bool admin_pcap_refill(struct admin_connection *connection)
{
	size_t copied = capture_read(connection->output, sizeof(connection->output));
	connection->output_start = 0;
	connection->output_end = copied;
	if (copied == 0 && capture_finished()) {
		admin_pcap_abandon(connection);
		connection->close_when_sent = true;
	}
	return copied > 0;
}

void admin_pcap_abandon(struct admin_connection *connection)
{
	if (capture_owner != connection)
		return;
	capture_stop();
	capture_owner = NULL;
	connection->stream = ADMIN_STREAM_NONE;
}
