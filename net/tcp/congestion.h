/* congestion.h - the congestion control interface. Slow start and the
 * loss responses (fast retransmit/recovery, RTO) are common to every
 * algorithm (RFC 5681, RFC 6582, RFC 6675, in net/tcp/recovery.c); an
 * algorithm decides how cwnd grows in congestion avoidance and how far it
 * falls on a congestion event. Chosen per connection from keel.tcp.cc=
 * (reno or cubic, default cubic, as Linux) or TCP_CONGESTION. */
#ifndef KEEL_NET_TCP_CONGESTION_H
#define KEEL_NET_TCP_CONGESTION_H

#include <stdint.h>

struct tcp_sock;

struct tcp_congestion_ops {
	const char *name;
	void (*init)(struct tcp_sock *tcb);
	/* Congestion avoidance: acked bytes of new data acknowledged at now_ns. */
	void (*avoid)(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns);
	/* A congestion event: returns the new ssthresh (bytes). */
	uint32_t (*ssthresh)(struct tcp_sock *tcb, uint64_t now_ns);
};

extern const struct tcp_congestion_ops tcp_reno_ops;
extern const struct tcp_congestion_ops tcp_cubic_ops;

/* By name ("reno", "cubic"), or NULL. */
const struct tcp_congestion_ops *tcp_congestion_find(const char *name);
/* keel.tcp.cc, else cubic. */
const struct tcp_congestion_ops *tcp_congestion_default(void);
/* Sets the algorithm and the initial window (RFC 6928: 10 segments). */
void tcp_congestion_init(struct tcp_sock *tcb, const struct tcp_congestion_ops *ops);
/* New data acknowledged outside recovery: slow start or the algorithm. */
void tcp_congestion_on_ack(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns);

#endif
