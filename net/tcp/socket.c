/* socket.c - TCP's struct sock_protocol_ops (net/socket/sock.h) for
 * SOCK_STREAM, and a tcb's life: allocation, state changes, the move to
 * CLOSED, and the final free once neither the application nor the
 * protocol needs it (contract in net/tcp/internal.h).
 *
 * The protocol never blocks: close() queues the FIN and the tcb finishes
 * on its own as an orphan; with unread data or SO_LINGER 0 it aborts with
 * an RST instead (RFC 9293 3.10.4, RFC 2525 2.17, as Linux). For SO_LINGER
 * with a time, close_start/close_pending let the socket layer wait for the
 * FIN's acknowledgement before release (net/socket/linger.c). */
#include "net/tcp/internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel/core/image.h"
#include "kernel/time/clock.h"
#include "net/ipv4/interface.h"
#include "net/tcp/congestion.h"
#include "net/tcp/listen.h"
#include "net/tcp/sysctl.h"
#include "net/tcp/tcp.h"

#define KEEPALIVE_SECONDS_MAX 32767           /* Linux MAX_TCP_KEEPIDLE/INTVL */
#define KEEPALIVE_COUNT_MAX 127
#define CONGESTION_NAME_MAX 16                /* Linux TCP_CA_NAME_MAX */
#define RING_CAPACITY_MIN 2048u
#define TCP_ZERO_COPY_MIN_BYTES 1024u         /* smaller writes are copied (send_by_reference) */

static const char *const state_names[TCP_STATE_COUNT] = {
	[TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN", [TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECEIVED] = "SYN_RECV", [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN_WAIT1",
	[TCP_FIN_WAIT_2] = "FIN_WAIT2", [TCP_CLOSE_WAIT] = "CLOSE_WAIT", [TCP_CLOSING] = "CLOSING",
	[TCP_LAST_ACK] = "LAST_ACK", [TCP_TIME_WAIT] = "TIME_WAIT",
};
static unsigned state_counts[TCP_STATE_COUNT];   /* CLOSED not counted */
static struct tcp_sock *adopting;                /* accept(): the child create() takes over */

const char *tcp_state_name(enum tcp_state state)
{
	return (unsigned)state < TCP_STATE_COUNT ? state_names[state] : "?";
}

unsigned tcp_state_count(enum tcp_state state)
{
	return (unsigned)state < TCP_STATE_COUNT ? state_counts[state] : 0;
}

void tcp_set_state(struct tcp_sock *tcb, enum tcp_state state)
{
	if (tcb->state != TCP_CLOSED)
		state_counts[tcb->state]--;
	if (state != TCP_CLOSED)
		state_counts[state]++;
	tcb->state = state;
}

struct tcp_sock *tcp_sock_new(void)
{
	tcp_init();
	struct tcp_sock *tcb = calloc(1, sizeof(*tcb));
	if (tcb == NULL)
		return NULL;
	tcb->state = TCP_CLOSED;
	tcp_timer_init(tcb);
	tcp_small_queues_init(tcb);
	/* The ring holds payload only; Linux's default tcp_adv_win_scale gives
	 * half of tcp_rmem to payload, so the same knob gives the same window. */
	tcp_ring_init(&tcb->receive_buffer, tcp_rmem.initial / 2);
	tcp_send_queue_init(&tcb->send_buffer, tcp_wmem.initial);
	tcp_reassembly_init(&tcb->reassembly);
	tcb->mss = TCP_DEFAULT_MSS;
	tcb->advertised_mss = TCP_DEFAULT_MSS;
	tcb->congestion = tcp_congestion_default();
	return tcb;
}

void tcp_wake(struct tcp_sock *tcb)
{
	if (tcb->sk)
		sock_wake(tcb->sk);
	if (tcb->service_wake)
		tcb->service_wake(tcb);
}

void tcp_set_closed(struct tcp_sock *tcb, int error)
{
	if (tcb->state == TCP_CLOSED)
		return;
	bool was_listening = tcb->state == TCP_LISTEN;
	tcp_set_state(tcb, TCP_CLOSED);
	tcp_timer_stop_all(tcb);
	tcp_table_remove(tcb);
	tcp_listen_child_gone(tcb);
	if (was_listening)
		tcp_listen_close(tcb);
	tcp_send_queue_release(&tcb->send_buffer);
	if (tcb->sk == NULL)
		tcp_ring_release(&tcb->receive_buffer);  /* nobody will read it */
	tcp_reassembly_init(&tcb->reassembly);
	tcb->connect_pending = false;
	if (error) {
		tcb->error = error;
		if (tcb->sk)
			tcb->sk->pending_error = error;
	}
	tcp_wake(tcb);
}

void tcp_release_if_done(struct tcp_sock *tcb)
{
	if (tcb == NULL || tcb->state != TCP_CLOSED || tcb->sk || tcb->listener || tcb == adopting)
		return;
	tcp_timer_stop_all(tcb);
	tcp_table_remove(tcb);
	tcp_unbind(tcb);
	tcp_send_queue_release(&tcb->send_buffer);
	tcp_ring_release(&tcb->receive_buffer);
	if (!tcp_small_queues_hold(tcb))
		tcp_free(tcb);
}

void tcp_free(struct tcp_sock *tcb)
{
	timer_cancel(&tcb->small_queue_timer);
	free(tcb->listen);
	free(tcb);
}

static struct tcp_sock *tcb_of(struct sock *sk)
{
	return sk->protocol_state;
}

static int tcp_create(struct sock *sk)
{
	struct tcp_sock *tcb = adopting;
	if (tcb)
		adopting = NULL;
	else if ((tcb = tcp_sock_new()) == NULL)
		return -ENOBUFS;
	tcb->sk = sk;
	sk->protocol_state = tcb;
	return 0;
}

/* The FIN goes after the queued data (RFC 9293 3.10.4 CLOSE). */
static void queue_fin(struct tcp_sock *tcb)
{
	if (tcb->fin_queued)
		return;
	switch (tcb->state) {
	case TCP_SYN_RECEIVED:
		break;                                   /* sent once ESTABLISHED (tcp_handshake_completed) */
	case TCP_ESTABLISHED:
		tcp_set_state(tcb, TCP_FIN_WAIT_1);
		break;
	case TCP_CLOSE_WAIT:
		tcp_set_state(tcb, TCP_LAST_ACK);
		break;
	default:
		return;
	}
	tcb->fin_queued = true;
	tcp_output(tcb);
}

static void abort_connection(struct tcp_sock *tcb)
{
	if (tcp_state_synchronized(tcb->state) || tcb->state == TCP_SYN_RECEIVED)
		tcp_send_reset(tcb);
	tcp_set_closed(tcb, 0);
}

/* Whether closing resets instead of finishing in order: unread data would
 * be lost silently otherwise (RFC 2525 2.17), and SO_LINGER 0 asks for it. */
static bool close_aborts(struct sock *sk, struct tcp_sock *tcb)
{
	return tcb->receive_buffer.used > 0 || (sk->linger_on && sk->linger_seconds == 0);
}

/* While our FIN is unacknowledged: what close() with SO_LINGER waits for
 * (Linux's closing(): FIN_WAIT_1, CLOSING, LAST_ACK; an accepted
 * connection still in SYN_RECEIVED sends its FIN once established). Data
 * arriving after close() ends the wait: nobody will read it, so release()
 * resets, where Linux resets at once (tcp_rcv_state_process). */
static bool tcp_close_pending(struct sock *sk)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb == NULL || tcb->receive_buffer.used > 0)
		return false;
	switch (tcb->state) {
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		return true;
	case TCP_SYN_RECEIVED:
		return tcb->fin_queued;
	default:
		return false;
	}
}

/* The first half of tcp_release for a lingering close(): the FIN is
 * queued now, the socket stays attached until release. */
static bool tcp_close_start(struct sock *sk)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb == NULL || close_aborts(sk, tcb))
		return false;
	queue_fin(tcb);
	return tcp_close_pending(sk);
}

static void tcp_release(struct sock *sk)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb == NULL)
		return;
	bool abort = close_aborts(sk, tcb);
	sk->protocol_state = NULL;
	tcb->sk = NULL;
	tcb->orphan = true;
	tcb->service_wake = NULL;
	switch (tcb->state) {
	case TCP_CLOSED:
		break;
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		tcp_set_closed(tcb, 0);
		break;
	case TCP_TIME_WAIT:
		break;
	default:
		if (abort) {
			abort_connection(tcb);
			break;
		}
		queue_fin(tcb);
		if (tcb->state == TCP_FIN_WAIT_2)
			tcp_timer_set(tcb, TCP_TIMER_CLOSE, clock_monotonic_ns() + (uint64_t)tcp_fin_timeout * NSEC_PER_SEC);
		break;
	}
	tcp_release_if_done(tcb);
}

/* Any interface's address (the weak host model, as Linux). */
static bool address_is_ours(be32 address)
{
	return net_interface_with_address(address) != NULL;
}

static int tcp_bind(struct sock *sk, const struct sock_endpoint *local)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb->bound || tcb->state != TCP_CLOSED)
		return -EINVAL;
	if (local->address != 0 && !address_is_ours(local->address))
		return -EADDRNOTAVAIL;
	uint16_t port = ntohs(local->port);
	if (port == 0 && (port = tcp_ephemeral_port(local->address, 0, 0)) == 0)
		return -EADDRINUSE;
	return tcp_bind_port(tcb, local->address, port, sk->reuse_address);
}

static int tcp_listen(struct sock *sk, int backlog)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (!tcb->bound) {
		uint16_t port = tcp_ephemeral_port(0, 0, 0);
		if (port == 0 || tcp_bind_port(tcb, 0, port, sk->reuse_address) != 0)
			return -EADDRINUSE;
	}
	return tcp_listen_start(tcb, backlog);
}

static int tcp_accept(struct sock *sk, struct sock **accepted)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb->state != TCP_LISTEN)
		return -EINVAL;
	struct tcp_sock *child = tcp_listen_accept(tcb);
	if (child == NULL)
		return -EAGAIN;
	adopting = child;
	struct sock *child_sock = sock_allocate(sk->ops);
	adopting = NULL;
	if (child_sock == NULL) {
		/* Out of sockets: the connection goes (the peer sees an RST), as Linux does on ENFILE. */
		abort_connection(child);
		tcp_release_if_done(child);
		return -EMFILE;
	}
	child->sk = child_sock;
	if (child->error)
		child_sock->pending_error = child->error;
	*accepted = child_sock;
	return 0;
}

static int tcp_connect(struct sock *sk, const struct sock_endpoint *remote)
{
	struct tcp_sock *tcb = tcb_of(sk);
	switch (tcb->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return -EALREADY;
	case TCP_CLOSED:
		if (tcb->ever_connected)
			return tcb->error ? -tcb->error : -EISCONN;
		break;
	case TCP_LISTEN:
		return -EINVAL;
	default:
		return -EISCONN;
	}
	if (remote->address == 0 || remote->port == 0)
		return -EINVAL;
	return tcp_connect_start(tcb, remote->address, remote->port);
}

/* Reports a fatal error once (then EPIPE / end of stream, as Linux). */
static int take_error(struct tcp_sock *tcb)
{
	return tcb->sk ? sock_take_error(tcb->sk) : 0;
}

/* Linux's tcp_sndbuf_expand in spirit: room for two congestion windows. */
static void grow_send_buffer(struct tcp_sock *tcb)
{
	uint32_t capacity = tcb->send_buffer.capacity;
	if (tcb->send_buffer_locked || capacity >= tcp_wmem.maximum || capacity >= 2 * tcb->cwnd + 2u * tcb->mss)
		return;
	uint32_t grown = capacity * 2 < tcp_wmem.maximum ? capacity * 2 : tcp_wmem.maximum;
	tcp_send_queue_set_capacity(&tcb->send_buffer, grown);
}

/* Zero copy: bytes of the image's read-only data (httpd's embedded site)
 * never change, so the send buffer references them and the NIC reads them
 * in place, when the route's device takes multi-buffer pkts (pkt.h). Small
 * writes are copied: a span per few bytes would cost more than the copy. */
static bool send_by_reference(struct tcp_sock *tcb, const void *data, uint32_t length)
{
	if (tcb->tso_max_payload == 0 || length < TCP_ZERO_COPY_MIN_BYTES || !kernel_memory_immutable(data, length))
		return false;
	if (tcp_send_queue_append_reference(&tcb->send_buffer, data, length) != 0)
		return false;
	tcp_count_add(TCP_OUT_ZERO_COPY_BYTES, length);
	return true;
}

/* The heap could not grow the ring behind the send buffer (a small
 * machine: -m 4). As Linux under TCP memory pressure (sk_stream_wait_memory),
 * the writer waits for ACKs to drain what is queued rather than failing:
 * the buffer's size comes down to the storage it has, so the free space
 * (and POLLOUT) is what that storage holds; a later send tries to grow it
 * again. With nothing queued no ACK will free anything: the smallest
 * storage is tried, then ENOBUFS. Returns the bytes appended, -EAGAIN or
 * -ENOBUFS. */
static long send_within_storage(struct tcp_sock *tcb, const void *data, uint32_t length)
{
	struct tcp_send_queue *queue = &tcb->send_buffer;
	uint32_t room = queue->ring.allocated > queue->ring.written ? queue->ring.allocated - queue->ring.written : 0;
	if (room == 0 && queue->used == 0)
		room = TCP_RING_MIN_ALLOCATION;   /* nothing to wait for: the smallest storage */
	tcp_send_queue_set_capacity(queue, queue->used + room);
	uint32_t taken = length < room ? length : room;
	if (taken == 0)
		return -EAGAIN;
	if (tcp_send_queue_append_copy(queue, data, taken) != 0)
		return queue->used ? -EAGAIN : -ENOBUFS;
	return taken;
}

static long tcp_send(struct sock *sk, const void *data, size_t length, int flags, const struct sock_endpoint *to)
{
	struct tcp_sock *tcb = tcb_of(sk);
	switch (tcb->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return -EAGAIN;
	case TCP_CLOSED: {
		int error = take_error(tcb);
		return error ? -error : tcb->ever_connected ? -EPIPE : -ENOTCONN;
	}
	case TCP_LISTEN:
		return -ENOTCONN;
	default:
		return -EPIPE;                           /* FIN queued: shutdown(SHUT_WR) or closing */
	}
	if (tcb->fin_queued)
		return -EPIPE;
	if (tcp_send_queue_free_space(&tcb->send_buffer) < length)
		grow_send_buffer(tcb);
	uint32_t free = tcp_send_queue_free_space(&tcb->send_buffer);
	uint32_t taken = length < free ? (uint32_t)length : free;
	if (taken == 0)
		return -EAGAIN;
	if (!send_by_reference(tcb, data, taken) && tcp_send_queue_append_copy(&tcb->send_buffer, data, taken) != 0) {
		long appended = send_within_storage(tcb, data, taken);
		if (appended < 0)
			return appended;
		taken = (uint32_t)appended;
	}
	if (!(flags & MSG_MORE))
		tcp_output(tcb);
	return taken;
}

static long tcp_receive(struct sock *sk, void *buffer, size_t length, int flags, struct sock_endpoint *from)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (tcb->state == TCP_LISTEN)
		return -ENOTCONN;
	if (from) {
		from->address = tcb->remote_address;
		from->port = tcb->remote_port;
	}
	uint32_t available = tcb->receive_buffer.used;
	if (available && !tcb->read_shutdown) {
		uint32_t copied = length < available ? (uint32_t)length : available;
		tcp_ring_peek(&tcb->receive_buffer, 0, buffer, copied);
		if (!(flags & MSG_PEEK)) {
			tcp_ring_consume(&tcb->receive_buffer, copied);
			tcp_data_consumed(tcb, copied);
		}
		return copied;
	}
	if (tcb->fin_received || tcb->read_shutdown)
		return 0;
	if (tcb->state == TCP_CLOSED) {
		int error = take_error(tcb);
		return error ? -error : tcb->ever_connected ? 0 : -ENOTCONN;
	}
	return -EAGAIN;
}

static int tcp_shutdown(struct sock *sk, int how)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return -EINVAL;
	if (tcb->state == TCP_LISTEN && how != SHUT_WR) {
		tcp_set_closed(tcb, 0);                  /* Linux: shutdown of a listener stops it */
		return 0;
	}
	if (!tcp_state_synchronized(tcb->state) && tcb->state != TCP_SYN_RECEIVED)
		return -ENOTCONN;
	if (how != SHUT_WR)
		tcb->read_shutdown = true;
	if (how != SHUT_RD)
		queue_fin(tcb);
	tcp_wake(tcb);
	return 0;
}

static bool writable(const struct tcp_sock *tcb)
{
	if (tcb->state != TCP_ESTABLISHED && tcb->state != TCP_CLOSE_WAIT)
		return false;
	uint32_t free = tcp_send_queue_free_space(&tcb->send_buffer);
	return free > 0 && free >= tcb->send_buffer.capacity / 3;   /* Linux: free >= half of what is queued */
}

static short tcp_poll(struct sock *sk)
{
	struct tcp_sock *tcb = tcb_of(sk);
	short events = sk->pending_error ? POLLERR : 0;
	if (tcb->state == TCP_LISTEN)
		return (short)(events | (tcb->listen && tcb->listen->accept_head ? POLLIN : 0));
	if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED)
		return events;
	if (tcb->receive_buffer.used || tcb->fin_received || tcb->read_shutdown)
		events |= POLLIN;
	if (tcb->fin_received)
		events |= POLLRDHUP;
	if (tcb->state == TCP_CLOSED)
		events |= POLLHUP | POLLIN | POLLOUT;
	else if (writable(tcb) || tcb->fin_queued)
		events |= POLLOUT;                       /* after SHUT_WR, send fails at once: not blocking */
	return events;
}

static int int_option(const void *value, unsigned length, int *out)
{
	if (value == NULL || length < sizeof(int))
		return -EINVAL;
	memcpy(out, value, sizeof(int));
	return 0;
}

static uint32_t clamp_buffer(int value, const struct tcp_buffer_sizes *sizes)
{
	uint32_t size = value < 0 ? 0 : (uint32_t)value;
	if (size < RING_CAPACITY_MIN)
		size = RING_CAPACITY_MIN;
	return size > sizes->maximum ? sizes->maximum : size;
}

static int socket_level_option(struct tcp_sock *tcb, int name, int value)
{
	switch (name) {
	case SO_KEEPALIVE:
		tcp_keepalive_reset(tcb);
		return 0;
	case SO_RCVBUF:
		tcp_ring_set_capacity(&tcb->receive_buffer, clamp_buffer(value, &tcp_rmem));
		tcb->receive_buffer_locked = true;       /* as Linux: a set size stops autotuning */
		return 0;
	case SO_SNDBUF:
		tcp_send_queue_set_capacity(&tcb->send_buffer, clamp_buffer(value, &tcp_wmem));
		tcb->send_buffer_locked = true;
		return 0;
	default:
		return 0;                                /* the socket layer's own */
	}
}

static int keepalive_option(struct tcp_sock *tcb, int name, int value)
{
	int maximum = name == TCP_KEEPCNT ? KEEPALIVE_COUNT_MAX : KEEPALIVE_SECONDS_MAX;
	if (value < 1 || value > maximum)
		return -EINVAL;
	if (name == TCP_KEEPIDLE)
		tcb->keepalive_idle_s = (uint32_t)value;
	else if (name == TCP_KEEPINTVL)
		tcb->keepalive_interval_s = (uint32_t)value;
	else
		tcb->keepalive_count = (uint32_t)value;
	tcp_timer_clear(tcb, TCP_TIMER_KEEPALIVE);
	tcp_keepalive_reset(tcb);
	return 0;
}

static int tcp_setsockopt(struct sock *sk, int level, int name, const void *value, unsigned length)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (level == IPPROTO_TCP && name == TCP_CONGESTION) {
		char text[CONGESTION_NAME_MAX] = { 0 };
		memcpy(text, value, length < sizeof(text) - 1 ? length : sizeof(text) - 1);
		const struct tcp_congestion_ops *ops = tcp_congestion_find(text);
		if (ops == NULL)
			return -ENOENT;                      /* Linux's answer for an unknown algorithm */
		tcb->congestion = ops;
		ops->init(tcb);
		return 0;
	}
	int number;
	int error = int_option(value, length, &number);
	if (level == SOL_SOCKET)
		return error ? 0 : socket_level_option(tcb, name, number);
	if (level != IPPROTO_TCP)
		return -ENOPROTOOPT;
	if (error)
		return error;
	switch (name) {
	case TCP_NODELAY:
		tcb->nodelay = number != 0;
		if (tcb->nodelay)
			tcp_output(tcb);                     /* what Nagle held goes now */
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
		return keepalive_option(tcb, name, number);
	case TCP_MAXSEG:
		if (number < TCP_MIN_MSS || number > 0xFFFF)
			return -EINVAL;
		if (tcb->state == TCP_CLOSED && number < tcb->advertised_mss)
			tcb->advertised_mss = (uint16_t)number;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int put_int(void *value, unsigned *length, int number)
{
	if (value == NULL || length == NULL || *length < sizeof(int))
		return -EINVAL;
	memcpy(value, &number, sizeof(int));
	*length = sizeof(int);
	return 0;
}

static int tcp_getsockopt(struct sock *sk, int level, int name, void *value, unsigned *length)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (level == SOL_SOCKET) {
		if (name == SO_RCVBUF)
			return put_int(value, length, (int)tcb->receive_buffer.capacity);
		if (name == SO_SNDBUF)
			return put_int(value, length, (int)tcb->send_buffer.capacity);
		return -ENOPROTOOPT;
	}
	if (level != IPPROTO_TCP)
		return -ENOPROTOOPT;
	switch (name) {
	case TCP_NODELAY: return put_int(value, length, tcb->nodelay);
	case TCP_MAXSEG: return put_int(value, length, tcb->mss);
	case TCP_KEEPIDLE: return put_int(value, length, (int)(tcb->keepalive_idle_s ? tcb->keepalive_idle_s : (uint32_t)tcp_keepalive_time));
	case TCP_KEEPINTVL: return put_int(value, length, (int)(tcb->keepalive_interval_s ? tcb->keepalive_interval_s : (uint32_t)tcp_keepalive_intvl));
	case TCP_KEEPCNT: return put_int(value, length, (int)(tcb->keepalive_count ? tcb->keepalive_count : (uint32_t)tcp_keepalive_probes));
	case TCP_CONGESTION: {
		if (value == NULL || length == NULL)
			return -EINVAL;
		size_t size = strlen(tcb->congestion->name) + 1;
		size_t copied = size < *length ? size : *length;
		memcpy(value, tcb->congestion->name, copied);
		*length = (unsigned)copied;
		return 0;
	}
	default:
		return -ENOPROTOOPT;
	}
}

static int tcp_getname(struct sock *sk, struct sock_endpoint *endpoint, bool peer)
{
	struct tcp_sock *tcb = tcb_of(sk);
	if (!peer) {
		endpoint->address = tcb->local_address;
		endpoint->port = tcb->local_port;
		return 0;
	}
	if (tcb->state == TCP_CLOSED || tcb->state == TCP_LISTEN || tcb->remote_port == 0)
		return -ENOTCONN;
	endpoint->address = tcb->remote_address;
	endpoint->port = tcb->remote_port;
	return 0;
}

const struct sock_protocol_ops tcp_ops = {
	.type = SOCK_STREAM,
	.name = "tcp",
	.create = tcp_create,
	.release = tcp_release,
	.close_start = tcp_close_start,
	.close_pending = tcp_close_pending,
	.bind = tcp_bind,
	.listen = tcp_listen,
	.accept = tcp_accept,
	.connect = tcp_connect,
	.send = tcp_send,
	.receive = tcp_receive,
	.shutdown = tcp_shutdown,
	.poll = tcp_poll,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.getname = tcp_getname,
};
SOCK_PROTOCOL(SOCK_STREAM, &tcp_ops);
