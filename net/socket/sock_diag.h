/* sock_diag.h - what `ss` sees of every transport's sockets (Linux's
 * sock_diag / inet_diag): each protocol registers one SOCK_DIAG handler
 * next to its code (net/tcp/diag.c, net/udp/diag.c) that walks its
 * sockets and hands each as a struct sock_diag_row; the ss command
 * (net/socket/console_ss.c) filters and prints them, knowing no
 * protocol's internals. A row holds values, never pointers into the
 * protocol, so a printer may format it at leisure. */
#ifndef KEEL_NET_SOCK_DIAG_H
#define KEEL_NET_SOCK_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "net/socket/sock.h"

/* Linux's TCP state numbers (include/net/tcp_states.h): ss's state filters
 * are bit masks over them. UDP sockets are CLOSE (ss prints UNCONN) or
 * ESTABLISHED when connected. */
enum sock_diag_state {
	SOCK_DIAG_ESTABLISHED = 1,
	SOCK_DIAG_SYN_SENT,
	SOCK_DIAG_SYN_RECV,
	SOCK_DIAG_FIN_WAIT1,
	SOCK_DIAG_FIN_WAIT2,
	SOCK_DIAG_TIME_WAIT,
	SOCK_DIAG_CLOSE,
	SOCK_DIAG_CLOSE_WAIT,
	SOCK_DIAG_LAST_ACK,
	SOCK_DIAG_LISTEN,
	SOCK_DIAG_CLOSING,
	SOCK_DIAG_STATE_COUNT
};

/* ss -i: a subset of Linux's struct tcp_info, in the units ss prints. */
struct sock_diag_tcp_info {
	const char *congestion;        /* "cubic", "reno" */
	bool timestamps, sack, window_scaling;
	uint8_t send_wscale, receive_wscale;
	uint32_t rto_us, rtt_us, rttvar_us;
	uint32_t mss, advmss, pmtu;
	uint32_t cwnd_segments, ssthresh_segments;   /* ssthresh 0: not yet set (infinite) */
	uint32_t unacked_segments, retransmits, total_retransmits;
	uint32_t send_window, receive_window;        /* bytes: the peer's offer, and ours */
	uint64_t bytes_acked, bytes_received;
	uint8_t backoff;
};

struct sock_diag_row {
	enum sock_diag_state state;
	uint32_t receive_queue;        /* Recv-Q: unread bytes; LISTEN: connections waiting for accept() */
	uint32_t send_queue;           /* Send-Q: bytes not yet acknowledged; LISTEN: the accept backlog */
	struct sock_endpoint local, remote;
	bool orphan;                   /* closed by the application, still finishing */
	/* ss -m: skmem:(r,rb,t,tb,f,w,o,bl,d) */
	uint32_t receive_allocated, receive_buffer, transmit_allocated, send_buffer, write_queued, drops;
	bool has_tcp_info;
	struct sock_diag_tcp_info tcp;
};

struct sock_diag_handler {
	const char *netid;             /* "tcp", "udp": ss's Netid column and -t/-u */
	/* Calls visit for every socket of the protocol (listeners, connections, TIME_WAIT). */
	void (*for_each)(void (*visit)(const struct sock_diag_row *row, void *context), void *context);
};

#define SOCK_DIAG(handler_name, netid_text, for_each_function)                                   \
	static const struct sock_diag_handler sock_diag_##handler_name                           \
		__attribute__((used, section("sock_diag_handlers"), aligned(8))) = { netid_text, for_each_function }

const struct sock_diag_handler *sock_diag_first(void);
const struct sock_diag_handler *sock_diag_end(void);

/* The counts `ss -s`, /proc/net/sockstat and /metrics print, from one walk
 * of every handler's rows. Linux's sockstat rules: TCP "inuse" is
 * tcp_all - time_wait, "mem" is the pages of buffered bytes. */
struct sock_diag_summary {
	unsigned tcp_all, established, closed, orphaned, time_wait, udp;
	unsigned current_established;    /* RFC 4022 tcpCurrEstab: ESTABLISHED or CLOSE-WAIT */
	unsigned tcp_in_use;             /* sockstat's TCP inuse: tcp_all - time_wait */
	uint64_t tcp_bytes, udp_bytes;   /* buffered, both directions */
};
struct sock_diag_summary sock_diag_summary(void);
#define SOCK_DIAG_PAGE_BYTES 4096
static inline uint64_t sock_diag_pages(uint64_t bytes) { return (bytes + SOCK_DIAG_PAGE_BYTES - 1) / SOCK_DIAG_PAGE_BYTES; }

#endif
