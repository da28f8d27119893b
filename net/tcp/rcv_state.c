/* rcv_state.c - segment arrival in SYN_RECEIVED and the synchronized
 * states, in RFC 9293 3.10.7.4's order: PAWS (RFC 7323 5.3), sequence
 * acceptability, RST (with RFC 5961 3.2), SYN (RFC 5961 4.2), ACK (with
 * RFC 5961 5.2 in net/tcp/ack.c), segment text and FIN (net/tcp/data.c). Each
 * check that discards the segment names its drop reason. */
#include "net/tcp/internal.h"

#include <errno.h>

#include "kernel/time/clock.h"
#include "net/tcp/sysctl.h"

#define PAWS_IDLE_LIMIT_NS (24ull * 24 * 3600 * NSEC_PER_SEC)  /* RFC 7323 5.5: 24 days */

/* RFC 7323 5.3 R1. */
static bool paws_rejects(const struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!tcb->timestamps_ok || !seg->options.has_timestamps || (seg->flags & TCP_FLAG_RST))
		return false;
	if (tcp_seq_geq(seg->options.ts_value, tcb->ts_recent))
		return false;
	return seg->now_ns - tcb->ts_recent_ns < PAWS_IDLE_LIMIT_NS;
}

/* The window incoming segments are checked against: what we advertised. */
static uint32_t acceptance_window(const struct tcp_sock *tcb)
{
	return tcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
}

/* RFC 9293 3.10.7.4 first check, the four cases; with a zero window a
 * segment at exactly rcv_nxt is let through (as Linux), so its ACK, RST
 * or window update is processed while its text is dropped. */
static bool sequence_acceptable(const struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	uint32_t window = acceptance_window(tcb);
	uint32_t length = tcp_segment_sequence_length(seg);
	if (window == 0)
		return seg->seq == tcb->rcv_nxt;
	uint32_t window_end = tcb->rcv_nxt + window;
	if (length == 0)
		return tcp_seq_in_range(seg->seq, tcb->rcv_nxt, window_end);
	return tcp_seq_in_range(seg->seq, tcb->rcv_nxt, window_end) ||
	       tcp_seq_in_range(seg->seq + length - 1, tcb->rcv_nxt, window_end);
}

/* Cuts what was already received off the front and what lies beyond the
 * window off the back (a FIN beyond it goes too). */
static void trim_to_window(const struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (tcp_seq_lt(seg->seq, tcb->rcv_nxt)) {
		uint32_t old = tcb->rcv_nxt - seg->seq;
		if (seg->flags & TCP_FLAG_SYN) {
			seg->flags &= (uint8_t)~TCP_FLAG_SYN;
			seg->seq++;
			old--;
		}
		uint32_t skip = old < seg->length ? old : seg->length;
		seg->payload += skip;
		seg->length -= skip;
		seg->seq += skip;
		if (tcp_seq_lt(seg->seq, tcb->rcv_nxt))    /* the FIN too was old */
			seg->flags &= (uint8_t)~TCP_FLAG_FIN;
	}
	uint32_t window_end = tcb->rcv_nxt + acceptance_window(tcb);
	if (tcp_seq_gt(seg->seq + seg->length, window_end)) {
		seg->length = tcp_seq_gt(window_end, seg->seq) ? window_end - seg->seq : 0;
		seg->flags &= (uint8_t)~TCP_FLAG_FIN;
	}
}

/* RFC 5961 3.2: only an RST at exactly rcv_nxt resets; one elsewhere in
 * the window gets a challenge ACK (a genuine peer answers it with an
 * exact RST). Returns true when the segment was consumed. */
static bool handle_reset(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (seg->seq != tcb->rcv_nxt) {
		tcp_challenge_ack(tcb, seg->now_ns);
		seg->drop = TCP_DROP_RST_CHALLENGED;
		return true;
	}
	switch (tcb->state) {
	case TCP_SYN_RECEIVED:
		/* Passive: the child just goes (RFC 9293: back to LISTEN); active: refused. */
		tcp_count(TCP_ATTEMPT_FAILS);
		tcp_set_closed(tcb, tcb->listener ? 0 : ECONNREFUSED);
		break;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		tcp_count(TCP_ESTABLISHED_RESETS);
		tcp_set_closed(tcb, ECONNRESET);
		break;
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
		tcp_set_closed(tcb, ECONNRESET);
		break;
	default:                                    /* CLOSING, LAST_ACK, TIME_WAIT */
		tcp_set_closed(tcb, 0);
		break;
	}
	return true;
}

/* RFC 7323 4.3 (R3): TS.Recent follows the segment that covers Last.ACK.sent. */
static void update_ts_recent(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!tcb->timestamps_ok || !seg->options.has_timestamps)
		return;
	if (tcp_seq_geq(seg->options.ts_value, tcb->ts_recent) && tcp_seq_leq(seg->seq, tcb->last_ack_sent)) {
		tcb->ts_recent = seg->options.ts_value;
		tcb->ts_recent_ns = seg->now_ns;
	}
}

static bool fin_acknowledged(const struct tcp_sock *tcb)
{
	return tcb->fin_queued && tcb->snd_una == tcb->send_buffer_seq + tcb->send_buffer.used + 1;
}

/* After the ACK field: what our FIN being acknowledged means per state. */
static void fin_ack_transitions(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!fin_acknowledged(tcb))
		return;
	switch (tcb->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(tcb, TCP_FIN_WAIT_2);
		/* Linux's tcp_fin_timeout: an orphan does not wait forever for the peer's FIN. */
		if (tcb->orphan)
			tcp_timer_set(tcb, TCP_TIMER_CLOSE, seg->now_ns + (uint64_t)tcp_fin_timeout * NSEC_PER_SEC);
		break;
	case TCP_CLOSING:
		tcp_enter_time_wait(tcb);
		break;
	case TCP_LAST_ACK:
		tcp_set_closed(tcb, 0);
		break;
	default:
		break;
	}
}

void tcp_fin_received(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	tcb->rcv_nxt++;
	tcb->fin_received = true;
	tcb->fin_pending = false;
	seg->ack_now = true;
	switch (tcb->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(tcb, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		if (fin_acknowledged(tcb))
			tcp_enter_time_wait(tcb);
		else
			tcp_set_state(tcb, TCP_CLOSING);      /* simultaneous close */
		break;
	case TCP_FIN_WAIT_2:
		tcp_enter_time_wait(tcb);
		break;
	default:
		break;
	}
	tcp_wake(tcb);
}

/* SYN_RECEIVED's ACK check (RFC 9293 3.10.7.4 fifth, SYN-RECEIVED). */
static bool syn_received_ack(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (!tcp_seq_gt(seg->ack, tcb->snd_una) || tcp_seq_gt(seg->ack, tcb->snd_max)) {
		tcp_reset_reply(seg);
		seg->drop = TCP_DROP_SYN_RECEIVED_BAD_ACK;
		return false;
	}
	if (!tcp_handshake_completed(tcb, seg)) {
		seg->drop = TCP_DROP_LISTEN_OVERFLOW;   /* the peer retransmits; we resend the SYN-ACK meanwhile */
		return false;
	}
	return true;
}

/* An unacceptable segment: RSTs are dropped silently, SYNs challenged,
 * the rest answered with an ACK. In TIME_WAIT that ACK is how the peer's
 * retransmitted FIN is acknowledged, and 2*MSL restarts (3.10.7.4). */
/* A bare ACK less than one window-scale unit behind rcv_nxt that
 * acknowledges new data. When the ring cannot hold a window rounded up to
 * the unit, rounding down pulls our right edge back by less than a unit
 * (RFC 7323 2.4 and appendix F); a Linux sender then takes the window for
 * shrunk and sends its ACKs from its view of the edge (tcp_acceptable_seq),
 * behind rcv_nxt. The segment stays unacceptable (and is answered: a zero
 * window probe looks the same), but its acknowledgment is news: ignoring
 * it would leave our data unacknowledged until a timeout. */
static bool acknowledges_from_pulled_back_edge(const struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (seg->length || (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST)) || !(seg->flags & TCP_FLAG_ACK))
		return false;
	if (!tcp_seq_lt(seg->seq, tcb->rcv_nxt) || tcb->rcv_nxt - seg->seq >= (1u << tcb->rcv_wscale))
		return false;
	return tcp_seq_gt(seg->ack, tcb->snd_una) && tcp_seq_leq(seg->ack, tcb->snd_max);
}

static void unacceptable(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	seg->drop = TCP_DROP_OUT_OF_WINDOW;
	if (seg->flags & TCP_FLAG_RST)
		return;
	if (seg->flags & TCP_FLAG_SYN) {
		tcp_challenge_ack(tcb, seg->now_ns);
		return;
	}
	if (tcb->state == TCP_TIME_WAIT && (seg->flags & TCP_FLAG_FIN)) {
		tcp_send_ack(tcb);
		tcp_timer_set(tcb, TCP_TIMER_CLOSE, seg->now_ns + (uint64_t)tcp_time_wait_ms * NSEC_PER_MSEC);
		seg->drop = NET_DROP_NONE;
		return;
	}
	if (acknowledges_from_pulled_back_edge(tcb, seg) && tcp_ack_process(tcb, seg)) {
		fin_ack_transitions(tcb, seg);
		if (tcb->state == TCP_CLOSED)
			return;
		tcp_output(tcb);
	}
	tcp_out_of_window_ack(tcb, seg);
}

/* Checks before the ACK field; false when the segment was consumed. */
static bool validate(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (tcb->state == TCP_SYN_RECEIVED && (seg->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) == TCP_FLAG_SYN &&
	    seg->seq == tcb->irs) {
		tcp_count_retransmission(tcb);   /* the peer lost our SYN-ACK */
		tcp_send_syn(tcb);
		return false;
	}
	if (tcb->state == TCP_SYN_RECEIVED && tcb->listener == NULL && (seg->flags & TCP_FLAG_SYN) &&
	    (seg->flags & TCP_FLAG_ACK) && seg->seq + 1 == tcb->rcv_nxt && seg->ack == tcb->snd_nxt && seg->length == 0) {
		/* Simultaneous open (3.5 figure 8): the peer's SYN-ACK acknowledges
		 * our SYN; its SYN we already have. Take it as the ACK (as Linux). */
		seg->flags &= (uint8_t)~TCP_FLAG_SYN;
		seg->seq++;
	}
	if (paws_rejects(tcb, seg)) {
		tcp_out_of_window_ack(tcb, seg);
		seg->drop = TCP_DROP_PAWS;
		return false;
	}
	if (!sequence_acceptable(tcb, seg)) {
		unacceptable(tcb, seg);
		return false;
	}
	trim_to_window(tcb, seg);
	if (seg->flags & TCP_FLAG_RST)
		return !handle_reset(tcb, seg);
	if (seg->flags & TCP_FLAG_SYN) {
		tcp_challenge_ack(tcb, seg->now_ns);     /* RFC 5961 4.2 */
		seg->drop = TCP_DROP_SYN_CHALLENGED;
		return false;
	}
	if (!(seg->flags & TCP_FLAG_ACK)) {
		seg->drop = TCP_DROP_NO_ACK;
		return false;
	}
	return true;
}

/* In TIME_WAIT only the peer's FIN can come again: ACK it, restart 2*MSL. */
static void time_wait_segment(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if ((seg->flags & TCP_FLAG_FIN) || seg->length) {
		tcp_send_ack(tcb);
		tcp_timer_set(tcb, TCP_TIMER_CLOSE, seg->now_ns + (uint64_t)tcp_time_wait_ms * NSEC_PER_MSEC);
		return;
	}
	seg->drop = TCP_DROP_TIME_WAIT;
}

/* Linux's behaviour: new data for a socket the application closed cannot
 * be delivered; the peer learns it with an RST (RFC 9293 3.10.4 ABORT). */
static bool data_after_close(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (!tcb->orphan || seg->length == 0 || (tcb->state != TCP_FIN_WAIT_1 && tcb->state != TCP_FIN_WAIT_2))
		return false;
	tcp_send_reset(tcb);
	tcp_set_closed(tcb, 0);
	seg->drop = TCP_DROP_DATA_AFTER_CLOSE;
	return true;
}

static void note_receiver_rtt(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (!tcb->timestamps_ok || !seg->options.has_timestamps || seg->options.ts_echo == 0 || seg->length == 0)
		return;
	uint32_t elapsed_ms = tcp_ts_now(tcb, seg->now_ns) - seg->options.ts_echo;
	if (elapsed_ms > 60000)
		return;                                  /* nonsense echo */
	uint32_t sample = (elapsed_ms ? elapsed_ms : 1) * 1000;
	tcb->receive_rtt_us = tcb->receive_rtt_us ? (tcb->receive_rtt_us * 7 + sample) / 8 : sample;
}

void tcp_rcv_synchronized(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	if (!validate(tcb, seg))
		return;
	tcb->last_received_ns = seg->now_ns;
	tcb->keepalive_probes_sent = 0;
	if (tcb->state == TCP_TIME_WAIT) {
		time_wait_segment(tcb, seg);
		return;
	}
	if (tcb->state == TCP_SYN_RECEIVED && !syn_received_ack(tcb, seg))
		return;
	update_ts_recent(tcb, seg);
	note_receiver_rtt(tcb, seg);
	if (!tcp_ack_process(tcb, seg))
		return;
	fin_ack_transitions(tcb, seg);
	if (tcb->state == TCP_CLOSED || data_after_close(tcb, seg))
		return;
	tcp_data_receive(tcb, seg);
	if (tcb->state == TCP_CLOSED)
		return;
	tcp_output(tcb);
	if (tcb->state != TCP_CLOSED && tcb->rcv_nxt != tcb->last_ack_sent)
		tcp_ack_schedule(tcb, seg->ack_now);
	else if (seg->ack_now && tcb->state != TCP_CLOSED)
		tcp_send_ack(tcb);
}
