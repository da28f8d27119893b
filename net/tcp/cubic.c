/* cubic.c - CUBIC congestion avoidance (RFC 9438), in integers.
 *
 * Windows are in segments scaled by 1024 (SCALE); time in milliseconds.
 * W_cubic(t) = C * (t - K)^3 + W_max with C = 0.4 segments/s^3 (4.2),
 * K = cbrt(W_max * (1 - beta) / C) (eq. 2, the epoch starting at
 * beta * W_max), beta = 0.7 (4.6). The Reno-friendly estimate W_est grows by
 * alpha = 3 (1 - beta) / (1 + beta) segments per window (4.3) and wins
 * when larger. Fast convergence (4.7) lowers W_max when a flow's
 * plateau shrank. cwnd grows toward the target W_cubic(t + RTT) by
 * (target - cwnd) / cwnd per acked segment (4.4, 4.5), capped at 1.5x. */
#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"

#include "kernel/time/clock.h"

#define SCALE 1024u
#define BETA_NUMERATOR 7u                 /* beta_cubic = 7/10 */
#define BETA_DENOMINATOR 10u
#define FAST_CONVERGENCE_NUMERATOR 17u    /* (1 + beta) / 2 = 17/20 */
#define FAST_CONVERGENCE_DENOMINATOR 20u
#define ALPHA_SCALED 542u                 /* 3 * 0.3 / 1.7 = 0.5294 * 1024 */
/* K^3 in ms^3 per scaled segment: (1 - beta) / C * 1e9 / SCALE... with the
 * (1 - beta) factor applied to W_max - cwnd_epoch already, 1/C = 2.5. */
#define INVERSE_C_TIMES_10 25u
#define MS3_PER_S3 1000000000ull
#define TIME_LIMIT_MS 100000              /* |t - K| clamp: keeps the cube inside 63 bits */

/* Integer cube root (bisection on 64 bits; ~22 steps for our range). */
static uint64_t cube_root(uint64_t value)
{
	uint64_t low = 0, high = 2097152;     /* 2^21: (2^21)^3 = 2^63 */
	while (low < high) {
		uint64_t middle = (low + high + 1) / 2;
		if (middle * middle * middle <= value)
			low = middle;
		else
			high = middle - 1;
	}
	return low;
}

static uint32_t cwnd_scaled(const struct tcp_sock *tcb)
{
	return (uint32_t)((uint64_t)tcb->cwnd * SCALE / tcb->mss);
}

static void cubic_init(struct tcp_sock *tcb)
{
	tcb->cubic = (struct tcp_cubic){ 0 };
}

static void start_epoch(struct tcp_sock *tcb, uint64_t now_ns)
{
	struct tcp_cubic *cubic = &tcb->cubic;
	uint32_t cwnd = cwnd_scaled(tcb);
	cubic->epoch_start_ns = now_ns ? now_ns : 1;
	cubic->w_est = cwnd;
	cubic->cwnd_fraction = 0;
	if (cubic->w_max > cwnd) {
		uint64_t k_cubed_ms = (uint64_t)(cubic->w_max - cwnd) * INVERSE_C_TIMES_10 * MS3_PER_S3 / 10 / SCALE;
		cubic->k_ms = (uint32_t)cube_root(k_cubed_ms);
		cubic->origin = cubic->w_max;
	} else {
		cubic->k_ms = 0;
		cubic->origin = cwnd;
	}
}

/* W_cubic(t) in scaled segments, t in ms since the epoch. */
static uint32_t cubic_window(const struct tcp_cubic *cubic, uint64_t t_ms)
{
	int64_t offset = (int64_t)t_ms - cubic->k_ms;
	if (offset > TIME_LIMIT_MS)
		offset = TIME_LIMIT_MS;
	if (offset < -TIME_LIMIT_MS)
		offset = -TIME_LIMIT_MS;
	/* C * offset^3 in scaled segments: 0.4 * 1024 * offset^3 / 1e9. */
	int64_t delta = offset * offset * offset / 1000 * 4 * SCALE / 10 / 1000000;
	int64_t window = (int64_t)cubic->origin + delta;
	return window < (int64_t)SCALE ? SCALE : (uint32_t)(window > UINT32_MAX ? UINT32_MAX : window);
}

static void cubic_avoid(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns)
{
	struct tcp_cubic *cubic = &tcb->cubic;
	if (cubic->epoch_start_ns == 0)
		start_epoch(tcb, now_ns);
	uint32_t cwnd = cwnd_scaled(tcb);
	uint64_t rtt_ms = tcb->srtt_us / 1000;
	uint64_t t_ms = (now_ns - cubic->epoch_start_ns) / NSEC_PER_MSEC + rtt_ms;
	uint32_t target = cubic_window(cubic, t_ms);
	if (target > cwnd + cwnd / 2)
		target = cwnd + cwnd / 2;                 /* 4.4: at most 1.5x per RTT */
	cubic->w_est += (uint32_t)((uint64_t)ALPHA_SCALED * acked / tcb->cwnd);
	if (cubic->w_est > target)
		target = cubic->w_est;                    /* Reno-friendly region (4.3) */
	if (target <= cwnd)
		return;
	/* (target - cwnd) / cwnd segments per segment acked, accumulated in bytes. */
	cubic->cwnd_fraction += (uint32_t)((uint64_t)acked * (target - cwnd) / cwnd);
	while (cubic->cwnd_fraction >= tcb->mss) {
		cubic->cwnd_fraction -= tcb->mss;
		tcb->cwnd += tcb->mss;
	}
}

static uint32_t cubic_ssthresh(struct tcp_sock *tcb, uint64_t now_ns)
{
	struct tcp_cubic *cubic = &tcb->cubic;
	uint32_t cwnd = cwnd_scaled(tcb);
	if (cwnd < cubic->w_max)
		cubic->w_max = (uint32_t)((uint64_t)cwnd * FAST_CONVERGENCE_NUMERATOR / FAST_CONVERGENCE_DENOMINATOR);
	else
		cubic->w_max = cwnd;
	cubic->epoch_start_ns = 0;
	uint32_t reduced = (uint32_t)((uint64_t)tcb->cwnd * BETA_NUMERATOR / BETA_DENOMINATOR);
	return reduced > 2u * tcb->mss ? reduced : 2u * tcb->mss;
}

const struct tcp_congestion_ops tcp_cubic_ops = {
	.name = "cubic",
	.init = cubic_init,
	.avoid = cubic_avoid,
	.ssthresh = cubic_ssthresh,
};
