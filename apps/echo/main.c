/* echo - the Echo Protocol (RFC 862): every byte a TCP client sends comes
 * back to it, and every UDP datagram goes back to its sender, on port 7.
 * One thread, one poll() loop, non-blocking sockets; the same source builds
 * against glibc.
 *
 *   echo [--port=7] [--maxconn=64] [--linger=SECONDS]
 *
 * --linger sets SO_LINGER on every TCP connection: 0 closes with an RST,
 * N > 0 makes close() wait up to N seconds for the client to acknowledge
 * the last data and our FIN. SO_LINGER only waits on a blocking socket, so
 * the connection is made blocking just before that close(): the whole
 * server then waits with it, which is what the option is for (showing from
 * outside that close() lingers; tests/qemu/test_echo.py).
 *
 * Either protocol may be missing (its socket() fails): the other is still
 * served. A TCP client that sends faster than it reads is not read from
 * until its data went back (the window closes on it, not our memory). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ECHO_BUFFER 4096
#define DATAGRAM_MAX 65536
/* Datagrams answered per wake-up before the TCP clients get their turn. */
#define DATAGRAM_BATCH 64

struct echo_connection {
	int fd;
	char buffer[ECHO_BUFFER];
	size_t length, sent;       /* buffer[sent, length) still to send back */
};

static bool would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

static int open_socket(int type, unsigned port)
{
	const char *name = type == SOCK_STREAM ? "tcp" : "udp";
	int fd = socket(AF_INET, type, 0);
	if (fd < 0) {
		printf("echo: no %s: %s\n", name, strerror(errno));
		return -1;
	}
	int one = 1;
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	address.sin_addr.s_addr = htonl(INADDR_ANY);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0) || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		printf("echo: %s port %u: %s\n", name, port, strerror(errno));
		close(fd);
		return -1;
	}
	printf("echo: %s port %u\n", name, port);
	return fd;
}

static void echo_datagrams(int fd)
{
	static char datagram[DATAGRAM_MAX];
	for (int i = 0; i < DATAGRAM_BATCH; i++) {
		struct sockaddr_in sender;
		socklen_t sender_length = sizeof(sender);
		ssize_t length = recvfrom(fd, datagram, sizeof(datagram), 0, (struct sockaddr *)&sender, &sender_length);
		if (length < 0)
			return;
		sendto(fd, datagram, (size_t)length, 0, (struct sockaddr *)&sender, sender_length);
	}
}

/* Sends back what is pending, then reads more, for a few rounds (other
 * clients get their turn after that). Returns false when the connection
 * is finished. */
#define STREAM_ROUNDS 16
static bool echo_stream(struct echo_connection *connection)
{
	for (int round = 0; round < STREAM_ROUNDS; round++) {
		while (connection->sent < connection->length) {
			ssize_t sent = send(connection->fd, connection->buffer + connection->sent,
					    connection->length - connection->sent, MSG_NOSIGNAL);
			if (sent < 0)
				return would_block();
			connection->sent += (size_t)sent;
		}
		connection->sent = connection->length = 0;
		ssize_t received = recv(connection->fd, connection->buffer, sizeof(connection->buffer), 0);
		if (received == 0)
			return false;
		if (received < 0)
			return would_block();
		connection->length = (size_t)received;
	}
	return true;
}

/* Closes a client connection, with SO_LINGER when asked (see the top). */
static void close_stream(int fd, long linger_seconds)
{
	if (linger_seconds >= 0) {
		struct linger linger = { 1, (int)linger_seconds };
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
		if (linger_seconds > 0)
			fcntl(fd, F_SETFL, 0);
	}
	close(fd);
}

static void accept_clients(int listener, struct echo_connection **connections, unsigned *count, unsigned max)
{
	while (*count < max) {
		int fd = accept(listener, NULL, NULL);
		if (fd < 0)
			return;
		struct echo_connection *connection = calloc(1, sizeof(*connection));
		if (!connection) {
			close(fd);
			return;
		}
		fcntl(fd, F_SETFL, O_NONBLOCK);
		connection->fd = fd;
		connections[(*count)++] = connection;
	}
}

static void serve(int tcp, int udp, unsigned max_connections, long linger_seconds)
{
	struct echo_connection **connections = calloc(max_connections, sizeof(*connections));
	struct pollfd *fds = calloc(max_connections + 2, sizeof(*fds));
	unsigned count = 0;
	if (!connections || !fds)
		return;
	for (;;) {
		fds[0] = (struct pollfd){ count < max_connections ? tcp : -1, POLLIN, 0 };
		fds[1] = (struct pollfd){ udp, POLLIN, 0 };
		for (unsigned i = 0; i < count; i++)
			fds[i + 2] = (struct pollfd){ connections[i]->fd,
						      connections[i]->sent < connections[i]->length ? POLLOUT : POLLIN, 0 };
		unsigned polled = count;
		if (poll(fds, polled + 2, -1) < 0 && !would_block())
			return;
		for (unsigned i = polled; i-- > 0;) {
			if (fds[i + 2].revents == 0 || echo_stream(connections[i]))
				continue;
			close_stream(connections[i]->fd, linger_seconds);
			free(connections[i]);
			connections[i] = connections[--count];
		}
		if (fds[1].revents)
			echo_datagrams(udp);
		if (fds[0].revents)
			accept_clients(tcp, connections, &count, max_connections);
	}
}

int main(int argc, char **argv)
{
	unsigned long port = 7, max_connections = 64;
	long linger_seconds = -1;      /* -1: no SO_LINGER */
	for (int i = 1; i < argc; i++) {
		char *end = NULL;
		if (strncmp(argv[i], "--port=", 7) == 0)
			port = strtoul(argv[i] + 7, &end, 10);
		else if (strncmp(argv[i], "--maxconn=", 10) == 0)
			max_connections = strtoul(argv[i] + 10, &end, 10);
		else if (strncmp(argv[i], "--linger=", 9) == 0 && argv[i][9] >= '0' && argv[i][9] <= '9')
			linger_seconds = strtol(argv[i] + 9, &end, 10);
		if (!end || *end || port > 65535 || max_connections == 0 || linger_seconds > 3600) {
			printf("echo: bad argument '%s'\nusage: echo [--port=7] [--maxconn=64] [--linger=SECONDS]\n",
			       argv[i]);
			return 2;
		}
	}
	int tcp = open_socket(SOCK_STREAM, (unsigned)port);
	int udp = open_socket(SOCK_DGRAM, (unsigned)port);
	if (tcp < 0 && udp < 0)
		return 1;
	if (linger_seconds >= 0)
		printf("echo: SO_LINGER %ld s on every connection\n", linger_seconds);
	serve(tcp, udp, (unsigned)max_connections, linger_seconds);
	printf("echo: out of memory\n");
	return 1;
}
