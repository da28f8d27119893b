/* sack.c - the sender's SACK scoreboard (contract in net/tcp/sack.h). */
#include "net/tcp/sack.h"

#include <string.h>

#include "net/tcp/seq.h"

static void remove_blocks(struct tcp_scoreboard *board, unsigned first, unsigned count)
{
	memmove(&board->blocks[first], &board->blocks[first + count],
		(board->count - first - count) * sizeof(board->blocks[0]));
	board->count -= count;
}

/* Same merge as the reassembly queue: blocks that touch become one. */
static void add_block(struct tcp_scoreboard *board, uint32_t start, uint32_t end)
{
	unsigned first = 0;
	while (first < board->count && tcp_seq_lt(board->blocks[first].end, start))
		first++;
	unsigned last = first;
	while (last < board->count && tcp_seq_leq(board->blocks[last].start, end))
		last++;
	if (last > first) {
		struct tcp_sack_block *merged = &board->blocks[first];
		merged->start = tcp_seq_min(merged->start, start);
		merged->end = tcp_seq_max(board->blocks[last - 1].end, end);
		remove_blocks(board, first + 1, last - first - 1);
		return;
	}
	if (board->count == TCP_SCOREBOARD_BLOCKS)
		return;
	memmove(&board->blocks[first + 1], &board->blocks[first], (board->count - first) * sizeof(board->blocks[0]));
	board->blocks[first] = (struct tcp_sack_block){ start, end };
	board->count++;
}

void tcp_scoreboard_update(struct tcp_scoreboard *board, const struct tcp_sack_block *blocks, unsigned count,
			   uint32_t snd_una, uint32_t snd_max)
{
	for (unsigned i = 0; i < count; i++) {
		uint32_t start = blocks[i].start, end = blocks[i].end;
		/* RFC 2883 D-SACKs sit below snd_una; anything beyond snd_max is bogus. */
		if (!tcp_seq_lt(start, end) || tcp_seq_leq(end, snd_una) || tcp_seq_gt(end, snd_max))
			continue;
		add_block(board, tcp_seq_max(start, snd_una), end);
	}
}

void tcp_scoreboard_acknowledge(struct tcp_scoreboard *board, uint32_t snd_una)
{
	unsigned passed = 0;
	while (passed < board->count && tcp_seq_leq(board->blocks[passed].end, snd_una))
		passed++;
	remove_blocks(board, 0, passed);
	if (board->count && tcp_seq_lt(board->blocks[0].start, snd_una))
		board->blocks[0].start = snd_una;
}

uint32_t tcp_scoreboard_sacked_bytes(const struct tcp_scoreboard *board)
{
	uint32_t total = 0;
	for (unsigned i = 0; i < board->count; i++)
		total += board->blocks[i].end - board->blocks[i].start;
	return total;
}

uint32_t tcp_scoreboard_highest(const struct tcp_scoreboard *board, uint32_t from)
{
	return board->count ? board->blocks[board->count - 1].end : from;
}

uint32_t tcp_scoreboard_lost_boundary(const struct tcp_scoreboard *board, uint32_t from, uint32_t mss)
{
	uint32_t threshold = (TCP_DUPACK_THRESHOLD_FOR_SACK - 1) * mss;
	uint32_t above = 0;
	for (unsigned i = board->count; i-- > 0;) {
		uint32_t size = board->blocks[i].end - board->blocks[i].start;
		if (above + size > threshold)
			return board->blocks[i].end - (threshold - above) - 1;
		above += size;
	}
	return from;
}

uint32_t tcp_scoreboard_holes(const struct tcp_scoreboard *board, uint32_t from, uint32_t to)
{
	if (!tcp_seq_lt(from, to))
		return 0;
	uint32_t holes = to - from;
	for (unsigned i = 0; i < board->count; i++) {
		uint32_t start = tcp_seq_max(board->blocks[i].start, from);
		uint32_t end = tcp_seq_min(board->blocks[i].end, to);
		if (tcp_seq_lt(start, end))
			holes -= end - start;
	}
	return holes;
}

bool tcp_scoreboard_next_hole(const struct tcp_scoreboard *board, uint32_t from, uint32_t limit, uint32_t *start,
			      uint32_t *length)
{
	uint32_t position = from;
	for (unsigned i = 0; i < board->count && tcp_seq_lt(position, limit); i++) {
		const struct tcp_sack_block *block = &board->blocks[i];
		if (tcp_seq_leq(block->end, position))
			continue;
		if (tcp_seq_lt(position, block->start)) {
			*start = position;
			*length = tcp_seq_min(block->start, limit) - position;
			return true;
		}
		position = block->end;
	}
	if (!tcp_seq_lt(position, limit))
		return false;
	*start = position;
	*length = limit - position;
	return true;
}
