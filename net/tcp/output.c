/* output.c - building and sending segments.
 *
 * Design: the send buffer (net/tcp/ring.h) keeps every byte until it is
 * acknowledged, and each (re)transmission builds a fresh pkt: payload
 * copied from the ring straight into the pkt's data area (one copy), the
 * TCP header pushed into the headroom in front of it, IPv4 and Ethernet
 * pushed by the layers below. A pkt is consumed by the driver, so keeping
 * the sent pkts themselves for retransmission would need shared buffers;
 * the ring keeps the retransmission queue to plain bytes.
 *
 * On a device with TSO (netdev_tso_usable) one pkt carries up to
 * tso_max_payload bytes in a chain of pool buffers (pkt.h fragments) and
 * the device cuts it into MSS-sized segments with copies of this header
 * (Linux's TSO): TCP's per-segment work is done once per ~44 segments.
 * Super-segments hold whole segments except at the end of the data, and
 * leave a quarter of the pool to receive with.
 *
 * What to send (tcp_output): new data within min(peer window, cwnd), in
 * MSS-sized segments, holding back a small segment while data is in
 * flight (Nagle, RFC 9293 3.7.4, unless TCP_NODELAY) and avoiding a silly
 * window (3.8.6.2.1); the FIN once the data before it went; a persist
 * timer when the peer's window is zero (3.8.6.1). */
#include "net/tcp/internal.h"

#include <stddef.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/checksum.h"
#include "net/core/netdev.h"
#include "net/ipv4/ipv4.h"
#include "net/tcp/recovery.h"
#include "net/tcp/sysctl.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define OUTPUT_BURST_SEGMENTS 64     /* per call: the next ACK sends more; keeps the TX ring from overflowing */
#define WINDOW_FIELD_MAX 0xFFFFu
#define POOL_RESERVE_DIVISOR 4       /* super-segments never take the last quarter of the pkt pool */

uint32_t tcp_ts_now(const struct tcp_sock *tcb, uint64_t now_ns)
{
	return (uint32_t)(now_ns / NSEC_PER_MSEC) + tcb->ts_offset;  /* RFC 7323 5.4: 1 ms ticks */
}

static unsigned build_options(struct tcp_sock *tcb, uint8_t flags, uint8_t *out, uint64_t now_ns)
{
	if (flags & TCP_FLAG_SYN) {
		struct tcp_syn_options syn = {
			.mss = tcb->advertised_mss,
			.window_scale_ok = tcb->wscale_ok,
			.window_scale = tcb->rcv_wscale,
			.sack_permitted = tcb->sack_ok,
			.timestamps = tcb->timestamps_ok,
			.ts_value = tcp_ts_now(tcb, now_ns),
			.ts_echo = (flags & TCP_FLAG_ACK) ? tcb->ts_recent : 0,
		};
		return tcp_options_write_syn(out, &syn);
	}
	struct tcp_sack_block blocks[TCP_SACK_BLOCKS_MAX];
	unsigned count = 0;
	if (tcb->sack_ok && tcb->reassembly.count && (flags & TCP_FLAG_ACK))
		count = tcp_reassembly_sack_blocks(&tcb->reassembly, blocks, TCP_SACK_BLOCKS_MAX);
	return tcp_options_write(out, tcb->timestamps_ok, tcp_ts_now(tcb, now_ns), tcb->ts_recent, blocks, count);
}

/* The window field: never scaled on a SYN (RFC 7323 2.2). Otherwise the
 * window is rounded to the scale unit, down as a rule, but up when
 * rounding down would pull the right edge back behind what was already
 * advertised (rcv_adv) and the ring holds the extra bytes: RFC 7323 2.4
 * tolerates the pull-back, but a Linux sender then takes the window for
 * shrunk and sends its ACKs from the old edge, below rcv_nxt, which a
 * zero window must refuse (RFC 9293 3.10.7.4) - its ACKs lost, ours
 * retransmitted on timeouts. Linux's tcp_select_window rounds up the
 * same way. Never beyond the ring: the edge cannot creep past the buffer. */
static uint16_t window_field(struct tcp_sock *tcb, uint8_t flags)
{
	uint32_t window = tcp_receive_window(tcb);
	uint8_t shift = (flags & TCP_FLAG_SYN) ? 0 : tcb->rcv_wscale;
	uint32_t field = window >> shift;
	bool pulls_edge_back = tcp_seq_lt(tcb->rcv_nxt + (field << shift), tcb->rcv_adv);
	if (pulls_edge_back && ((field + 1) << shift) <= tcp_ring_free_space(&tcb->receive_buffer))
		field++;
	if (field > WINDOW_FIELD_MAX)
		field = WINDOW_FIELD_MAX;
	uint32_t edge = tcb->rcv_nxt + (field << shift);
	if (tcp_seq_gt(edge, tcb->rcv_adv))
		tcb->rcv_adv = edge;
	return (uint16_t)field;
}

/* Payload that fits one segment now: the MSS was computed with the
 * timestamps option only; SACK blocks on this segment take more (RFC 6691). */
static uint32_t tcp_segment_payload_limit(const struct tcp_sock *tcb)
{
	unsigned blocks = tcb->sack_ok ? tcb->reassembly.count : 0;
	if (blocks > TCP_SACK_BLOCKS_MAX)
		blocks = TCP_SACK_BLOCKS_MAX;
	unsigned extra = tcp_options_length(tcb->timestamps_ok, blocks) -
			 (tcb->timestamps_ok ? TCP_TIMESTAMPS_ALIGNED_LENGTH : 0);
	return tcb->mss > extra ? tcb->mss - extra : 1;
}

uint32_t tcp_tso_payload_capacity(const struct netdev *dev)
{
	uint32_t datagram = dev->tso_max_bytes - IPV4_HEADER_MIN_LENGTH - TCP_HEADER_MAX_LENGTH;
	uint32_t buffers = (uint32_t)dev->tx_max_buffers * PKT_DATA_SIZE;
	return datagram < buffers ? datagram : buffers;
}

/* How much one pkt may carry now: one segment, or on a TSO route as many
 * whole segments as the device and the pool's spare buffers allow. */
static uint32_t super_segment_limit(const struct tcp_sock *tcb, uint32_t segment)
{
	if (tcb->tso_max_payload <= segment)
		return segment;
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	uint32_t reserve = pool.total / POOL_RESERVE_DIVISOR;
	uint32_t spare = pool.free > reserve ? pool.free - reserve : 0;
	uint32_t limit = spare * PKT_DATA_SIZE < tcb->tso_max_payload ? spare * PKT_DATA_SIZE : tcb->tso_max_payload;
	limit -= limit % segment;
	return limit > segment ? limit : segment;
}

/* Ends the buffer being filled with copied bytes: it joins head's chain
 * (head itself is already the chain's start). */
static void finish_filling(struct pkt *head, struct pkt **filling)
{
	if (*filling && *filling != head)
		pkt_append_fragment(head, *filling);
	*filling = NULL;
}

/* The payload into head and, past its buffer, a chain of fragments:
 * copied bytes are copied once from the send buffer; referenced ones
 * (net/tcp/send_queue.h) become fragments that point at them (zero copy),
 * at most PKT_DATA_SIZE bytes each, like a buffer. -1 when the pool runs
 * dry (the caller frees head and what it holds). */
static int put_payload(struct tcp_sock *tcb, struct pkt *head, uint32_t seq, uint32_t length)
{
	const struct tcp_send_queue *queue = &tcb->send_buffer;
	uint32_t offset = seq - tcb->send_buffer_seq;
	struct pkt *filling = head;
	while (length) {
		uint32_t contiguous;
		const uint8_t *memory = tcp_send_queue_locate(queue, offset, &contiguous);
		uint32_t chunk = contiguous < length ? contiguous : length;
		if (memory) {
			finish_filling(head, &filling);
			struct pkt *fragment = pkt_alloc();
			if (fragment == NULL)
				return -1;
			if (chunk > PKT_DATA_SIZE)
				chunk = PKT_DATA_SIZE;
			pkt_attach_external(fragment, memory, chunk);
			pkt_append_fragment(head, fragment);
		} else {
			if (filling == NULL || pkt_tailroom(filling) == 0) {
				finish_filling(head, &filling);
				if ((filling = pkt_alloc()) == NULL)
					return -1;
			}
			if (chunk > pkt_tailroom(filling))
				chunk = pkt_tailroom(filling);
			tcp_send_queue_peek(queue, offset, pkt_put(filling, chunk), chunk);
		}
		offset += chunk;
		length -= chunk;
	}
	finish_filling(head, &filling);
	return 0;
}

static void finish_checksum(const struct tcp_sock *tcb, struct pkt *pkt, be32 source, be32 destination)
{
	struct tcp_header *header = (struct tcp_header *)pkt->data;
	/* A chained pkt is summed below us in any case: by the device, or
	 * by the driver or net/core/gso.c for one without checksum offload. */
	if ((tcb && tcb->tx_checksum_offload) || pkt->fragments) {
		/* The NIC sums from the TCP header into the field, which
		 * holds the pseudo-header sum (over the whole length, also
		 * for a super-segment: netdev.h's convention). */
		header->checksum = ipv4_pseudo_header_sum(source, destination, IP_PROTOCOL_TCP, pkt_total_length(pkt));
		pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
		pkt_set_checksum_start(pkt);
		pkt->checksum_offset = offsetof(struct tcp_header, checksum);
		return;
	}
	tcp_checksum_fill(pkt->data, pkt->length, source, destination);
}

static void fill_header(struct tcp_header *header, be16 source_port, be16 destination_port, uint32_t seq,
			uint32_t ack, uint8_t flags, uint16_t window, unsigned options_length)
{
	*header = (struct tcp_header){
		.source_port = source_port,
		.destination_port = destination_port,
		.sequence = htonl(seq),
		.acknowledgment = htonl((flags & TCP_FLAG_ACK) ? ack : 0),
		.data_offset = (uint8_t)(((TCP_HEADER_MIN_LENGTH + options_length) / 4) << 4),
		.flags = flags,
		.window = htons(window),
	};
}

/* One segment of length bytes from the send buffer at seq (FIN added when it ends there and one is due). */
static int tcp_transmit(struct tcp_sock *tcb, uint32_t seq, uint32_t length, uint8_t flags)
{
	uint64_t now = clock_monotonic_ns();
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		tcp_count(TCP_OUT_NO_BUFFER);
		return -1;
	}
	uint8_t options[TCP_OPTIONS_MAX_LENGTH];
	unsigned options_length = build_options(tcb, flags, options, now);
	if (length && put_payload(tcb, pkt, seq, length) != 0) {
		pkt_free(pkt);
		tcp_count(TCP_OUT_NO_BUFFER);
		return -1;
	}
	uint32_t segment = tcp_segment_payload_limit(tcb);
	if (length > segment) {
		pkt->gso_size = (uint16_t)segment;
		tcp_count(TCP_OUT_TSO_SUPER_SEGMENTS);
	}
	struct tcp_header *header = (struct tcp_header *)pkt_push(pkt, TCP_HEADER_MIN_LENGTH + options_length);
	fill_header(header, tcb->local_port, tcb->remote_port, seq, tcb->rcv_nxt, flags, window_field(tcb, flags),
		    options_length);
	memcpy(header + 1, options, options_length);
	finish_checksum(tcb, pkt, tcb->local_address, tcb->remote_address);
	if (flags & TCP_FLAG_ACK) {
		tcb->last_ack_sent = tcb->rcv_nxt;
		tcb->bytes_since_ack = 0;
		tcp_timer_clear(tcb, TCP_TIMER_DELAYED_ACK);
	}
	if (flags & TCP_FLAG_RST)
		tcp_count(TCP_OUT_RESETS);
	uint32_t frames = length > segment ? (length + segment - 1) / segment : 1;
	tcp_count_add(TCP_OUT_SEGMENTS, frames);  /* as Linux's OutSegs */
	tcp_small_queues_charge(tcb, pkt, frames, TCP_HEADER_MIN_LENGTH + options_length);
	if (tcp_fault_injected())
		tcp_drop(pkt, TCP_DROP_FAULT_INJECTED);  /* lost on the way: the caller believes it sent */
	else
		ipv4_output(pkt, tcb->local_address, tcb->remote_address, IP_PROTOCOL_TCP);
	return 0;
}

void tcp_send_ack(struct tcp_sock *tcb)
{
	tcp_transmit(tcb, tcb->snd_nxt, 0, TCP_FLAG_ACK);
}

void tcp_send_probe(struct tcp_sock *tcb)
{
	/* An old sequence number: the peer must answer with an ACK (3.10.7.4). */
	tcp_transmit(tcb, tcb->snd_una - 1, 0, TCP_FLAG_ACK);
}

void tcp_send_reset(struct tcp_sock *tcb)
{
	tcp_transmit(tcb, tcb->snd_nxt, 0, TCP_FLAG_RST | TCP_FLAG_ACK);
}

void tcp_send_syn(struct tcp_sock *tcb)
{
	uint8_t flags = tcb->state == TCP_SYN_SENT ? TCP_FLAG_SYN : TCP_FLAG_SYN | TCP_FLAG_ACK;
	tcp_transmit(tcb, tcb->iss, 0, flags);
	tcb->snd_nxt = tcb->iss + 1;
	if (tcp_seq_lt(tcb->snd_max, tcb->snd_nxt))
		tcb->snd_max = tcb->snd_nxt;
	if (!tcb->rtt_timing && tcb->syn_retries == 0) {
		tcb->rtt_timing = true;
		tcb->rtt_seq = tcb->iss;
		tcb->rtt_start_ns = clock_monotonic_ns();
	}
	tcp_rearm_retransmit(tcb, false);
}

static bool may_send_data(enum tcp_state state)
{
	return state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT || state == TCP_FIN_WAIT_1 ||
	       state == TCP_CLOSING || state == TCP_LAST_ACK;
}

/* Nagle and sender-side SWS avoidance, BSD style: a segment goes when it
 * is full, when it carries everything left and either nothing is in
 * flight or TCP_NODELAY, when it is half the largest window the peer ever
 * offered, or when it is a retransmission. */
static bool segment_worth_sending(const struct tcp_sock *tcb, uint32_t length, uint32_t unsent)
{
	if (length >= tcp_segment_payload_limit(tcb) || tcp_seq_lt(tcb->snd_nxt, tcb->snd_max))
		return true;
	if (length == unsent && (tcb->nodelay || tcb->snd_nxt == tcb->snd_una))
		return true;
	return tcb->max_snd_wnd && length >= tcb->max_snd_wnd / 2;
}

/* What the peer's window allows from snd_nxt. */
static uint32_t window_room(const struct tcp_sock *tcb)
{
	uint32_t window_end = tcb->snd_una + tcb->snd_wnd;
	return tcp_seq_gt(window_end, tcb->snd_nxt) ? window_end - tcb->snd_nxt : 0;
}

/* The usable window from snd_nxt: the peer's window, and cwnd less the
 * bytes in flight (sent, not acknowledged, not SACKed). */
static uint32_t send_room(const struct tcp_sock *tcb)
{
	uint32_t in_flight = tcp_scoreboard_holes(&tcb->scoreboard, tcb->snd_una, tcb->snd_nxt);
	uint32_t congestion_room = tcb->cwnd > in_flight ? tcb->cwnd - in_flight : 0;
	uint32_t room = window_room(tcb);
	return room < congestion_room ? room : congestion_room;
}

static void note_sent(struct tcp_sock *tcb, uint32_t seq, bool retransmission)
{
	if (retransmission)
		tcp_count_retransmission(tcb);
	if (tcp_seq_gt(tcb->snd_nxt, tcb->snd_max)) {
		if (!tcb->rtt_timing && !retransmission) {
			tcb->rtt_timing = true;     /* Karn: only segments sent once are timed */
			tcb->rtt_seq = seq;
			tcb->rtt_start_ns = clock_monotonic_ns();
		}
		tcb->snd_max = tcb->snd_nxt;
	}
	tcp_rearm_retransmit(tcb, false);
}

/* Sends one segment at snd_nxt, if allowed; false when nothing went. The
 * FIN rides on the last data segment, or goes alone; it needs no window
 * (it takes no buffer space at the peer). */
/* After an RTO (go-back-N from snd_una), what the peer SACKed is not
 * sent again: snd_nxt jumps over it. Returns how much may go at snd_nxt
 * before the next SACKed block (UINT32_MAX: no limit). */
static uint32_t skip_sacked(struct tcp_sock *tcb)
{
	if (!tcb->sack_ok || !tcp_seq_lt(tcb->snd_nxt, tcb->snd_max) || tcb->scoreboard.count == 0)
		return UINT32_MAX;
	uint32_t start, length;
	if (!tcp_scoreboard_next_hole(&tcb->scoreboard, tcb->snd_nxt, tcb->snd_max, &start, &length)) {
		tcb->snd_nxt = tcb->snd_max;
		return UINT32_MAX;
	}
	tcb->snd_nxt = start;
	return tcp_seq_lt(start + length, tcb->snd_max) ? length : UINT32_MAX;
}

/* congestion_limited: cwnd applies (else only the peer's window: SACK
 * recovery, where pipe is the limit). */
static bool send_one(struct tcp_sock *tcb, bool congestion_limited, bool force)
{
	uint32_t before_hole = skip_sacked(tcb);
	uint32_t room = congestion_limited ? send_room(tcb) : window_room(tcb);
	if (room > before_hole)
		room = before_hole;
	uint32_t unsent = tcp_unsent_bytes(tcb);
	uint32_t data_end = tcb->send_buffer_seq + tcb->send_buffer.used;
	bool fin_due = tcb->fin_queued && tcp_seq_leq(tcb->snd_nxt, data_end);
	uint32_t segment = tcp_segment_payload_limit(tcb);
	uint32_t limit = super_segment_limit(tcb, segment);
	uint32_t length = unsent < limit ? unsent : limit;
	if (length > room)
		length = room;
	if (length > segment) {
		/* As many bytes as the device's buffers per pkt carry (many
		 * small referenced pieces take a fragment each). */
		uint32_t fits = tcp_send_queue_bytes_in_buffers(&tcb->send_buffer, tcb->snd_nxt - tcb->send_buffer_seq,
								tcb->tso_max_buffers, PKT_DATA_SIZE);
		if (fits < length)
			length = fits > segment ? fits : segment;
		if (length > segment && length < unsent)
			length -= length % segment;  /* no short segment in the middle of the stream */
	}
	bool fin_now = fin_due && length == unsent;
	if (length == 0 && !fin_now)
		return false;
	if (length && !fin_now && !force && !segment_worth_sending(tcb, length, unsent))
		return false;
	if (length && !force && tcp_small_queues_full(tcb, length))
		return false;   /* TSQ: a returned charge runs tcp_output again */
	uint8_t flags = TCP_FLAG_ACK;
	if (length && length == unsent)
		flags |= TCP_FLAG_PSH;
	if (fin_now)
		flags |= TCP_FLAG_FIN;
	uint32_t seq = tcb->snd_nxt;
	bool retransmission = tcp_seq_lt(seq, tcb->snd_max);
	if (tcp_transmit(tcb, seq, length, flags) != 0)
		return false;
	tcb->snd_nxt = seq + length + (fin_now ? 1 : 0);
	note_sent(tcb, seq, retransmission);
	return true;
}

/* Data waits with nothing in flight: on a zero window (RFC 9293 3.8.6.1)
 * or one too small to be worth a segment (3.8.6.2.1). Nothing will come
 * back to clock it out: the persist timer probes or forces a segment. */
static void arm_persist_if_stuck(struct tcp_sock *tcb)
{
	if (tcp_unsent_bytes(tcb) && tcp_flight_size(tcb) == 0 && !tcb->deadlines[TCP_TIMER_RETRANSMIT])
		tcp_timer_set(tcb, TCP_TIMER_RETRANSMIT, clock_monotonic_ns() + tcp_rto_ns(tcb));
}

bool tcp_output_forced(struct tcp_sock *tcb)
{
	return may_send_data(tcb->state) && send_one(tcb, true, true);
}

/* For loss recovery: one segment of up to mss bytes at seq, which was sent before. */
int tcp_retransmit(struct tcp_sock *tcb, uint32_t seq, uint32_t length)
{
	uint32_t data_end = tcb->send_buffer_seq + tcb->send_buffer.used;
	uint32_t available = tcp_seq_lt(seq, data_end) ? data_end - seq : 0;
	if (length > available)
		length = available;
	if (length > tcp_segment_payload_limit(tcb))
		length = tcp_segment_payload_limit(tcb);
	uint8_t flags = TCP_FLAG_ACK;
	bool fin = tcb->fin_queued && seq + length == data_end && tcp_seq_gt(tcb->snd_max, data_end);
	if (fin)
		flags |= TCP_FLAG_FIN;
	if (length == 0 && !fin)
		return -1;
	if (tcp_transmit(tcb, seq, length, flags) != 0)
		return -1;
	tcp_count_retransmission(tcb);
	if (tcb->rtt_timing && tcp_seq_leq(seq, tcb->rtt_seq) && tcp_seq_gt(seq + length + fin, tcb->rtt_seq))
		tcb->rtt_timing = false;        /* Karn: the timed segment went twice */
	tcp_rearm_retransmit(tcb, false);
	return (int)(length + fin);
}

/* For SACK recovery (pipe, not cwnd, is the limit): one new segment at
 * snd_nxt within the peer's window; sequence space sent, or 0. */
uint32_t tcp_send_new_segment(struct tcp_sock *tcb)
{
	uint32_t before = tcb->snd_nxt;
	return send_one(tcb, false, false) ? tcb->snd_nxt - before : 0;
}

void tcp_output(struct tcp_sock *tcb)
{
	if (!may_send_data(tcb->state))
		return;
	if (tcb->in_recovery && tcb->sack_ok) {
		tcp_recovery_send(tcb);
		return;
	}
	for (int i = 0; i < OUTPUT_BURST_SEGMENTS && send_one(tcb, true, false); i++)
		;
	arm_persist_if_stuck(tcb);
}
