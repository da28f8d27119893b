/* listen.c - passive open (RFC 9293 3.10.7.2 LISTEN), the SYN and
 * accept queues (contract in net/tcp/listen.h), and SYN cookies' two ends:
 * the stateless SYN-ACK when the SYN queue is full, and the connection
 * made from a valid cookie in the final ACK. */
#include "net/tcp/listen.h"

#include <errno.h>
#include <stdlib.h>

#include "kernel/time/clock.h"
#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"
#include "net/tcp/sysctl.h"

/* Cookie ACKs are only looked for while cookies may be out there. */
#define COOKIE_VALIDITY_NS (3 * 64 * NSEC_PER_SEC)

static uint64_t last_cookie_sent_ns;

int tcp_listen_start(struct tcp_sock *tcb, int backlog)
{
	if (tcb->state != TCP_CLOSED && tcb->state != TCP_LISTEN)
		return -EINVAL;
	if (tcb->listen == NULL) {
		tcb->listen = calloc(1, sizeof(*tcb->listen));
		if (tcb->listen == NULL)
			return -ENOBUFS;
	}
	/* Linux: the backlog is capped at somaxconn; a backlog of 0 still
	 * queues one connection (the queue is full when it holds more). */
	int64_t limit = backlog < 0 ? 0 : backlog;
	if (limit > tcp_somaxconn)
		limit = tcp_somaxconn;
	tcb->listen->limit = (unsigned)limit;
	tcp_set_state(tcb, TCP_LISTEN);
	return 0;
}

static bool accept_queue_full(const struct tcp_listen_queue *queue)
{
	return queue->accept_count > queue->limit;
}

static bool syn_queue_full(const struct tcp_listen_queue *queue)
{
	return queue->syn_count >= (queue->limit ? queue->limit : 1);
}

static void unlink_syn(struct tcp_listen_queue *queue, struct tcp_sock *child)
{
	for (struct tcp_sock **link = &queue->syn_head; *link; link = &(*link)->queue_next) {
		if (*link == child) {
			*link = child->queue_next;
			queue->syn_count--;
			break;
		}
	}
	child->queue_next = NULL;
}

static void unlink_accept(struct tcp_listen_queue *queue, struct tcp_sock *child)
{
	struct tcp_sock *previous = NULL;
	for (struct tcp_sock *entry = queue->accept_head; entry; previous = entry, entry = entry->queue_next) {
		if (entry != child)
			continue;
		if (previous)
			previous->queue_next = entry->queue_next;
		else
			queue->accept_head = entry->queue_next;
		if (queue->accept_tail == entry)
			queue->accept_tail = previous;
		queue->accept_count--;
		break;
	}
	child->queue_next = NULL;
	child->in_accept_queue = false;
}

bool tcp_listen_child_established(struct tcp_sock *child)
{
	struct tcp_sock *listener = child->listener;
	struct tcp_listen_queue *queue = listener->listen;
	if (accept_queue_full(queue)) {
		tcp_drop(NULL, TCP_DROP_LISTEN_OVERFLOW);
		return false;                            /* as Linux (tcp_abort_on_overflow=0): stay SYN_RECEIVED */
	}
	unlink_syn(queue, child);
	child->in_accept_queue = true;
	child->queue_next = NULL;
	if (queue->accept_tail)
		queue->accept_tail->queue_next = child;
	else
		queue->accept_head = child;
	queue->accept_tail = child;
	queue->accept_count++;
	tcp_wake(listener);
	return true;
}

void tcp_listen_child_gone(struct tcp_sock *child)
{
	if (child->listener == NULL)
		return;
	if (child->in_accept_queue)
		unlink_accept(child->listener->listen, child);
	else
		unlink_syn(child->listener->listen, child);
	child->listener = NULL;
}

struct tcp_sock *tcp_listen_accept(struct tcp_sock *listener)
{
	struct tcp_listen_queue *queue = listener->listen;
	struct tcp_sock *child = queue ? queue->accept_head : NULL;
	if (child == NULL)
		return NULL;
	unlink_accept(queue, child);
	child->listener = NULL;
	return child;
}

/* Linux's inet_csk_listen_stop: established children nobody accepted are
 * reset, half-open ones forgotten. */
void tcp_listen_close(struct tcp_sock *listener)
{
	struct tcp_listen_queue *queue = listener->listen;
	if (queue == NULL)
		return;
	while (queue->accept_head) {
		struct tcp_sock *child = queue->accept_head;
		tcp_send_reset(child);
		tcp_set_closed(child, 0);               /* unlinks it */
		tcp_release_if_done(child);
	}
	while (queue->syn_head) {
		struct tcp_sock *child = queue->syn_head;
		tcp_set_closed(child, 0);
		tcp_release_if_done(child);
	}
	free(queue);
	listener->listen = NULL;
}

/* A child for a connection request; NULL (reason in seg->drop) on failure. */
static struct tcp_sock *child_create(struct tcp_sock *listener, struct tcp_segment *seg)
{
	struct tcp_sock *child = tcp_sock_new();
	if (child == NULL) {
		seg->drop = TCP_DROP_NO_MEMORY;
		return NULL;
	}
	child->local_address = seg->destination;
	child->local_port = seg->destination_port;
	child->remote_address = seg->source;
	child->remote_port = seg->source_port;
	/* What Linux children inherit from their listener at the TCP level. */
	child->congestion = listener->congestion;
	child->nodelay = listener->nodelay;
	child->service_wake = listener->service_wake;
	child->keepalive_idle_s = listener->keepalive_idle_s;
	child->keepalive_interval_s = listener->keepalive_interval_s;
	child->keepalive_count = listener->keepalive_count;
	if (listener->receive_buffer_locked) {
		tcp_ring_set_capacity(&child->receive_buffer, listener->receive_buffer.capacity);
		child->receive_buffer_locked = true;
	}
	if (listener->send_buffer_locked) {
		tcp_send_queue_set_capacity(&child->send_buffer, listener->send_buffer.capacity);
		child->send_buffer_locked = true;
	}
	if (tcp_route_setup(child) != 0 || tcp_table_insert(child) != 0) {
		seg->drop = TCP_DROP_TABLE_FULL;
		free(child);
		return NULL;
	}
	child->listener = listener;
	child->queue_next = listener->listen->syn_head;
	listener->listen->syn_head = child;
	listener->listen->syn_count++;
	child->ever_connected = true;
	tcp_set_state(child, TCP_SYN_RECEIVED);
	child->last_received_ns = seg->now_ns;
	return child;
}

/* The SYN-ACK of a cookie: only MSS can be remembered (net/tcp/syncookie.c). */
static void send_cookie(struct tcp_segment *seg)
{
	uint16_t mss;
	uint32_t cookie = tcp_syncookie_make(seg, &mss, seg->now_ns);
	struct tcp_sock scratch = { .local_address = seg->destination, .remote_address = seg->source };
	uint16_t our_mss = tcp_route_setup(&scratch) == 0 ? scratch.advertised_mss : TCP_DEFAULT_MSS;
	uint8_t options[TCP_OPTION_MSS_LENGTH] = { TCP_OPTION_MSS, TCP_OPTION_MSS_LENGTH, (uint8_t)(our_mss >> 8),
						   (uint8_t)our_mss };
	uint32_t window = tcp_rmem.initial / 2;
	tcp_send_stateless(seg, cookie, seg->seq + 1, TCP_FLAG_SYN | TCP_FLAG_ACK,
			   (uint16_t)(window > 0xFFFF ? 0xFFFF : window), options, sizeof(options));
	tcp_count(TCP_SYNCOOKIES_SENT);
	last_cookie_sent_ns = seg->now_ns ? seg->now_ns : 1;
}

static void receive_syn(struct tcp_sock *listener, struct tcp_segment *seg)
{
	struct tcp_listen_queue *queue = listener->listen;
	if (accept_queue_full(queue)) {
		seg->drop = TCP_DROP_LISTEN_OVERFLOW;   /* as Linux: nobody accepts, so no new ones */
		return;
	}
	if (tcp_syncookies == 2 || syn_queue_full(queue)) {
		if (tcp_syncookies)
			send_cookie(seg);
		else
			seg->drop = TCP_DROP_SYN_QUEUE_FULL;
		return;
	}
	struct tcp_sock *child = child_create(listener, seg);
	if (child == NULL)
		return;
	tcp_count(TCP_PASSIVE_OPENS);
	child->iss = tcp_isn(child->local_address, child->local_port, child->remote_address, child->remote_port,
			     seg->now_ns);
	child->snd_una = child->snd_nxt = child->snd_max = child->iss;
	child->send_buffer_seq = child->iss + 1;
	child->recover = child->iss;
	tcp_apply_syn_options(child, seg);
	tcp_send_syn(child);
}

/* The final ACK of a handshake we kept no state for. */
static void receive_cookie_ack(struct tcp_sock *listener, struct tcp_segment *seg)
{
	uint16_t mss = tcp_syncookie_check(seg, seg->now_ns);
	if (mss == 0) {
		tcp_count(TCP_SYNCOOKIES_FAILED);
		tcp_reset_reply(seg);
		seg->drop = TCP_DROP_BAD_COOKIE;
		return;
	}
	if (accept_queue_full(listener->listen)) {
		seg->drop = TCP_DROP_LISTEN_OVERFLOW;
		return;
	}
	struct tcp_sock *child = child_create(listener, seg);
	if (child == NULL)
		return;
	tcp_count(TCP_SYNCOOKIES_RECEIVED);
	tcp_count(TCP_PASSIVE_OPENS);
	child->iss = seg->ack - 1;
	child->snd_una = child->iss;
	child->snd_nxt = child->snd_max = child->iss + 1;
	child->send_buffer_seq = child->iss + 1;
	child->recover = child->iss;
	child->irs = seg->seq - 1;
	child->rcv_nxt = seg->seq;
	child->wscale_ok = child->sack_ok = child->timestamps_ok = false;
	child->rcv_wscale = child->snd_wscale = 0;
	child->peer_mss = mss;
	child->mss = tcp_mss_for_path(child);      /* also within a learned path MTU */
	child->snd_wnd = child->max_snd_wnd = seg->window;
	child->snd_wl1 = seg->seq;
	child->snd_wl2 = seg->ack;
	tcp_congestion_init(child, child->congestion);
	tcp_quick_ack_start(child);
	child->rcv_adv = child->rcv_nxt + tcp_receive_window(child);
	tcp_rcv_synchronized(child, seg);
	tcp_release_if_done(child);
}

void tcp_rcv_listen(struct tcp_sock *listener, struct tcp_segment *seg)
{
	if (seg->flags & TCP_FLAG_RST) {
		seg->drop = TCP_DROP_LISTEN_RST;
		return;
	}
	if (seg->flags & TCP_FLAG_ACK) {
		bool cookies_out = last_cookie_sent_ns && seg->now_ns - last_cookie_sent_ns < COOKIE_VALIDITY_NS;
		if (tcp_syncookies && cookies_out && !(seg->flags & TCP_FLAG_SYN)) {
			receive_cookie_ack(listener, seg);
			return;
		}
		tcp_reset_reply(seg);
		seg->drop = TCP_DROP_LISTEN_ACK;
		return;
	}
	if (!(seg->flags & TCP_FLAG_SYN)) {
		seg->drop = TCP_DROP_LISTEN_NO_SYN;
		return;
	}
	/* RFC 9293 3.10.7.2 would open and keep the FIN for later; no stack
	 * that opens connections sends SYN+FIN, only scanners fingerprinting
	 * us do, and Linux discards it: so do we (no SYN-ACK to tell them). */
	if (seg->flags & TCP_FLAG_FIN) {
		seg->drop = TCP_DROP_LISTEN_SYN_FIN;
		return;
	}
	receive_syn(listener, seg);
}
