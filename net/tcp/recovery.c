/* recovery.c - loss detection and recovery (contract in net/tcp/recovery.h).
 *
 * Without SACK: NewReno (RFC 6582): three duplicate ACKs retransmit the
 * first unacknowledged segment and inflate cwnd by the segments that left
 * the network; each partial ACK retransmits the next hole; recovery ends
 * when the ACK reaches `recover` (snd_max when it began).
 * With SACK: RFC 6675, simplified: cwnd drops to ssthresh and "pipe" (the
 * bytes estimated in flight) decides how much goes: first the holes below
 * the IsLost boundary, each retransmitted once, then new data.
 * RTO: ssthresh from the algorithm on the first expiry, cwnd one segment,
 * go-back-N from snd_una (RFC 5681 3.1, RFC 6298 5.4) skipping what the
 * peer SACKed, unless the RTO expires twice in a row (the peer may have
 * reneged, RFC 2018 8). */
#include "net/tcp/recovery.h"

#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"

#define RECOVERY_BURST_SEGMENTS 64

/* RFC 6675 SetPipe(). */
static uint32_t tcp_recovery_pipe(const struct tcp_sock *tcb)
{
	const struct tcp_scoreboard *board = &tcb->scoreboard;
	uint32_t lost_end = tcp_scoreboard_lost_boundary(board, tcb->snd_una, tcb->mss);
	uint32_t from = tcp_seq_max(tcb->retransmit_next, tcb->snd_una);
	uint32_t lost_unsent = tcp_scoreboard_holes(board, from, lost_end);
	uint32_t outstanding = tcp_flight_size(tcb) - tcp_scoreboard_sacked_bytes(board);
	return outstanding > lost_unsent ? outstanding - lost_unsent : 0;
}

void tcp_recovery_send(struct tcp_sock *tcb)
{
	for (int i = 0; i < RECOVERY_BURST_SEGMENTS; i++) {
		if (tcp_recovery_pipe(tcb) + tcb->mss > tcb->cwnd)
			break;
		uint32_t lost_end = tcp_scoreboard_lost_boundary(&tcb->scoreboard, tcb->snd_una, tcb->mss);
		uint32_t from = tcp_seq_max(tcb->retransmit_next, tcb->snd_una);
		uint32_t start, length;
		if (tcp_seq_lt(from, lost_end) && tcp_scoreboard_next_hole(&tcb->scoreboard, from, lost_end, &start, &length)) {
			int sent = tcp_retransmit(tcb, start, length);
			if (sent <= 0)
				break;
			tcb->retransmit_next = start + (uint32_t)sent;
			continue;
		}
		if (tcp_send_new_segment(tcb) == 0)
			break;
	}
}

static void enter_recovery(struct tcp_sock *tcb, uint64_t now_ns)
{
	tcb->ssthresh = tcb->congestion->ssthresh(tcb, now_ns);
	tcb->recover = tcb->snd_max;
	tcb->in_recovery = true;
	tcb->bytes_acked = 0;
	tcp_count(TCP_FAST_RETRANSMITS);
	/* Both variants first resend the segment at snd_una (RFC 6675 5 step 4.2, RFC 6582 3.2 step 2). */
	int sent = tcp_retransmit(tcb, tcb->snd_una, tcb->mss);
	tcb->retransmit_next = tcb->snd_una + (sent > 0 ? (uint32_t)sent : 0);
	if (tcb->sack_ok) {
		tcp_count(TCP_SACK_RECOVERIES);
		tcb->cwnd = tcb->ssthresh;
		tcp_recovery_send(tcb);
	} else {
		tcp_count(TCP_NEWRENO_RECOVERIES);
		tcb->cwnd = tcb->ssthresh + TCP_DUPACK_THRESHOLD * tcb->mss;
	}
}

/* RFC 6675 IsLost(snd_una), or the third duplicate ACK. */
static bool loss_detected(const struct tcp_sock *tcb)
{
	if (tcb->dupacks >= TCP_DUPACK_THRESHOLD)
		return true;
	return tcb->sack_ok && tcp_seq_gt(tcp_scoreboard_lost_boundary(&tcb->scoreboard, tcb->snd_una, tcb->mss),
					  tcb->snd_una);
}

void tcp_recovery_on_duplicate_ack(struct tcp_sock *tcb, uint64_t now_ns)
{
	tcb->dupacks++;
	if (tcb->in_recovery) {
		if (tcb->sack_ok) {
			tcp_recovery_send(tcb);
		} else {
			tcb->cwnd += tcb->mss;               /* RFC 6582 3.2 step 4: a segment left the network */
			tcp_output(tcb);
		}
		return;
	}
	/* RFC 6582 4: after an RTO, duplicate ACKs for data sent before it
	 * (below recover) must not start another recovery. */
	if (tcb->in_loss && tcp_seq_lt(tcb->snd_una, tcb->recover))
		return;
	if (loss_detected(tcb))
		enter_recovery(tcb, now_ns);
}

static void partial_ack(struct tcp_sock *tcb, uint32_t acked)
{
	tcp_count(TCP_PARTIAL_ACKS);
	if (tcb->sack_ok) {
		tcp_recovery_send(tcb);
		return;
	}
	/* RFC 6582 3.2 step 5: resend the next hole, deflate by what was acked, add one segment back. */
	tcp_retransmit(tcb, tcb->snd_una, tcb->mss);
	tcb->cwnd = tcb->cwnd > acked ? tcb->cwnd - acked : tcb->mss;
	if (acked >= tcb->mss)
		tcb->cwnd += tcb->mss;
	tcp_output(tcb);
}

void tcp_recovery_on_new_ack(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns)
{
	if (tcb->in_recovery) {
		if (tcp_seq_lt(tcb->snd_una, tcb->recover)) {
			partial_ack(tcb, acked);
			return;
		}
		/* Full ACK: RFC 6582 3.2 step 6 option 1. */
		uint32_t flight = tcp_flight_size(tcb);
		uint32_t deflated = (flight > tcb->mss ? flight : tcb->mss) + tcb->mss;
		tcb->cwnd = tcb->ssthresh < deflated ? tcb->ssthresh : deflated;
		tcb->in_recovery = false;
		tcb->dupacks = 0;
		return;
	}
	tcb->dupacks = 0;
	if (tcb->in_loss && tcp_seq_geq(tcb->snd_una, tcb->recover))
		tcb->in_loss = false;
	tcp_congestion_on_ack(tcb, acked, now_ns);
}

void tcp_recovery_on_timeout(struct tcp_sock *tcb, uint64_t now_ns)
{
	/* RFC 5681 3.1 eq. 4: only when the segment has not already been
	 * resent by the timer, i.e. on the first expiry in a row. */
	if (tcb->backoff <= 1)
		tcb->ssthresh = tcb->congestion->ssthresh(tcb, now_ns);
	tcb->cwnd = tcb->mss;
	tcb->in_recovery = false;
	tcb->in_loss = true;
	tcb->recover = tcb->snd_max;
	tcb->dupacks = 0;
	tcb->bytes_acked = 0;
	tcb->rtt_timing = false;                     /* Karn */
	/* SACKed data is skipped by the go-back-N resend; a second expiry in
	 * a row suggests the peer reneged (RFC 2018 8): forget it then. */
	if (tcb->backoff > 1)
		tcp_scoreboard_clear(&tcb->scoreboard);
	tcb->snd_nxt = tcb->snd_una;
	tcp_output(tcb);
	if (tcb->snd_nxt == tcb->snd_una) {
		/* Nothing went (a zero window): the retransmission doubles as a probe. */
		int sent = tcp_retransmit(tcb, tcb->snd_una, tcb->mss);
		if (sent > 0)
			tcb->snd_nxt = tcb->snd_una + (uint32_t)sent;
	}
}
