/* listen.h - a listener's two queues (as Linux): the SYN queue of
 * half-open children (SYN_RECEIVED) and the accept queue of established
 * ones not yet accepted, each bounded by min(listen() backlog,
 * net.core.somaxconn). A full SYN queue turns on SYN cookies (RFC 4987);
 * a full accept queue drops SYNs and final ACKs (the peer retries). */
#ifndef KEEL_NET_TCP_LISTEN_H
#define KEEL_NET_TCP_LISTEN_H

#include <stdint.h>

struct tcp_sock;
struct tcp_segment;

struct tcp_listen_queue {
	struct tcp_sock *syn_head;          /* SYN_RECEIVED children, newest first */
	unsigned syn_count;
	struct tcp_sock *accept_head, *accept_tail;
	unsigned accept_count;
	unsigned limit;                     /* min(backlog, somaxconn), at least 1 */
};

/* Makes tcb a listener (state LISTEN). 0 or -errno. */
int tcp_listen_start(struct tcp_sock *tcb, int backlog);
/* The oldest established child, taken off the accept queue, or NULL. */
struct tcp_sock *tcp_listen_accept(struct tcp_sock *listener);

#endif
