/* diag.c - TCP's rows for `ss` (contract in net/socket/sock_diag.h): state,
 * queues, endpoints, memory and Linux's tcp_info fields, read from each tcb
 * of the table. Recv-Q is the unread bytes and Send-Q the bytes not yet
 * acknowledged (Linux: rcv_nxt - copied_seq, write_seq - snd_una); on a
 * listener they are the accept queue's length and its limit, as Linux. */
#include "net/socket/sock_diag.h"
#include "net/tcp/congestion.h"
#include "net/tcp/internal.h"
#include "net/tcp/listen.h"

static enum sock_diag_state diag_state(enum tcp_state state)
{
	switch (state) {
	case TCP_LISTEN: return SOCK_DIAG_LISTEN;
	case TCP_SYN_SENT: return SOCK_DIAG_SYN_SENT;
	case TCP_SYN_RECEIVED: return SOCK_DIAG_SYN_RECV;
	case TCP_ESTABLISHED: return SOCK_DIAG_ESTABLISHED;
	case TCP_FIN_WAIT_1: return SOCK_DIAG_FIN_WAIT1;
	case TCP_FIN_WAIT_2: return SOCK_DIAG_FIN_WAIT2;
	case TCP_CLOSE_WAIT: return SOCK_DIAG_CLOSE_WAIT;
	case TCP_CLOSING: return SOCK_DIAG_CLOSING;
	case TCP_LAST_ACK: return SOCK_DIAG_LAST_ACK;
	case TCP_TIME_WAIT: return SOCK_DIAG_TIME_WAIT;
	default: return SOCK_DIAG_CLOSE;
	}
}

static void fill_info(const struct tcp_sock *tcb, struct sock_diag_tcp_info *info)
{
	uint32_t mss = tcb->mss ? tcb->mss : TCP_DEFAULT_MSS;
	info->congestion = tcb->congestion ? tcb->congestion->name : "cubic";
	info->timestamps = tcb->timestamps_ok;
	info->sack = tcb->sack_ok;
	info->window_scaling = tcb->wscale_ok;
	info->send_wscale = tcb->snd_wscale;
	info->receive_wscale = tcb->rcv_wscale;
	info->rto_us = (uint32_t)(tcp_rto_ns(tcb) / 1000);
	info->rtt_us = tcb->srtt_us;
	info->rttvar_us = tcb->rttvar_us;
	info->mss = mss;
	info->advmss = tcb->advertised_mss;
	info->pmtu = tcb->route_mtu;
	info->cwnd_segments = tcb->cwnd / mss;
	info->ssthresh_segments = tcb->ssthresh >= 0x7FFFFFFFu ? 0 : tcb->ssthresh / mss;
	info->unacked_segments = (tcp_flight_size(tcb) + mss - 1) / mss;
	info->retransmits = tcb->backoff;
	info->total_retransmits = tcb->total_retransmits;
	info->backoff = tcb->backoff;
	info->send_window = tcb->snd_wnd;
	/* The window as the last segment carried it: scaled, what is left of
	 * it rounded down to a unit of 2^rcv_wscale (RFC 7323 2.3). */
	uint32_t window = tcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
	uint8_t shift = tcb->wscale_ok ? tcb->rcv_wscale : 0;
	info->receive_window = window >> shift << shift;
	info->bytes_acked = tcb->snd_una - tcb->iss - 1;
	info->bytes_received = tcb->rcv_nxt - tcb->irs - 1;
}

static void describe(const struct tcp_sock *tcb, struct sock_diag_row *row)
{
	*row = (struct sock_diag_row){
		.state = diag_state(tcb->state),
		.local = { tcb->local_address, tcb->local_port },
		.remote = { tcb->remote_address, tcb->remote_port },
		.orphan = tcb->orphan,
		.receive_allocated = tcb->receive_buffer.used,
		.receive_buffer = tcb->receive_buffer.capacity,
		.transmit_allocated = tcp_flight_size(tcb),
		.send_buffer = tcb->send_buffer.capacity,
		.write_queued = tcb->send_buffer.used,
	};
	if (tcb->state == TCP_LISTEN) {
		row->receive_queue = tcb->listen ? tcb->listen->accept_count : 0;
		row->send_queue = tcb->listen ? tcb->listen->limit : 0;
		return;
	}
	row->receive_queue = tcb->receive_buffer.used;
	uint32_t queued_end = tcb->send_buffer_seq + tcb->send_buffer.used;
	row->send_queue = tcp_seq_gt(queued_end, tcb->snd_una) ? queued_end - tcb->snd_una : 0;
	if (tcb->state >= TCP_ESTABLISHED && tcb->state != TCP_TIME_WAIT) {
		row->has_tcp_info = true;
		fill_info(tcb, &row->tcp);
	}
}

struct visit_context {
	void (*visit)(const struct sock_diag_row *row, void *context);
	void *context;
};

static void visit_tcb(const struct tcp_sock *tcb, void *context)
{
	const struct visit_context *outer = context;
	struct sock_diag_row row;
	describe(tcb, &row);
	outer->visit(&row, outer->context);
}

static void tcp_diag_for_each(void (*visit)(const struct sock_diag_row *row, void *context), void *context)
{
	struct visit_context outer = { visit, context };
	tcp_table_for_each(visit_tcb, &outer);
}
SOCK_DIAG(tcp, "tcp", tcp_diag_for_each);
