/* internal.h - the connection state (our TCB, RFC 9293 3.3.1) shared by
 * the net/tcp_*.c files, and the functions they call in one another.
 *
 * Ownership: a tcb belongs to TCP. The socket layer's struct sock points
 * at it (sk->protocol_state) until release(); after that the tcb lives on
 * as an orphan (sk == NULL) through FIN_WAIT/TIME_WAIT and is freed by TCP.
 * Functions below never free a tcb they were given: they move it to
 * TCP_CLOSED, and the entry points (segment input, timers, socket calls)
 * call tcp_release_if_done() last, so no caller touches freed memory. */
#ifndef KEEL_NET_TCP_INTERNAL_H
#define KEEL_NET_TCP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/time/timer.h"
#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/socket/sock.h"
#include "net/tcp/options.h"
#include "net/tcp/reassembly.h"
#include "net/tcp/ring.h"
#include "net/tcp/sack.h"
#include "net/tcp/send_queue.h"
#include "net/tcp/seq.h"
#include "net/tcp/stats.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_STATE_COUNT
};

/* Each tcb has one kernel timer, armed for the earliest of these deadlines. */
enum tcp_timer_kind {
	TCP_TIMER_RETRANSMIT,     /* RTO; also SYN/SYN-ACK retries and the persist (zero window) probe */
	TCP_TIMER_DELAYED_ACK,
	TCP_TIMER_KEEPALIVE,
	TCP_TIMER_CLOSE,          /* TIME_WAIT 2*MSL, or an orphan's FIN_WAIT_2 limit */
	TCP_TIMER_COUNT
};

#define TCP_DEFAULT_MSS 536            /* RFC 9293 3.7.1: when the peer sends no MSS option */
#define TCP_HEADERS_LENGTH (IPV4_HEADER_MIN_LENGTH + TCP_HEADER_MIN_LENGTH) /* without options */
#define TCP_MIN_MSS 88                 /* Linux's floor for a peer's MSS */
#define TCP_INITIAL_WINDOW_SEGMENTS 10 /* RFC 6928 */
#define TCP_DUPACK_THRESHOLD 3         /* RFC 5681 3.2 */

struct tcp_listen_queue;
struct tcp_congestion_ops;

/* CUBIC (RFC 9438) state; NewReno needs none beyond cwnd/ssthresh. */
struct tcp_cubic {
	uint32_t w_max;             /* segments, * 1024 */
	uint32_t w_last_max;        /* for fast convergence (4.7) */
	uint32_t k_ms;              /* time to reach w_max again */
	uint32_t origin;            /* segments * 1024: the plateau the curve returns to */
	uint64_t epoch_start_ns;    /* 0: no epoch running */
	uint32_t w_est;             /* segments * 1024: the Reno-friendly estimate (4.3) */
	uint32_t cwnd_fraction;     /* bytes acked toward the next MSS of growth */
};

struct tcp_sock {
	struct sock *sk;                  /* NULL: orphaned (closed by the app) or not yet accepted */
	struct tcp_sock *hash_next;       /* connection table chain */
	struct tcp_sock *bind_next;       /* bound ports list (listeners and connect()ed sockets) */
	struct tcp_sock *listener;        /* passive open: the listener until accepted */
	struct tcp_sock *queue_next;      /* in the listener's SYN or accept queue */
	enum tcp_state state;
	bool hashed, bound, in_accept_queue;
	be32 local_address, remote_address;
	be16 local_port, remote_port;
	bool tx_checksum_offload;         /* the route's device completes checksums */
	uint32_t tso_max_payload;         /* payload of the largest super-segment the device cuts (0: no TSO) */
	uint16_t tso_max_buffers;         /* buffers (head + fragments) the device takes per pkt */
	uint16_t route_mtu;

	/* Send sequence variables (RFC 9293 3.3.1). */
	uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
	uint32_t snd_max;                 /* highest sequence sent + 1 (snd_nxt drops back on RTO) */
	uint32_t max_snd_wnd;             /* RFC 5961 5.2 MAX.SND.WND */
	uint32_t send_buffer_seq;         /* sequence number of send_buffer's first byte */
	struct tcp_send_queue send_buffer; /* unacknowledged and unsent bytes, copied or referenced */
	bool send_buffer_locked;          /* SO_SNDBUF set: no growth */

	/* Receive sequence variables. */
	uint32_t irs, rcv_nxt;
	uint32_t rcv_adv;                 /* right edge of the last window advertised */
	struct tcp_ring receive_buffer;   /* unread bytes from rcv_nxt - used */
	struct tcp_reassembly reassembly;
	bool receive_buffer_locked;       /* SO_RCVBUF set: no autotuning */
	uint32_t fin_seq;                 /* the peer's FIN, when fin_pending */
	bool fin_pending;                 /* FIN seen beyond a hole */

	/* Negotiated at the handshake. */
	uint16_t mss;                     /* payload per segment we send (options excluded) */
	uint16_t advertised_mss;          /* what our SYN said */
	uint16_t peer_mss;
	uint8_t snd_wscale, rcv_wscale;
	bool wscale_ok, sack_ok, timestamps_ok;
	uint32_t ts_recent;               /* RFC 7323 4.3 TS.Recent */
	uint64_t ts_recent_ns;            /* when ts_recent was taken (PAWS 24-day rule) */
	uint32_t ts_offset;               /* random per connection (RFC 7323 5.4) */
	uint32_t last_ack_sent;

	/* Application side. */
	bool nodelay;                     /* TCP_NODELAY */
	bool fin_queued;                  /* shutdown(SHUT_WR)/close: FIN after the data */
	bool fin_received;                /* the peer's FIN is in sequence: reads end */
	bool read_shutdown;               /* shutdown(SHUT_RD) */
	bool connect_pending;             /* connect() awaits the handshake (POLLOUT then) */
	bool ever_connected;              /* a handshake was started: ENOTCONN vs EPIPE */
	bool orphan;                      /* the application closed it */
	/* An in-stack service owning the connection instead of a socket (the
	 * test echo listener, net/testing/): told of every change, like
	 * sock_wake; inherited by a listener's children. NULL otherwise. */
	void (*service_wake)(struct tcp_sock *tcb);
	bool test_dirty;                  /* on that service's work list */
	struct tcp_sock *test_next;
	int error;                        /* errno of a fatal event, until the socket reads it */
	int soft_error;                   /* last soft ICMP error (Linux's sk_err_soft): the reason if we time out */

	/* Round-trip time and retransmission (RFC 6298). */
	uint32_t srtt_us, rttvar_us, rto_us;
	bool rtt_timing;                  /* Karn: timing the segment starting at rtt_seq */
	uint32_t rtt_seq;
	uint64_t rtt_start_ns;
	uint8_t backoff;                  /* consecutive RTO expirations */
	uint32_t total_retransmits;       /* segments sent again, over the connection's life (ss -i's retrans:x/TOTAL) */
	uint8_t syn_retries;              /* SYN or SYN-ACK retransmissions so far */
	uint64_t retransmit_start_ns;     /* when the first unanswered retransmission went out */

	/* Congestion control (RFC 5681, RFC 6582, RFC 6675). */
	const struct tcp_congestion_ops *congestion;
	uint32_t cwnd, ssthresh;          /* bytes */
	uint32_t bytes_acked;             /* congestion avoidance byte counter (RFC 3465) */
	uint32_t dupacks;
	bool in_recovery;                 /* fast recovery until snd_una >= recover */
	bool in_loss;                     /* after an RTO, until snd_una >= recover */
	uint32_t recover;
	uint32_t retransmit_next;         /* SACK recovery: next hole byte to retransmit */
	struct tcp_cubic cubic;
	struct tcp_scoreboard scoreboard; /* SACK blocks the peer reported */

	/* Delayed ACK (RFC 9293 3.8.6.3, RFC 5681 4.2). */
	uint32_t bytes_since_ack;
	uint8_t quick_acks;               /* ACK at once for this many more segments (slow start help) */

	/* TCP small queues (net/tcp/small_queues.c). */
	uint32_t bytes_below;             /* charged wire bytes in the qdisc and the driver */
	bool small_queue_throttled;       /* new data waits for some of them to come back */
	bool release_pending;             /* released: freed once bytes_below is 0 */
	uint64_t small_queue_throttles;   /* times it waited */
	struct timer small_queue_timer;

	/* Timers. */
	struct timer timer;
	uint64_t deadlines[TCP_TIMER_COUNT];   /* 0: not set */
	uint64_t last_received_ns;
	uint8_t keepalive_probes_sent;
	uint8_t persist_backoff;
	uint8_t probes_unanswered;           /* zero-window probes since the last acceptable ACK */
	uint32_t keepalive_idle_s, keepalive_interval_s, keepalive_count;  /* 0: sysctl default */

	/* Receive buffer autotuning (like Linux's DRS). */
	uint64_t autotune_start_ns;
	uint32_t autotune_copied;
	uint32_t receive_rtt_us;          /* from timestamp echoes: the receiver's RTT estimate */
	uint64_t last_out_of_window_ack_ns;  /* rate limit (Linux's tcp_invalid_ratelimit) */

	struct tcp_listen_queue *listen;  /* LISTEN only */
};

/* A received segment after parsing: header fields in host order. */
struct tcp_segment {
	struct pkt *pkt;
	be32 source, destination;         /* from the IPv4 header */
	be16 source_port, destination_port;
	uint32_t seq, ack, window;
	uint8_t flags;
	const uint8_t *payload;
	uint32_t length;                  /* payload bytes */
	struct tcp_options options;
	uint64_t now_ns;
	enum net_drop_reason drop;        /* set by a handler that discards the segment */
	bool ack_now;                     /* an ACK is due at once (out of order, FIN, ...) */
};

static inline uint32_t tcp_segment_sequence_length(const struct tcp_segment *seg)
{
	return seg->length + !!(seg->flags & TCP_FLAG_SYN) + !!(seg->flags & TCP_FLAG_FIN);
}

static inline bool tcp_state_synchronized(enum tcp_state state) { return state >= TCP_ESTABLISHED; }
/* A segment (or SYN, SYN-ACK) sent again: the stack's counter and the connection's. */
static inline void tcp_count_retransmission(struct tcp_sock *tcb)
{
	tcp_count(TCP_RETRANSMITTED_SEGMENTS);
	tcb->total_retransmits++;
}
static inline uint32_t tcp_flight_size(const struct tcp_sock *tcb) { return tcb->snd_max - tcb->snd_una; }
/* Bytes in the send buffer not yet sent (from snd_nxt). */
static inline uint32_t tcp_unsent_bytes(const struct tcp_sock *tcb)
{
	uint32_t end = tcb->send_buffer_seq + tcb->send_buffer.used;
	return tcp_seq_gt(end, tcb->snd_nxt) ? end - tcb->snd_nxt : 0;
}

/* net/tcp/socket.c: the SOCK_STREAM ops, allocation and the end of a tcb. */
extern const struct sock_protocol_ops tcp_ops;
struct tcp_sock *tcp_sock_new(void);
void tcp_release_if_done(struct tcp_sock *tcb);
/* The memory of a released connection (tcp_release_if_done, or later from
 * small_queues.c once its last charged pkt came back). */
void tcp_free(struct tcp_sock *tcb);

/* TCP small queues (net/tcp/small_queues.c): the connection's timer set
 * up; a pkt charged to it (the frames it becomes on the wire, as OutSegs
 * counts them; tcp_header_length: the TCP header's bytes in it); whether new data of length bytes must wait (and then it is woken
 * when charged bytes come back); whether charged bytes keep a released
 * connection's memory (then tcp_free comes later). */
void tcp_small_queues_init(struct tcp_sock *tcb);
void tcp_small_queues_charge(struct tcp_sock *tcb, struct pkt *pkt, uint32_t frames, uint32_t tcp_header_length);
bool tcp_small_queues_full(struct tcp_sock *tcb, uint32_t length);
bool tcp_small_queues_hold(struct tcp_sock *tcb);
/* Moves to CLOSED: unhashes, stops timers, frees buffers, tells the socket. */
void tcp_set_closed(struct tcp_sock *tcb, int error);
void tcp_set_state(struct tcp_sock *tcb, enum tcp_state state);
const char *tcp_state_name(enum tcp_state state);
unsigned tcp_state_count(enum tcp_state state);
void tcp_wake(struct tcp_sock *tcb);

/* net/tcp/table.c: the connection table and the bound ports. */
int tcp_table_insert(struct tcp_sock *tcb);
void tcp_table_remove(struct tcp_sock *tcb);
struct tcp_sock *tcp_table_lookup(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port);
struct tcp_sock *tcp_listener_lookup(be32 local_address, be16 local_port);
unsigned tcp_table_count(void);
/* Every listener, then every connection of the table (for ss, net/tcp/diag.c). */
void tcp_table_for_each(void (*visit)(const struct tcp_sock *tcb, void *context), void *context);
int tcp_bind_port(struct tcp_sock *tcb, be32 address, uint16_t port, bool reuse_address);
void tcp_unbind(struct tcp_sock *tcb);
/* An ephemeral port for connecting to remote (Linux's range 32768-60999). 0 when none. */
uint16_t tcp_ephemeral_port(be32 local_address, be32 remote_address, be16 remote_port);

/* net/tcp/input.c and the per-state receive functions. */
void tcp_rcv_listen(struct tcp_sock *listener, struct tcp_segment *seg);
void tcp_rcv_syn_sent(struct tcp_sock *tcb, struct tcp_segment *seg);
/* connect(): route, port, ISN, SYN. -EINPROGRESS or -errno. */
int tcp_connect_start(struct tcp_sock *tcb, be32 address, be16 port);
void tcp_rcv_synchronized(struct tcp_sock *tcb, struct tcp_segment *seg);
/* The peer's FIN is in sequence (RFC 9293 3.10.7.4 eighth). */
void tcp_fin_received(struct tcp_sock *tcb, struct tcp_segment *seg);
/* The passive or simultaneous handshake completed. false: not now (accept queue full). */
bool tcp_handshake_completed(struct tcp_sock *tcb, const struct tcp_segment *seg);
/* Route, MSS and options we offer, for a tcb whose addresses are set. 0 or -errno. */
int tcp_route_setup(struct tcp_sock *tcb);
/* Shift for our receive window: large enough for tcp_rmem's maximum (RFC 7323 2.3). */
uint8_t tcp_receive_window_shift(void);
/* SYN_RECEIVED and later: options from a SYN (ours already chosen). */
void tcp_apply_syn_options(struct tcp_sock *tcb, const struct tcp_segment *seg);
/* net/tcp/ack.c: the ACK field; returns false when the segment must be dropped. */
bool tcp_ack_process(struct tcp_sock *tcb, struct tcp_segment *seg);
/* net/tcp/data.c: segment text and FIN into the receive buffer. */
void tcp_data_receive(struct tcp_sock *tcb, struct tcp_segment *seg);
uint32_t tcp_receive_window(struct tcp_sock *tcb);
/* After the application read: maybe a window update, maybe autotuning. */
void tcp_data_consumed(struct tcp_sock *tcb, uint32_t bytes);
/* ACK every segment for a while (new connections: the peer is in slow start). */
void tcp_quick_ack_start(struct tcp_sock *tcb);

/* net/tcp/output.c */
void tcp_output(struct tcp_sock *tcb);
/* The SWS override (RFC 9293 3.8.6.2.1): one segment of what the window allows, Nagle or not. */
bool tcp_output_forced(struct tcp_sock *tcb);
void tcp_send_ack(struct tcp_sock *tcb);
void tcp_send_syn(struct tcp_sock *tcb);
/* Loss recovery: resends up to one MSS at seq (with the FIN if it ends
 * there); sequence space sent, or -1. */
int tcp_retransmit(struct tcp_sock *tcb, uint32_t seq, uint32_t length);
uint32_t tcp_send_new_segment(struct tcp_sock *tcb);
struct netdev;
/* Payload bytes of the largest super-segment dev cuts (TSO) that our pkts can carry. */
uint32_t tcp_tso_payload_capacity(const struct netdev *dev);
/* A segment with seq snd_una - 1 and no data: elicits an ACK (keepalive, zero-window probe). */
void tcp_send_probe(struct tcp_sock *tcb);
void tcp_send_reset(struct tcp_sock *tcb);
/* Schedules an ACK: at once when due, else with the delayed-ACK timer. */
void tcp_ack_schedule(struct tcp_sock *tcb, bool now);
uint32_t tcp_ts_now(const struct tcp_sock *tcb, uint64_t now_ns);

/* net/tcp/rst.c: RFC 9293 3.10.7.1 reset for a segment with no connection, and
 * RFC 5961 challenge ACKs. */
void tcp_reset_reply(const struct tcp_segment *seg);
/* A segment with no connection behind it (RST replies, cookie SYN-ACKs). */
void tcp_send_stateless(const struct tcp_segment *seg, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window,
			const uint8_t *options, unsigned options_length);
/* RFC 9293 3.10.7.4: an unacceptable segment is answered with an ACK, at most one per 500 ms (as Linux). */
void tcp_out_of_window_ack(struct tcp_sock *tcb, const struct tcp_segment *seg);
void tcp_challenge_ack(struct tcp_sock *tcb, uint64_t now_ns);

/* net/tcp/timer.c */
void tcp_timer_init(struct tcp_sock *tcb);
void tcp_timer_set(struct tcp_sock *tcb, enum tcp_timer_kind kind, uint64_t deadline_ns);
void tcp_timer_clear(struct tcp_sock *tcb, enum tcp_timer_kind kind);
void tcp_timer_stop_all(struct tcp_sock *tcb);
/* Arms the retransmission timer for now + RTO (with backoff) unless armed, or restarts it. */
void tcp_rearm_retransmit(struct tcp_sock *tcb, bool restart);
void tcp_rtt_sample(struct tcp_sock *tcb, uint64_t rtt_ns);
uint64_t tcp_rto_ns(const struct tcp_sock *tcb);
void tcp_keepalive_reset(struct tcp_sock *tcb);
void tcp_enter_time_wait(struct tcp_sock *tcb);

/* net/tcp/listen.c */
void tcp_listen_close(struct tcp_sock *listener);
/* SYN_RECEIVED -> ESTABLISHED of a passive child: to the accept queue; false when it is full. */
bool tcp_listen_child_established(struct tcp_sock *child);
void tcp_listen_child_gone(struct tcp_sock *child);

/* net/tcp/isn.c */
void tcp_secrets_init(void);
uint32_t tcp_isn(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port, uint64_t now_ns);
uint32_t tcp_ts_offset(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port);
uint64_t tcp_random(void);
/* Fault injection, set by a test service (net/testing/tcp_fault.c) when the
 * command line asks for segment loss: true when the segment in hand, in or
 * out, is to be lost. NULL (no loss) otherwise; TCP never names the service. */
extern bool (*tcp_lose_segment)(void);
static inline bool tcp_fault_injected(void)
{
	return tcp_lose_segment && tcp_lose_segment();
}

/* net/tcp/syncookie.c */
uint32_t tcp_syncookie_make(const struct tcp_segment *syn, uint16_t *mss, uint64_t now_ns);
/* The MSS encoded in the cookie that ack - 1 is, or 0 when it is not one of ours. */
uint16_t tcp_syncookie_check(const struct tcp_segment *ack, uint64_t now_ns);

/* net/tcp/icmp.c: the MSS for the tcb's route_mtu (path MTU) and the peer's MSS option. */
uint16_t tcp_mss_for_path(const struct tcp_sock *tcb);

/* net/tcp/checksum.c (the PKT_CHECKSUM_PARTIAL seed is net/core/checksum.h's ipv4_pseudo_header_sum) */
bool tcp_checksum_valid(const void *segment, uint32_t length, be32 source, be32 destination);
void tcp_checksum_fill(void *segment, uint32_t length, be32 source, be32 destination);

#endif
