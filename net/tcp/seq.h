/* seq.h - sequence number arithmetic (RFC 9293 section 3.4): sequence
 * numbers live in a 2^32 circle, so "a before b" means the signed distance
 * from b to a is negative. Valid while the numbers compared are less than
 * 2^31 apart, which window sizes (at most 2^30 with scaling, RFC 7323 2.3)
 * guarantee. */
#ifndef KEEL_NET_TCP_SEQ_H
#define KEEL_NET_TCP_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool tcp_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool tcp_seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool tcp_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool tcp_seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
static inline uint32_t tcp_seq_max(uint32_t a, uint32_t b) { return tcp_seq_gt(a, b) ? a : b; }
static inline uint32_t tcp_seq_min(uint32_t a, uint32_t b) { return tcp_seq_lt(a, b) ? a : b; }

/* low <= value < high, on the circle. */
static inline bool tcp_seq_in_range(uint32_t value, uint32_t low, uint32_t high)
{
	return tcp_seq_geq(value, low) && tcp_seq_lt(value, high);
}

#endif
