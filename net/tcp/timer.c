/* timer.c - a connection's timers and its retransmission timeout.
 *
 * One kernel timer per tcb, armed for the earliest of its deadlines. A
 * deadline moved later (the RTO restarted by every ACK) leaves the kernel
 * timer where it is: when it fires early, nothing is due and it re-arms for
 * the new earliest. So the common path touches only the tcb, never the
 * kernel's sorted timer queue.
 *
 * RTO per RFC 6298: SRTT/RTTVAR from samples (Karn's algorithm: never from
 * a retransmitted segment), RTO = SRTT + max(G, 4 * RTTVAR), between Linux's
 * 200 ms floor (RFC 6298 2.4 allows a lower one than 1 s; every modern
 * stack uses it) and 120 s, doubled per expiry (5.5). */
#include "net/tcp/internal.h"

#include <errno.h>

#include "kernel/time/clock.h"
#include "net/tcp/recovery.h"
#include "net/tcp/sysctl.h"

#define RTO_INITIAL_US 1000000u              /* RFC 6298 2.1 */
#define RTO_MIN_US 200000u                   /* Linux TCP_RTO_MIN */
#define RTO_MAX_US 120000000u                /* Linux TCP_RTO_MAX (RFC 6298 2.5: at least 60 s) */
#define CLOCK_GRANULARITY_US 1000u           /* G */
#define PERSIST_MIN_US 200000u
#define DELAYED_ACK_NS (40 * NSEC_PER_MSEC)  /* Linux's minimum delayed-ACK time */

static void timer_fired(struct timer *timer, void *context);

void tcp_timer_init(struct tcp_sock *tcb)
{
	timer_setup(&tcb->timer, timer_fired, tcb);
	for (int i = 0; i < TCP_TIMER_COUNT; i++)
		tcb->deadlines[i] = 0;
	tcb->rto_us = RTO_INITIAL_US;
}

static uint64_t earliest_deadline(const struct tcp_sock *tcb)
{
	uint64_t earliest = 0;
	for (int i = 0; i < TCP_TIMER_COUNT; i++)
		if (tcb->deadlines[i] && (earliest == 0 || tcb->deadlines[i] < earliest))
			earliest = tcb->deadlines[i];
	return earliest;
}

void tcp_timer_set(struct tcp_sock *tcb, enum tcp_timer_kind kind, uint64_t deadline_ns)
{
	if (deadline_ns == 0)
		deadline_ns = 1;
	tcb->deadlines[kind] = deadline_ns;
	if (!tcb->timer.armed || deadline_ns < tcb->timer.deadline_ns)
		timer_arm(&tcb->timer, deadline_ns);
}

void tcp_timer_clear(struct tcp_sock *tcb, enum tcp_timer_kind kind)
{
	tcb->deadlines[kind] = 0;  /* the kernel timer, if it fires, finds nothing due */
}

void tcp_timer_stop_all(struct tcp_sock *tcb)
{
	for (int i = 0; i < TCP_TIMER_COUNT; i++)
		tcb->deadlines[i] = 0;
	timer_cancel(&tcb->timer);
}

uint64_t tcp_rto_ns(const struct tcp_sock *tcb)
{
	uint64_t rto = tcb->rto_us;
	for (unsigned i = 0; i < tcb->backoff && rto < RTO_MAX_US; i++)
		rto *= 2;
	return (rto < RTO_MAX_US ? rto : RTO_MAX_US) * NSEC_PER_USEC;
}

void tcp_rearm_retransmit(struct tcp_sock *tcb, bool restart)
{
	if (!restart && tcb->deadlines[TCP_TIMER_RETRANSMIT])
		return;
	tcp_timer_set(tcb, TCP_TIMER_RETRANSMIT, clock_monotonic_ns() + tcp_rto_ns(tcb));
}

/* RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4), in microseconds. */
void tcp_rtt_sample(struct tcp_sock *tcb, uint64_t rtt_ns)
{
	uint32_t rtt = (uint32_t)(rtt_ns / NSEC_PER_USEC);
	if (rtt == 0)
		rtt = 1;
	if (tcb->srtt_us == 0) {
		tcb->srtt_us = rtt;
		tcb->rttvar_us = rtt / 2;
	} else {
		uint32_t delta = tcb->srtt_us > rtt ? tcb->srtt_us - rtt : rtt - tcb->srtt_us;
		tcb->rttvar_us = tcb->rttvar_us - tcb->rttvar_us / 4 + delta / 4;
		tcb->srtt_us = tcb->srtt_us - tcb->srtt_us / 8 + rtt / 8;
	}
	uint32_t variance = 4 * tcb->rttvar_us > CLOCK_GRANULARITY_US ? 4 * tcb->rttvar_us : CLOCK_GRANULARITY_US;
	uint32_t rto = tcb->srtt_us + variance;
	tcb->rto_us = rto < RTO_MIN_US ? RTO_MIN_US : rto > RTO_MAX_US ? RTO_MAX_US : rto;
}

void tcp_keepalive_reset(struct tcp_sock *tcb)
{
	tcb->keepalive_probes_sent = 0;
	if (!tcb->sk || !tcb->sk->keepalive || !tcp_state_synchronized(tcb->state)) {
		tcp_timer_clear(tcb, TCP_TIMER_KEEPALIVE);
		return;
	}
	uint32_t idle = tcb->keepalive_idle_s ? tcb->keepalive_idle_s : (uint32_t)tcp_keepalive_time;
	/* Lazy: if armed earlier, the expiry handler finds the line not idle long enough and re-arms. */
	if (!tcb->deadlines[TCP_TIMER_KEEPALIVE])
		tcp_timer_set(tcb, TCP_TIMER_KEEPALIVE, tcb->last_received_ns + idle * NSEC_PER_SEC);
}

void tcp_enter_time_wait(struct tcp_sock *tcb)
{
	tcp_set_state(tcb, TCP_TIME_WAIT);
	tcp_timer_clear(tcb, TCP_TIMER_RETRANSMIT);
	tcp_timer_clear(tcb, TCP_TIMER_KEEPALIVE);
	tcp_timer_clear(tcb, TCP_TIMER_DELAYED_ACK);
	/* Nothing more will be sent or read: the buffers can go now. */
	if (tcb->sk == NULL) {
		tcp_send_queue_release(&tcb->send_buffer);
		tcp_ring_release(&tcb->receive_buffer);
	}
	if (tcp_state_count(TCP_TIME_WAIT) > (uint64_t)tcp_max_tw_buckets) {
		tcp_count(TCP_TIME_WAIT_OVERFLOW);
		tcp_set_closed(tcb, 0);
		return;
	}
	tcp_timer_set(tcb, TCP_TIMER_CLOSE, clock_monotonic_ns() + (uint64_t)tcp_time_wait_ms * NSEC_PER_MSEC);
}

/* Gives up on the connection (RFC 9293 3.8.3 R2; RFC 1122 4.2.3.5). */
static void give_up(struct tcp_sock *tcb)
{
	tcp_count(TCP_TIMEOUTS);
	if (tcp_state_synchronized(tcb->state))
		tcp_send_reset(tcb);
	tcp_set_closed(tcb, tcb->soft_error ? tcb->soft_error : ETIMEDOUT);  /* Linux's tcp_write_err */
}

static void handshake_expired(struct tcp_sock *tcb)
{
	int64_t limit = tcb->state == TCP_SYN_SENT ? tcp_syn_retries : tcp_synack_retries;
	if (tcb->syn_retries >= limit) {
		tcp_count(TCP_TIMEOUTS);
		tcp_set_closed(tcb, tcb->soft_error ? tcb->soft_error : ETIMEDOUT);
		return;
	}
	tcb->syn_retries++;
	tcb->backoff++;
	tcb->rtt_timing = false;
	tcp_count_retransmission(tcb);
	tcp_send_syn(tcb);
	tcp_rearm_retransmit(tcb, true);
}

/* How many zero-window probes may go unanswered: net.ipv4.tcp_retries2 as
 * for retransmissions, and for an orphan (the app closed it, nobody will
 * ever read an error) Linux's tcp_orphan_retries, whose 0 means 8 - so a
 * peer that vanished behind a zero window does not hold the connection,
 * its send buffer and its pkts forever. */
static unsigned persist_probe_limit(const struct tcp_sock *tcb)
{
	if (!tcb->orphan)
		return (unsigned)tcp_retries2;
	return tcp_orphan_retries > 0 ? (unsigned)tcp_orphan_retries : 8;
}

/* RFC 9293 3.8.6.1: probe a zero window; backoff like the RTO, but never
 * give up while answered (any acceptable ACK resets the count, ack.c). A
 * small non-zero window gets what it can take (3.8.6.2.1's override
 * timeout). */
static void persist_expired(struct tcp_sock *tcb)
{
	if (tcb->probes_unanswered >= persist_probe_limit(tcb)) {
		give_up(tcb);
		return;
	}
	tcp_count(TCP_PERSIST_PROBES);
	if (tcb->snd_wnd > 0 && tcp_output_forced(tcb))
		return;
	tcp_send_probe(tcb);
	if (tcb->probes_unanswered < UINT8_MAX)
		tcb->probes_unanswered++;
	if (tcb->persist_backoff < 16)
		tcb->persist_backoff++;
	uint64_t interval = (uint64_t)(tcb->rto_us > PERSIST_MIN_US ? tcb->rto_us : PERSIST_MIN_US) << tcb->persist_backoff;
	if (interval > (uint64_t)RTO_MAX_US)
		interval = RTO_MAX_US;
	tcp_timer_set(tcb, TCP_TIMER_RETRANSMIT, clock_monotonic_ns() + interval * NSEC_PER_USEC);
}

static void retransmit_expired(struct tcp_sock *tcb, uint64_t now_ns)
{
	if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED) {
		handshake_expired(tcb);
		return;
	}
	if (tcp_flight_size(tcb) == 0) {
		if (tcp_unsent_bytes(tcb))
			persist_expired(tcb);
		return;
	}
	if (tcb->backoff >= tcp_retries2) {
		give_up(tcb);
		return;
	}
	tcp_count(TCP_RTO_EXPIRATIONS);
	if (tcb->backoff == 0)
		tcb->retransmit_start_ns = now_ns;
	tcb->backoff++;
	tcp_recovery_on_timeout(tcb, now_ns);
	tcp_rearm_retransmit(tcb, true);
}

static void keepalive_expired(struct tcp_sock *tcb, uint64_t now_ns)
{
	if (!tcb->sk || !tcb->sk->keepalive || !tcp_state_synchronized(tcb->state) || tcb->state == TCP_TIME_WAIT)
		return;
	uint64_t idle = (tcb->keepalive_idle_s ? tcb->keepalive_idle_s : (uint64_t)tcp_keepalive_time) * NSEC_PER_SEC;
	uint64_t interval = (tcb->keepalive_interval_s ? tcb->keepalive_interval_s : (uint64_t)tcp_keepalive_intvl) * NSEC_PER_SEC;
	uint32_t probes = tcb->keepalive_count ? tcb->keepalive_count : (uint32_t)tcp_keepalive_probes;
	if (now_ns < tcb->last_received_ns + idle) {
		tcp_timer_set(tcb, TCP_TIMER_KEEPALIVE, tcb->last_received_ns + idle);
		return;
	}
	if (tcb->keepalive_probes_sent >= probes) {
		give_up(tcb);
		return;
	}
	tcb->keepalive_probes_sent++;
	tcp_count(TCP_KEEPALIVE_PROBES);
	tcp_send_probe(tcb);
	tcp_timer_set(tcb, TCP_TIMER_KEEPALIVE, now_ns + interval);
}

static void delayed_ack_expired(struct tcp_sock *tcb)
{
	if (tcb->state == TCP_CLOSED || tcb->state == TCP_LISTEN || tcb->state == TCP_SYN_SENT)
		return;
	if (tcb->rcv_nxt != tcb->last_ack_sent || tcb->bytes_since_ack) {
		tcp_count(TCP_DELAYED_ACKS);
		tcp_send_ack(tcb);
	}
}

void tcp_ack_schedule(struct tcp_sock *tcb, bool now)
{
	if (now) {
		tcp_send_ack(tcb);
		return;
	}
	if (!tcb->deadlines[TCP_TIMER_DELAYED_ACK])
		tcp_timer_set(tcb, TCP_TIMER_DELAYED_ACK, clock_monotonic_ns() + DELAYED_ACK_NS);
}

static void run_expired(struct tcp_sock *tcb, enum tcp_timer_kind kind, uint64_t now_ns)
{
	switch (kind) {
	case TCP_TIMER_RETRANSMIT: retransmit_expired(tcb, now_ns); break;
	case TCP_TIMER_DELAYED_ACK: delayed_ack_expired(tcb); break;
	case TCP_TIMER_KEEPALIVE: keepalive_expired(tcb, now_ns); break;
	case TCP_TIMER_CLOSE: tcp_set_closed(tcb, 0); break;
	default: break;
	}
}

static void timer_fired(struct timer *timer, void *context)
{
	struct tcp_sock *tcb = context;
	uint64_t now = clock_monotonic_ns();
	for (int kind = 0; kind < TCP_TIMER_COUNT && tcb->state != TCP_CLOSED; kind++) {
		if (tcb->deadlines[kind] && tcb->deadlines[kind] <= now) {
			tcb->deadlines[kind] = 0;
			run_expired(tcb, (enum tcp_timer_kind)kind, now);
		}
	}
	uint64_t next = earliest_deadline(tcb);
	if (next && tcb->state != TCP_CLOSED && (!timer->armed || next < timer->deadline_ns))
		timer_arm(timer, next);
	tcp_release_if_done(tcb);
}
