/* sack.h - the sender's SACK scoreboard (RFC 2018, RFC 6675): which
 * bytes above snd_una the peer reported holding. Kept as a few sorted,
 * merged blocks; blocks outside [snd_una, snd_max) (including D-SACKs,
 * RFC 2883) are ignored. When full, a block that fits nowhere is dropped:
 * the only cost is retransmitting data the peer already has. */
#ifndef KEEL_NET_TCP_SACK_H
#define KEEL_NET_TCP_SACK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/tcp/options.h"

#define TCP_SCOREBOARD_BLOCKS 8
#define TCP_DUPACK_THRESHOLD_FOR_SACK 3   /* RFC 6675 DupThresh */

struct tcp_scoreboard {
	struct tcp_sack_block blocks[TCP_SCOREBOARD_BLOCKS];  /* sorted, disjoint */
	unsigned count;
};

static inline void tcp_scoreboard_clear(struct tcp_scoreboard *board) { board->count = 0; }
void tcp_scoreboard_update(struct tcp_scoreboard *board, const struct tcp_sack_block *blocks, unsigned count,
			   uint32_t snd_una, uint32_t snd_max);
/* Forgets what snd_una passed. */
void tcp_scoreboard_acknowledge(struct tcp_scoreboard *board, uint32_t snd_una);
uint32_t tcp_scoreboard_sacked_bytes(const struct tcp_scoreboard *board);
/* One past the highest SACKed byte, or from when nothing is SACKed. */
uint32_t tcp_scoreboard_highest(const struct tcp_scoreboard *board, uint32_t from);
/* RFC 6675 IsLost: bytes below the returned sequence number count as lost
 * (more than (DupThresh - 1) * mss bytes SACKed above them); from when none. */
uint32_t tcp_scoreboard_lost_boundary(const struct tcp_scoreboard *board, uint32_t from, uint32_t mss);
/* Unsacked bytes in [from, to). */
uint32_t tcp_scoreboard_holes(const struct tcp_scoreboard *board, uint32_t from, uint32_t to);
/* The first unsacked byte at or after from and before limit, with the
 * length of its hole (up to limit); false when there is none. */
bool tcp_scoreboard_next_hole(const struct tcp_scoreboard *board, uint32_t from, uint32_t limit, uint32_t *start,
			      uint32_t *length);

#endif
