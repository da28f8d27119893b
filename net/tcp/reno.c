/* reno.c - NewReno's congestion avoidance (RFC 5681 3.1): one SMSS
 * per window of acknowledged bytes (byte counting, RFC 3465 2.1), and
 * ssthresh = max(FlightSize / 2, 2 * SMSS) on congestion (eq. 4). */
#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"

static void reno_init(struct tcp_sock *tcb)
{
}

static void reno_avoid(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns)
{
	tcb->bytes_acked += acked;
	if (tcb->bytes_acked >= tcb->cwnd) {
		tcb->bytes_acked -= tcb->cwnd;
		tcb->cwnd += tcb->mss;
	}
}

static uint32_t reno_ssthresh(struct tcp_sock *tcb, uint64_t now_ns)
{
	uint32_t half = tcp_flight_size(tcb) / 2;
	return half > 2u * tcb->mss ? half : 2u * tcb->mss;
}

const struct tcp_congestion_ops tcp_reno_ops = {
	.name = "reno",
	.init = reno_init,
	.avoid = reno_avoid,
	.ssthresh = reno_ssthresh,
};
