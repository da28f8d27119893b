/* rst.c - segments sent without a connection, and the rate limits on
 * what attackers can make us send.
 *
 * RFC 9293 3.10.7.1: a segment to no connection gets an RST: if it had an
 * ACK, <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 * RFC 5961 challenge ACKs (for in-window RSTs and SYNs) are limited to
 * net.ipv4.tcp_challenge_ack_limit per second across all connections, with
 * Linux's randomized per-second budget so the limit is no side channel
 * (CVE-2016-5696). Other ACKs for unacceptable segments go at most one per
 * 500 ms per connection (Linux's tcp_invalid_ratelimit): two confused
 * peers cannot ACK each other forever. */
#include "net/tcp/internal.h"

#include <string.h>

#include "kernel/time/clock.h"
#include "net/ipv4/ipv4.h"
#include "net/tcp/sysctl.h"
#include "net/wire/ipv4.h"

#define OUT_OF_WINDOW_ACK_INTERVAL_NS (500 * NSEC_PER_MSEC)

void tcp_send_stateless(const struct tcp_segment *seg, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window,
			const uint8_t *options, unsigned options_length)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		tcp_count(TCP_OUT_NO_BUFFER);
		return;
	}
	unsigned length = TCP_HEADER_MIN_LENGTH + options_length;
	struct tcp_header *header = (struct tcp_header *)pkt_put(pkt, length);
	*header = (struct tcp_header){
		.source_port = seg->destination_port,
		.destination_port = seg->source_port,
		.sequence = htonl(seq),
		.acknowledgment = htonl((flags & TCP_FLAG_ACK) ? ack : 0),
		.data_offset = (uint8_t)((length / 4) << 4),
		.flags = flags,
		.window = htons(window),
	};
	if (options_length)
		memcpy(header + 1, options, options_length);
	tcp_checksum_fill(header, length, seg->destination, seg->source);
	if (flags & TCP_FLAG_RST)
		tcp_count(TCP_OUT_RESETS);
	tcp_count(TCP_OUT_SEGMENTS);
	ipv4_output(pkt, seg->destination, seg->source, IP_PROTOCOL_TCP);
}

void tcp_reset_reply(const struct tcp_segment *seg)
{
	if (seg->flags & TCP_FLAG_RST)
		return;                                  /* never an RST for an RST */
	if (seg->flags & TCP_FLAG_ACK)
		tcp_send_stateless(seg, seg->ack, 0, TCP_FLAG_RST, 0, NULL, 0);
	else
		tcp_send_stateless(seg, 0, seg->seq + tcp_segment_sequence_length(seg), TCP_FLAG_RST | TCP_FLAG_ACK, 0,
				   NULL, 0);
}

static uint64_t challenge_second;
static int64_t challenge_budget;

void tcp_challenge_ack(struct tcp_sock *tcb, uint64_t now_ns)
{
	uint64_t second = now_ns / NSEC_PER_SEC;
	if (second != challenge_second) {
		challenge_second = second;
		int64_t limit = tcp_challenge_ack_limit;
		/* Linux 6.1: a budget between limit/2 and 1.5 * limit, new each second. */
		challenge_budget = limit ? limit / 2 + (int64_t)(tcp_random() % (uint64_t)limit) : 0;
	}
	if (challenge_budget <= 0) {
		tcp_count(TCP_CHALLENGE_ACKS_LIMITED);
		return;
	}
	challenge_budget--;
	tcp_count(TCP_CHALLENGE_ACKS);
	tcp_send_ack(tcb);
}

void tcp_out_of_window_ack(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	/* Segments with data cannot be part of an ACK loop: always answered. */
	bool pure_ack = tcp_segment_sequence_length(seg) == 0 || (seg->flags & TCP_FLAG_SYN);
	if (pure_ack && tcb->last_out_of_window_ack_ns &&
	    seg->now_ns - tcb->last_out_of_window_ack_ns < OUT_OF_WINDOW_ACK_INTERVAL_NS)
		return;
	tcb->last_out_of_window_ack_ns = seg->now_ns;
	tcp_send_ack(tcb);
}
