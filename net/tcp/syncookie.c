/* syncookie.c - SYN cookies (RFC 4987 3.6): when a listener's SYN
 * queue is full, the SYN-ACK's ISN carries what the connection needs, so
 * no state is kept until the final ACK proves the peer got it.
 *
 *   bits 31..27  a 64-second counter, mod 32 (cookies older than 2 counts fail)
 *   bits 26..24  index into mss_table: the largest entry <= the peer's MSS
 *   bits 23..0   SipHash-2-4(secret; 4-tuple, peer's ISN, counter)
 *
 * Timestamp-less: window scaling, SACK and timestamps cannot be
 * remembered, so a cookie SYN-ACK offers only the MSS option (as Linux
 * does without timestamps). */
#include "net/tcp/internal.h"

#include "kernel/time/clock.h"
#include "net/core/siphash.h"

#define COUNTER_PERIOD_NS (64 * NSEC_PER_SEC)
#define COUNTER_SHIFT 27
#define COUNTER_MASK 0x1Fu
#define MSS_SHIFT 24
#define MSS_MASK 0x7u
#define HASH_MASK 0xFFFFFFu
#define MAX_AGE_COUNTS 2                    /* as Linux: a cookie lives 2-3 minutes */

/* Common MSS values (Ethernet, PPPoE, tunnels); index 0 is RFC 9293's default floor. */
static const uint16_t mss_table[MSS_MASK + 1] = { 536, 1024, 1200, 1300, 1380, 1400, 1440, 1460 };

static struct siphash_key cookie_key;
static bool cookie_key_ready;

static uint32_t cookie_hash(const struct tcp_segment *seg, uint32_t peer_isn, uint32_t counter)
{
	if (!cookie_key_ready) {
		cookie_key = (struct siphash_key){ tcp_random(), tcp_random() };
		cookie_key_ready = true;
	}
	struct {
		be32 local_address, remote_address;
		be16 local_port, remote_port;
		uint32_t peer_isn, counter;
	} input = { seg->destination, seg->source, seg->destination_port, seg->source_port, peer_isn, counter };
	return (uint32_t)siphash_2_4(&cookie_key, &input, sizeof(input)) & HASH_MASK;
}

uint32_t tcp_syncookie_make(const struct tcp_segment *syn, uint16_t *mss, uint64_t now_ns)
{
	uint16_t peer_mss = syn->options.has_mss ? syn->options.mss : TCP_DEFAULT_MSS;
	uint32_t index = 0;
	while (index < MSS_MASK && mss_table[index + 1] <= peer_mss)
		index++;
	*mss = mss_table[index];
	uint32_t counter = (uint32_t)(now_ns / COUNTER_PERIOD_NS);
	return (counter & COUNTER_MASK) << COUNTER_SHIFT | index << MSS_SHIFT | cookie_hash(syn, syn->seq, counter);
}

uint16_t tcp_syncookie_check(const struct tcp_segment *ack, uint64_t now_ns)
{
	uint32_t cookie = ack->ack - 1;
	uint32_t peer_isn = ack->seq - 1;
	uint32_t now_counter = (uint32_t)(now_ns / COUNTER_PERIOD_NS);
	for (uint32_t age = 0; age <= MAX_AGE_COUNTS && age <= now_counter; age++) {
		uint32_t counter = now_counter - age;
		if ((counter & COUNTER_MASK) != cookie >> COUNTER_SHIFT)
			continue;
		if (cookie_hash(ack, peer_isn, counter) == (cookie & HASH_MASK))
			return mss_table[cookie >> MSS_SHIFT & MSS_MASK];
	}
	return 0;
}
