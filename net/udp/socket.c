/* socket.c - SOCK_DGRAM sockets over UDP (contract in net/socket/sock.h).
 *
 * Binding follows Linux: ports are unique unless every socket sharing one
 * set SO_REUSEADDR (then the latest bind receives unicast); a wildcard
 * address overlaps every address. Unbound sockets get an ephemeral port
 * (32768-60999, Linux's ip_local_port_range) on their first send or connect.
 * connect() fixes the peer: only its datagrams are received, and send()
 * needs no address; connecting to address 0 port 0 (AF_UNSPEC) dissolves
 * it. The receive queue is bounded by twice SO_RCVBUF as Linux (default
 * net.core.rmem_default): a datagram is refused once the queue holds more
 * than that, so one datagram always fits an empty queue. Each datagram is
 * charged its pkt buffer (or its heap bytes). receive() returns one
 * datagram per call; what does not fit the caller's buffer is discarded,
 * and MSG_TRUNC returns the datagram's real length (Linux). A connected
 * socket takes hard ICMP errors about what it sent (port unreachable:
 * ECONNREFUSED) as its pending error, which the next send or receive
 * returns once (Linux's sk_err; errors go before queued data, as there). */
#include "net/udp/udp.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/arch/x86/cpu.h"
#include "kernel/core/sysctl.h"
#include "net/core/drop.h"
#include "net/socket/sock_diag.h"
#include "net/udp/internal.h"
#include "net/wire/udp.h"

#define EPHEMERAL_PORT_FIRST 32768
#define EPHEMERAL_PORT_LAST 60999

static int64_t udp_rmem_default = 212992;
SYSCTL_INTEGER("net.core.rmem_default", udp_rmem_default, 2048, 1ll << 30);

struct udp_sock {
	struct sock *sk;
	struct udp_sock *next;        /* on bound_sockets */
	bool bound, connected, shut_read, shut_write;
	struct sock_endpoint local, remote;
	uint64_t bind_sequence;       /* later binds win ties */
	struct udp_datagram *queue_head, *queue_tail;
	uint32_t queued_bytes;
	void (*data_ready)(struct sock *sk);
};

static struct udp_sock *bound_sockets;
static uint64_t bind_count;

static struct udp_sock *udp_of(struct sock *sk) { return sk->protocol_state; }

static int udp_create(struct sock *sk)
{
	struct udp_sock *udp = calloc(1, sizeof(*udp));
	if (udp == NULL)
		return -ENOBUFS;
	udp->sk = sk;
	sk->protocol_state = udp;
	return 0;
}

static void unbind(struct udp_sock *udp)
{
	for (struct udp_sock **link = &bound_sockets; *link; link = &(*link)->next) {
		if (*link == udp) {
			*link = udp->next;
			break;
		}
	}
	udp->bound = false;
}

static void purge_queue(struct udp_sock *udp)
{
	while (udp->queue_head) {
		struct udp_datagram *datagram = udp->queue_head;
		udp->queue_head = datagram->next;
		udp_datagram_free(datagram);
	}
	udp->queue_tail = NULL;
	udp->queued_bytes = 0;
}

static void udp_release(struct sock *sk)
{
	struct udp_sock *udp = udp_of(sk);
	if (udp->bound)
		unbind(udp);
	purge_queue(udp);
	free(udp);
	sk->protocol_state = NULL;
}

static bool port_conflicts(const struct sock *sk, be32 address, be16 port)
{
	for (const struct udp_sock *other = bound_sockets; other; other = other->next) {
		if (other->local.port != port)
			continue;
		bool overlap = other->local.address == 0 || address == 0 || other->local.address == address;
		if (overlap && !(other->sk->reuse_address && sk->reuse_address))
			return true;
	}
	return false;
}

static bool port_used(be16 port)
{
	for (const struct udp_sock *other = bound_sockets; other; other = other->next)
		if (other->local.port == port)
			return true;
	return false;
}

/* Linux picks a random start in the range and walks it. */
static be16 ephemeral_port(void)
{
	unsigned range = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
	unsigned start = (unsigned)(rdtsc() % range);
	for (unsigned i = 0; i < range; i++) {
		be16 port = htons((uint16_t)(EPHEMERAL_PORT_FIRST + (start + i) % range));
		if (!port_used(port))
			return port;
	}
	return 0;
}

/* Our address, the wildcard, or a broadcast we receive. */
static bool local_address_valid(be32 address)
{
	if (address == 0 || address == 0xFFFFFFFFu)
		return true;
	for (struct netdev *dev = netdev_first(); dev; dev = dev->next) {
		struct net_interface *interface = net_interface_of(dev);
		if (interface && (interface->address == address || net_interface_is_broadcast(interface, address)))
			return true;
	}
	return false;
}

static int bind_to(struct udp_sock *udp, be32 address, be16 port)
{
	if (!local_address_valid(address))
		return -EADDRNOTAVAIL;
	if (port == 0)
		port = ephemeral_port();
	if (port == 0 || port_conflicts(udp->sk, address, port))
		return -EADDRINUSE;
	udp->local = (struct sock_endpoint){ address, port };
	udp->bound = true;
	udp->bind_sequence = ++bind_count;
	udp->next = bound_sockets;
	bound_sockets = udp;
	return 0;
}

static int udp_bind(struct sock *sk, const struct sock_endpoint *local)
{
	struct udp_sock *udp = udp_of(sk);
	if (udp->bound)
		return -EINVAL;
	return bind_to(udp, local->address, local->port);
}

static int autobind(struct udp_sock *udp)
{
	return udp->bound ? 0 : bind_to(udp, 0, 0);
}

static int udp_listen(struct sock *sk, int backlog) { return -EOPNOTSUPP; }
static int udp_accept(struct sock *sk, struct sock **accepted) { return -EOPNOTSUPP; }

/* The address datagrams to destination leave from, or 0 without a route. */
static be32 source_address_for(be32 destination)
{
	be32 next_hop;
	struct net_interface *interface = net_route(destination, &next_hop);
	return interface ? interface->address : 0;
}

static int udp_connect(struct sock *sk, const struct sock_endpoint *remote)
{
	struct udp_sock *udp = udp_of(sk);
	if (remote->address == 0 && remote->port == 0) {      /* AF_UNSPEC: dissolve */
		udp->connected = false;
		return 0;
	}
	be32 source = source_address_for(remote->address);
	if (source == 0)
		return -ENETUNREACH;
	int result = autobind(udp);
	if (result != 0)
		return result;
	if (udp->local.address == 0)                          /* Linux fixes the source on connect */
		udp->local.address = source;
	udp->remote = *remote;
	udp->connected = true;
	return 0;
}

static long udp_send(struct sock *sk, const void *data, size_t length, int flags, const struct sock_endpoint *to)
{
	struct udp_sock *udp = udp_of(sk);
	int error = sock_take_error(sk);
	if (error)
		return -error;
	if (udp->shut_write)
		return -EPIPE;
	if (to == NULL && !udp->connected)
		return -EDESTADDRREQ;
	struct sock_endpoint destination = to ? *to : udp->remote;
	if (destination.port == 0)
		return -EINVAL;
	if (length > UDP_PAYLOAD_MAX)
		return -EMSGSIZE;
	int result = autobind(udp);
	if (result != 0)
		return result;
	struct sock_endpoint source = udp->local;
	if (source.address == 0 || source.address == 0xFFFFFFFFu || (ntohl(source.address) >> 28) == 0xE)
		source.address = source_address_for(destination.address);
	if (source.address == 0)
		return -ENETUNREACH;
	result = udp_output(&source, &destination, data, length);
	return result == 0 ? (long)length : result;
}

static void pop_datagram(struct udp_sock *udp)
{
	struct udp_datagram *datagram = udp->queue_head;
	udp->queue_head = datagram->next;
	if (udp->queue_head == NULL)
		udp->queue_tail = NULL;
	udp->queued_bytes -= datagram->charge;
	udp_datagram_free(datagram);
}

static long udp_receive(struct sock *sk, void *buffer, size_t length, int flags, struct sock_endpoint *from)
{
	struct udp_sock *udp = udp_of(sk);
	int error = sock_take_error(sk);
	if (error)
		return -error;
	struct udp_datagram *datagram = udp->queue_head;
	if (datagram == NULL)
		return udp->shut_read ? 0 : -EAGAIN;
	size_t copied = datagram->length < length ? datagram->length : length;
	memcpy(buffer, datagram->data, copied);
	long result = (flags & MSG_TRUNC) ? (long)datagram->length : (long)copied;
	if (from)
		*from = datagram->from;
	if (!(flags & MSG_PEEK))
		pop_datagram(udp);
	return result;
}

static int udp_shutdown(struct sock *sk, int how)
{
	struct udp_sock *udp = udp_of(sk);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	if (!udp->connected)
		return -ENOTCONN;                            /* Linux, for datagram sockets */
	udp->shut_read |= how != SHUT_WR;
	udp->shut_write |= how != SHUT_RD;
	sock_wake(sk);
	return 0;
}

static short udp_poll(struct sock *sk)
{
	struct udp_sock *udp = udp_of(sk);
	short events = 0;
	if (udp->queue_head || udp->shut_read)
		events |= POLLIN | POLLRDNORM;
	if (udp->shut_read)
		events |= POLLRDHUP;
	if (udp->shut_read && udp->shut_write)
		events |= POLLHUP;
	/* Datagrams are copied into pkts at once: there is always room to send. */
	if (!udp->shut_write)
		events |= POLLOUT | POLLWRNORM;
	if (sk->pending_error)
		events |= POLLERR;
	return events;
}

/* Twice SO_RCVBUF as set, as Linux stores it; net.core.rmem_default when unset. */
static uint32_t receive_limit(const struct sock *sk)
{
	return sk->receive_buffer > 0 ? 2u * (uint32_t)sk->receive_buffer : (uint32_t)udp_rmem_default;
}

static int udp_setsockopt(struct sock *sk, int level, int name, const void *value, unsigned length)
{
	/* SOL_SOCKET options live in struct sock, read when needed; UDP has no options of its own. */
	return level == SOL_SOCKET ? 0 : -ENOPROTOOPT;
}

static int udp_getsockopt(struct sock *sk, int level, int name, void *value, unsigned *length)
{
	if (level != SOL_SOCKET || (name != SO_RCVBUF && name != SO_SNDBUF) || *length < sizeof(int))
		return -ENOPROTOOPT;
	int size = name == SO_RCVBUF ? (int)receive_limit(sk)
				     : (sk->send_buffer > 0 ? 2 * sk->send_buffer : (int)udp_rmem_default);
	memcpy(value, &size, sizeof(size));
	*length = sizeof(size);
	return 0;
}

static int udp_getname(struct sock *sk, struct sock_endpoint *endpoint, bool peer)
{
	struct udp_sock *udp = udp_of(sk);
	if (peer && !udp->connected)
		return -ENOTCONN;
	*endpoint = peer ? udp->remote : udp->local;
	return 0;
}

/* Linux's compute_score, reduced to IPv4 without devices. */
static int match_score(const struct udp_sock *udp, be32 local, be32 remote, be16 remote_port)
{
	int score = 1;
	if (udp->local.address) {
		if (udp->local.address != local)
			return -1;
		score += 2;
	}
	if (udp->connected) {
		if (udp->remote.address != remote || udp->remote.port != remote_port)
			return -1;
		score += 4;
	}
	return score;
}

struct sock *udp_socket_lookup(be32 local, be16 local_port, be32 remote, be16 remote_port)
{
	const struct udp_sock *best = NULL;
	int best_score = -1;
	for (const struct udp_sock *udp = bound_sockets; udp; udp = udp->next) {
		if (udp->local.port != local_port || udp->shut_read)
			continue;
		int score = match_score(udp, local, remote, remote_port);
		if (score > best_score || (score == best_score && score >= 0 && udp->bind_sequence > best->bind_sequence)) {
			best = udp;
			best_score = score;
		}
	}
	return best_score >= 0 ? best->sk : NULL;
}

enum net_drop_reason udp_socket_enqueue(struct sock *sk, struct udp_datagram *datagram)
{
	struct udp_sock *udp = udp_of(sk);
	if (udp->queued_bytes > receive_limit(sk))
		return NET_DROP_UDP_RECEIVE_BUFFER_FULL;
	datagram->next = NULL;
	if (udp->queue_tail)
		udp->queue_tail->next = datagram;
	else
		udp->queue_head = datagram;
	udp->queue_tail = datagram;
	udp->queued_bytes += datagram->charge;
	sock_wake(sk);
	if (udp->data_ready)
		udp->data_ready(sk);
	return NET_DROP_NONE;
}

enum net_drop_reason udp_socket_error(struct sock *sk, int error, bool hard)
{
	/* Linux (no IP_RECVERR): only hard errors, only on a connected socket;
	 * an unconnected one cannot tell which of its peers the error is about. */
	if (!udp_of(sk)->connected || !hard)
		return NET_DROP_ICMP_ERROR_IGNORED;
	sk->pending_error = error;
	sock_wake(sk);
	if (udp_of(sk)->data_ready)
		udp_of(sk)->data_ready(sk);   /* in-kernel users learn of it as Linux's sk_error_report */
	return NET_DROP_NONE;
}

void udp_socket_set_data_ready(struct sock *sk, void (*callback)(struct sock *sk))
{
	udp_of(sk)->data_ready = callback;
}

const struct sock_protocol_ops udp_ops = {
	.type = SOCK_DGRAM,
	.name = "udp",
	.create = udp_create,
	.release = udp_release,
	.bind = udp_bind,
	.listen = udp_listen,
	.accept = udp_accept,
	.connect = udp_connect,
	.send = udp_send,
	.receive = udp_receive,
	.shutdown = udp_shutdown,
	.poll = udp_poll,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.getname = udp_getname,
};
SOCK_PROTOCOL(SOCK_DGRAM, &udp_ops);

/* ss's rows (net/socket/sock_diag.h): every bound socket, UNCONN unless
 * connected; Recv-Q is the bytes charged for queued datagrams. */
static void udp_diag_for_each(void (*visit)(const struct sock_diag_row *row, void *context), void *context)
{
	for (const struct udp_sock *udp = bound_sockets; udp; udp = udp->next) {
		struct sock_diag_row row = {
			.state = udp->connected ? SOCK_DIAG_ESTABLISHED : SOCK_DIAG_CLOSE,
			.receive_queue = udp->queued_bytes,
			.local = udp->local,
			.remote = udp->connected ? udp->remote : (struct sock_endpoint){ 0, 0 },
			.receive_allocated = udp->queued_bytes,
			.receive_buffer = udp->sk ? receive_limit(udp->sk) : (uint32_t)udp_rmem_default,
			.send_buffer = (uint32_t)udp_rmem_default,
		};
		visit(&row, context);
	}
}
SOCK_DIAG(udp, "udp", udp_diag_for_each);
