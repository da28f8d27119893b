/* data.c - the receive side: segment text into the receive ring, in
 * order or out of order (RFC 9293 3.10.7.4 seventh; RFC 5681 4.2 for
 * when to ACK at once), the FIN in sequence (eighth), the window we
 * advertise (3.8.6.2.2 receiver-side silly window avoidance, never
 * shrinking), and receive-buffer autotuning. */
#include "net/tcp/internal.h"

#include "kernel/time/clock.h"
#include "net/tcp/sysctl.h"

#define WINDOW_FIELD_MAX 0xFFFFu
#define QUICK_ACKS_INITIAL 16      /* Linux's quickack mode: ACK every segment while the peer slow-starts */
#define AUTOTUNE_DEFAULT_RTT_US 10000u

static bool accepts_text(enum tcp_state state)
{
	return state == TCP_ESTABLISHED || state == TCP_FIN_WAIT_1 || state == TCP_FIN_WAIT_2;
}

static uint32_t window_limit(const struct tcp_sock *tcb)
{
	return WINDOW_FIELD_MAX << tcb->rcv_wscale;
}

uint32_t tcp_receive_window(struct tcp_sock *tcb)
{
	uint32_t free = tcp_ring_free_space(&tcb->receive_buffer);
	if (free > window_limit(tcb))
		free = window_limit(tcb);
	uint32_t current = tcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
	/* Move the right edge only by at least min(buffer / 2, MSS). */
	uint32_t half = tcb->receive_buffer.capacity / 2;
	uint32_t threshold = half < tcb->mss ? half : tcb->mss;
	if (free < current + threshold)
		return current;
	return free;
}

/* Out-of-order text: placed in the ring at its offset, its range remembered. */
static void receive_out_of_order(struct tcp_sock *tcb, struct tcp_segment *seg, uint32_t offset, uint32_t length,
				 bool fin)
{
	tcp_count(TCP_OUT_OF_ORDER_SEGMENTS);
	seg->ack_now = true;                         /* a duplicate ACK (with SACK blocks) at once */
	if (length && tcp_reassembly_add(&tcb->reassembly, seg->seq, seg->seq + length) != 0) {
		seg->drop = TCP_DROP_REASSEMBLY_FULL;
		return;
	}
	if (length && tcp_ring_write(&tcb->receive_buffer, offset, seg->payload, length) != 0) {
		seg->drop = TCP_DROP_NO_MEMORY;
		return;
	}
	if (fin) {
		tcb->fin_pending = true;
		tcb->fin_seq = seg->seq + length;
	}
}

static void receive_in_order(struct tcp_sock *tcb, struct tcp_segment *seg, uint32_t length)
{
	if (length && tcp_ring_write(&tcb->receive_buffer, 0, seg->payload, length) != 0) {
		seg->drop = TCP_DROP_NO_MEMORY;
		return;
	}
	bool had_holes = tcb->reassembly.count > 0;
	uint32_t next = tcp_reassembly_advance(&tcb->reassembly, tcb->rcv_nxt + length);
	uint32_t delivered = next - tcb->rcv_nxt;
	tcp_ring_commit(&tcb->receive_buffer, delivered);
	tcb->rcv_nxt = next;
	tcb->bytes_since_ack += delivered;
	if (had_holes || tcb->bytes_since_ack >= 2u * tcb->mss)
		seg->ack_now = true;                     /* RFC 5681 4.2: a filled hole is ACKed at once */
	if (tcb->quick_acks) {
		tcb->quick_acks--;
		seg->ack_now = true;
	}
	if (delivered)
		tcp_wake(tcb);
}

void tcp_data_receive(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	bool fin = seg->flags & TCP_FLAG_FIN;
	uint32_t length = seg->length;
	if (length == 0 && !fin)
		return;
	if (!accepts_text(tcb->state)) {
		seg->ack_now = true;                     /* text after the peer's FIN: ignored (3.10.7.4) */
		return;
	}
	if (tcb->fin_received) {
		seg->drop = TCP_DROP_DATA_AFTER_FIN;
		return;
	}
	uint32_t offset = seg->seq - tcb->rcv_nxt;   /* trim_to_window made seq >= rcv_nxt */
	uint32_t room = tcp_ring_free_space(&tcb->receive_buffer);
	if (offset + length > room) {
		/* Only where the rounded-up window promised more than the ring holds. */
		length = room > offset ? room - offset : 0;
		fin = false;
		seg->ack_now = true;
	}
	if (offset > 0) {
		receive_out_of_order(tcb, seg, offset, length, fin);
		return;
	}
	receive_in_order(tcb, seg, length);
	if (seg->drop != NET_DROP_NONE)
		return;
	if ((fin && tcb->rcv_nxt == seg->seq + length) || (tcb->fin_pending && tcb->rcv_nxt == tcb->fin_seq))
		tcp_fin_received(tcb, seg);
}

/* Like Linux's receive buffer moderation (DRS): once per receiver RTT,
 * when the application drained more than half the buffer in that RTT, the
 * window was what limited the sender: double the buffer, up to tcp_rmem's
 * maximum. */
static void tcp_receive_autotune(struct tcp_sock *tcb, uint64_t now_ns)
{
	if (!tcp_moderate_rcvbuf || tcb->receive_buffer_locked)
		return;
	uint32_t capacity = tcb->receive_buffer.capacity;
	if (capacity >= tcp_rmem.maximum)
		return;
	uint64_t rtt_ns = (uint64_t)(tcb->receive_rtt_us ? tcb->receive_rtt_us : AUTOTUNE_DEFAULT_RTT_US) * NSEC_PER_USEC;
	if (tcb->autotune_start_ns == 0 || now_ns - tcb->autotune_start_ns >= rtt_ns) {
		if (tcb->autotune_start_ns && tcb->autotune_copied > capacity / 2) {
			uint32_t grown = capacity * 2 < tcp_rmem.maximum ? capacity * 2 : tcp_rmem.maximum;
			if (grown > window_limit(tcb))
				grown = window_limit(tcb);
			if (grown > capacity) {
				tcp_ring_set_capacity(&tcb->receive_buffer, grown);
				tcp_count(TCP_RECEIVE_BUFFER_GROWN);
			}
		}
		tcb->autotune_start_ns = now_ns;
		tcb->autotune_copied = 0;
	}
}

/* After a read: account it for autotuning, and tell the peer when the
 * window grew enough to matter (it may be waiting on a closed window). */
void tcp_data_consumed(struct tcp_sock *tcb, uint32_t bytes)
{
	uint64_t now = clock_monotonic_ns();
	tcb->autotune_copied += bytes;
	tcp_receive_autotune(tcb, now);
	if (!accepts_text(tcb->state))
		return;
	uint32_t current = tcp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv - tcb->rcv_nxt : 0;
	uint32_t free = tcp_ring_free_space(&tcb->receive_buffer);
	if (free > window_limit(tcb))
		free = window_limit(tcb);
	uint32_t half = tcb->receive_buffer.capacity / 2;
	uint32_t step = half < 2u * tcb->mss ? half : 2u * tcb->mss;
	if (current <= half && free >= current + step)
		tcp_send_ack(tcb);
}

void tcp_quick_ack_start(struct tcp_sock *tcb)
{
	tcb->quick_acks = QUICK_ACKS_INITIAL;
}
