/* reassembly.c - ranges of out-of-order data (contract in net/tcp/reassembly.h). */
#include "net/tcp/reassembly.h"

#include <string.h>

#include "net/tcp/seq.h"

static void remove_ranges(struct tcp_reassembly *queue, unsigned first, unsigned count)
{
	memmove(&queue->ranges[first], &queue->ranges[first + count],
		(queue->count - first - count) * sizeof(queue->ranges[0]));
	queue->count -= count;
}

int tcp_reassembly_add(struct tcp_reassembly *queue, uint32_t start, uint32_t end)
{
	if (!tcp_seq_lt(start, end))
		return 0;
	/* The first range that ends at or after start may touch the new one. */
	unsigned first = 0;
	while (first < queue->count && tcp_seq_lt(queue->ranges[first].end, start))
		first++;
	unsigned last = first;  /* one past the last range merged */
	while (last < queue->count && tcp_seq_leq(queue->ranges[last].start, end))
		last++;
	uint32_t stamp = queue->next_stamp++;
	if (last > first) {
		struct tcp_reassembly_range *merged = &queue->ranges[first];
		merged->start = tcp_seq_min(merged->start, start);
		merged->end = tcp_seq_max(queue->ranges[last - 1].end, end);
		merged->stamp = stamp;
		remove_ranges(queue, first + 1, last - first - 1);
		return 0;
	}
	if (queue->count == TCP_REASSEMBLY_RANGES_MAX)
		return -1;
	memmove(&queue->ranges[first + 1], &queue->ranges[first], (queue->count - first) * sizeof(queue->ranges[0]));
	queue->ranges[first] = (struct tcp_reassembly_range){ start, end, stamp };
	queue->count++;
	return 0;
}

uint32_t tcp_reassembly_advance(struct tcp_reassembly *queue, uint32_t rcv_nxt)
{
	unsigned reached = 0;
	while (reached < queue->count && tcp_seq_leq(queue->ranges[reached].start, rcv_nxt)) {
		rcv_nxt = tcp_seq_max(rcv_nxt, queue->ranges[reached].end);
		reached++;
	}
	remove_ranges(queue, 0, reached);
	return rcv_nxt;
}

unsigned tcp_reassembly_sack_blocks(const struct tcp_reassembly *queue, struct tcp_sack_block *blocks, unsigned max)
{
	bool taken[TCP_REASSEMBLY_RANGES_MAX] = { false };
	unsigned written = 0;
	while (written < max && written < queue->count) {
		unsigned newest = queue->count;
		for (unsigned i = 0; i < queue->count; i++) {
			/* Stamps are compared as sequence numbers: they may wrap. */
			if (!taken[i] && (newest == queue->count ||
					  tcp_seq_gt(queue->ranges[i].stamp, queue->ranges[newest].stamp)))
				newest = i;
		}
		taken[newest] = true;
		blocks[written++] = (struct tcp_sack_block){ queue->ranges[newest].start, queue->ranges[newest].end };
	}
	return written;
}

uint32_t tcp_reassembly_extent(const struct tcp_reassembly *queue, uint32_t rcv_nxt)
{
	return queue->count ? queue->ranges[queue->count - 1].end - rcv_nxt : 0;
}
