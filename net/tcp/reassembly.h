/* reassembly.h - the out-of-order queue (RFC 9293 3.10.7.4 "seventh,
 * process the segment text"; RFC 5681 4.2 wants such data kept).
 *
 * Out-of-order bytes are not kept in their packets: they are copied at once
 * to their place in the receive ring (net/tcp/ring.h), so this queue only
 * remembers which sequence ranges beyond rcv_nxt hold data: a small sorted
 * array of disjoint, non-adjacent ranges. It is bounded twice: by the
 * receive window (no data beyond it is accepted) and by
 * TCP_REASSEMBLY_RANGES_MAX holes, beyond which a segment that would need
 * a new range is dropped. Each range remembers when it last grew, which
 * orders the SACK blocks (RFC 2018 4: the most recent first). */
#ifndef KEEL_NET_TCP_REASSEMBLY_H
#define KEEL_NET_TCP_REASSEMBLY_H

#include <stdint.h>

#include "net/tcp/options.h"

#define TCP_REASSEMBLY_RANGES_MAX 16

struct tcp_reassembly_range {
	uint32_t start, end;   /* [start, end) in sequence space */
	uint32_t stamp;        /* arrival order of the newest data in it */
};

struct tcp_reassembly {
	struct tcp_reassembly_range ranges[TCP_REASSEMBLY_RANGES_MAX];  /* sorted by start */
	unsigned count;
	uint32_t next_stamp;
};

static inline void tcp_reassembly_init(struct tcp_reassembly *queue) { queue->count = 0; queue->next_stamp = 0; }
/* Records [start, end) (start after rcv_nxt) as received. 0, or -1 when it
 * would need more ranges than the bound (nothing changed). */
int tcp_reassembly_add(struct tcp_reassembly *queue, uint32_t start, uint32_t end);
/* Removes the ranges that rcv_nxt reached and returns the new rcv_nxt
 * (the end of the data now contiguous). */
uint32_t tcp_reassembly_advance(struct tcp_reassembly *queue, uint32_t rcv_nxt);
/* The most recently changed ranges first, up to max; returns how many. */
unsigned tcp_reassembly_sack_blocks(const struct tcp_reassembly *queue, struct tcp_sack_block *blocks, unsigned max);
/* Bytes from rcv_nxt to the end of the last range (0 when empty). */
uint32_t tcp_reassembly_extent(const struct tcp_reassembly *queue, uint32_t rcv_nxt);

#endif
