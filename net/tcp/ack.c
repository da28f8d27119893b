/* ack.c - the ACK field of an acceptable segment (RFC 9293 3.10.7.4
 * fifth check): RFC 5961 5.2's range check, the send window update, then
 * either new data acknowledged (send buffer freed, RTT sampled, RTO
 * restarted, congestion control told) or a duplicate ACK (RFC 5681 2) for
 * loss recovery. SACK blocks feed the scoreboard first (RFC 2018). */
#include "net/tcp/internal.h"

#include "net/tcp/congestion.h"
#include "net/tcp/recovery.h"

/* RFC 9293 3.10.7.4: a newer segment (or same one with a newer ACK) sets the window. */
static bool update_window(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!(tcp_seq_lt(tcb->snd_wl1, seg->seq) || (tcb->snd_wl1 == seg->seq && tcp_seq_leq(tcb->snd_wl2, seg->ack))))
		return false;
	uint32_t window = seg->window << tcb->snd_wscale;
	bool changed = window != tcb->snd_wnd;
	bool opened = tcb->snd_wnd == 0 && window > 0;
	tcb->snd_wnd = window;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = seg->ack;
	if (window > tcb->max_snd_wnd)
		tcb->max_snd_wnd = window;
	if (opened) {
		tcb->persist_backoff = 0;
		if (tcp_flight_size(tcb) == 0)
			tcp_timer_clear(tcb, TCP_TIMER_RETRANSMIT);   /* the persist timer's job is done */
	}
	return changed;
}

/* Frees acknowledged bytes from the send buffer; returns how many. */
static uint32_t release_acknowledged(struct tcp_sock *tcb, uint32_t ack)
{
	if (!tcp_seq_gt(ack, tcb->send_buffer_seq))
		return 0;
	uint32_t bytes = ack - tcb->send_buffer_seq;
	if (bytes > tcb->send_buffer.used)
		bytes = tcb->send_buffer.used;            /* the rest is our FIN */
	tcp_send_queue_consume(&tcb->send_buffer, bytes);
	tcb->send_buffer_seq += bytes;
	return bytes;
}

static void new_data_acknowledged(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	uint32_t acked = seg->ack - tcb->snd_una;
	if (tcb->rtt_timing && tcp_seq_gt(seg->ack, tcb->rtt_seq)) {
		tcp_rtt_sample(tcb, seg->now_ns - tcb->rtt_start_ns);
		tcb->rtt_timing = false;
	}
	tcb->backoff = 0;
	tcb->soft_error = 0;                         /* the path works: forget an old ICMP error, as Linux */
	uint32_t data_acked = release_acknowledged(tcb, seg->ack);
	tcb->snd_una = seg->ack;
	if (tcp_seq_lt(tcb->snd_nxt, tcb->snd_una))
		tcb->snd_nxt = tcb->snd_una;             /* the originals arrived after an RTO */
	tcp_scoreboard_acknowledge(&tcb->scoreboard, tcb->snd_una);
	tcp_recovery_on_new_ack(tcb, acked, seg->now_ns);
	/* RFC 6298 5.2 and 5.3. */
	if (tcb->snd_una == tcb->snd_max)
		tcp_timer_clear(tcb, TCP_TIMER_RETRANSMIT);
	else
		tcp_rearm_retransmit(tcb, true);
	if (data_acked)
		tcp_wake(tcb);
}

/* RFC 5681 2 "DUPLICATE ACKNOWLEDGMENT", with RFC 6675's broader
 * view: an ACK that brings new SACK information counts too. */
static bool duplicate_ack(const struct tcp_sock *tcb, const struct tcp_segment *seg, bool window_changed,
			  bool new_sack)
{
	if (seg->ack != tcb->snd_una || tcp_flight_size(tcb) == 0)
		return false;
	if (new_sack)
		return true;
	return seg->length == 0 && !(seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN)) && !window_changed;
}

static bool absorb_sack(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!tcb->sack_ok || seg->options.sack_count == 0)
		return false;
	tcp_count(TCP_SACKS_RECEIVED);
	uint32_t before = tcp_scoreboard_sacked_bytes(&tcb->scoreboard);
	tcp_scoreboard_update(&tcb->scoreboard, seg->options.sack, seg->options.sack_count, tcb->snd_una, tcb->snd_max);
	return tcp_scoreboard_sacked_bytes(&tcb->scoreboard) != before;
}

bool tcp_ack_process(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (tcp_seq_gt(seg->ack, tcb->snd_max)) {
		/* 3.10.7.4: "If the ACK acks something not yet sent ... send an ACK, drop". */
		tcp_out_of_window_ack(tcb, seg);
		seg->drop = TCP_DROP_ACK_UNSENT;
		return false;
	}
	if (tcp_seq_lt(seg->ack, tcb->snd_una - tcb->max_snd_wnd)) {
		tcp_challenge_ack(tcb, seg->now_ns);     /* RFC 5961 5.2 */
		seg->drop = TCP_DROP_ACK_TOO_OLD;
		return false;
	}
	tcb->probes_unanswered = 0;   /* the peer is alive: the persist timer may go on (RFC 9293 3.8.6.1) */
	bool new_sack = absorb_sack(tcb, seg);
	bool window_changed = false;
	if (tcp_seq_geq(seg->ack, tcb->snd_una))
		window_changed = update_window(tcb, seg);
	if (tcp_seq_gt(seg->ack, tcb->snd_una))
		new_data_acknowledged(tcb, seg);
	else if (duplicate_ack(tcb, seg, window_changed, new_sack))
		tcp_recovery_on_duplicate_ack(tcb, seg->now_ns);
	return true;
}
