/* stats.h - TCP's counters (named after RFC 4022's MIB and Linux's
 * netstat -s where one exists) and its drop reasons: every segment TCP
 * discards is counted under one reason at the check that rejects it. The
 * reasons live here rather than in net/core/drop.h so TCP can add them on its
 * own; tcp_print_stats prints them as "drops:" lines like net/core/drop.h's. */
#ifndef KEEL_NET_TCP_STATS_H
#define KEEL_NET_TCP_STATS_H

#include <stdint.h>

#include "net/core/pkt.h"

enum tcp_drop_reason {
	TCP_DROP_NONE = 0,
	TCP_DROP_TRUNCATED,               /* shorter than 20 bytes */
	TCP_DROP_BAD_DATA_OFFSET,         /* data offset < 5 or beyond the segment */
	TCP_DROP_BAD_CHECKSUM,
	TCP_DROP_NOT_UNICAST,             /* to a broadcast address (RFC 1122 4.2.3.10) */
	TCP_DROP_BAD_PORT,                /* port 0 */
	TCP_DROP_NO_SOCKET,               /* closed port: answered with RST (RFC 9293 3.10.7.1) */
	TCP_DROP_LISTEN_RST,              /* RST to a listener: ignored */
	TCP_DROP_LISTEN_ACK,              /* ACK to a listener, not a valid cookie: RST */
	TCP_DROP_LISTEN_NO_SYN,           /* neither SYN, ACK nor RST */
	TCP_DROP_LISTEN_SYN_FIN,          /* SYN and FIN together: a scanner's probe, dropped as Linux does */
	TCP_DROP_LISTEN_OVERFLOW,         /* accept queue full */
	TCP_DROP_SYN_QUEUE_FULL,          /* and SYN cookies off */
	TCP_DROP_TABLE_FULL,              /* connection table at keel.tcp.max_connections */
	TCP_DROP_NO_MEMORY,               /* tcb or buffer allocation failed */
	TCP_DROP_BAD_COOKIE,
	TCP_DROP_SYN_SENT_BAD_ACK,        /* RFC 9293 3.10.7.3 first check */
	TCP_DROP_SYN_SENT_NO_SYN,
	TCP_DROP_PAWS,                    /* RFC 7323 5.3 */
	TCP_DROP_OUT_OF_WINDOW,           /* RFC 9293 3.10.7.4 first check */
	TCP_DROP_RST_CHALLENGED,          /* RFC 5961 3.2: in window, not exact */
	TCP_DROP_SYN_CHALLENGED,          /* RFC 5961 4.2 */
	TCP_DROP_NO_ACK,                  /* RFC 9293 3.10.7.4 fifth check */
	TCP_DROP_ACK_UNSENT,              /* acknowledges something not yet sent */
	TCP_DROP_ACK_TOO_OLD,             /* RFC 5961 5.2 */
	TCP_DROP_SYN_RECEIVED_BAD_ACK,    /* answered with RST */
	TCP_DROP_REASSEMBLY_FULL,         /* too many holes */
	TCP_DROP_DATA_AFTER_CLOSE,        /* new data for a closed socket: RST, as Linux */
	TCP_DROP_DATA_AFTER_FIN,          /* data beyond the peer's FIN */
	TCP_DROP_TIME_WAIT,               /* anything but a FIN retransmission in TIME_WAIT */
	TCP_DROP_FAULT_INJECTED,          /* keel.tcp.loss= (tests), incoming or outgoing */
	TCP_DROP_REASON_COUNT
};

enum tcp_counter {
	TCP_ACTIVE_OPENS,          /* connect() SYNs */
	TCP_PASSIVE_OPENS,         /* children created by listeners */
	TCP_ATTEMPT_FAILS,         /* SYN_SENT/SYN_RECEIVED -> CLOSED */
	TCP_ESTABLISHED_RESETS,    /* ESTABLISHED/CLOSE_WAIT -> CLOSED by RST */
	TCP_IN_SEGMENTS,
	TCP_OUT_SEGMENTS,
	TCP_RETRANSMITTED_SEGMENTS,
	TCP_OUT_RESETS,
	TCP_IN_ERRORS,             /* checksum, malformed */
	TCP_BAD_OPTIONS,           /* malformed options (parsing stopped) */
	TCP_OUT_NO_BUFFER,         /* pkt pool empty on output */
	TCP_OUT_TSO_SUPER_SEGMENTS, /* pkts of several segments the device cuts (TSO) */
	TCP_OUT_ZERO_COPY_BYTES,   /* bytes sent by reference to immutable memory (net/tcp/send_queue.h) */
	TCP_SYNCOOKIES_SENT,
	TCP_SYNCOOKIES_RECEIVED,   /* valid ones: connections made from them */
	TCP_SYNCOOKIES_FAILED,
	TCP_CHALLENGE_ACKS,
	TCP_CHALLENGE_ACKS_LIMITED,
	TCP_RTO_EXPIRATIONS,
	TCP_FAST_RETRANSMITS,
	TCP_SACK_RECOVERIES,
	TCP_NEWRENO_RECOVERIES,
	TCP_PARTIAL_ACKS,
	TCP_DELAYED_ACKS,          /* ACKs sent by the delayed-ACK timer */
	TCP_PERSIST_PROBES,
	TCP_KEEPALIVE_PROBES,
	TCP_TIMEOUTS,              /* connections given up after retries */
	TCP_TIME_WAIT_REUSED,      /* SYN that recycled a TIME_WAIT (RFC 6191) */
	TCP_TIME_WAIT_OVERFLOW,    /* closed at once: too many in TIME_WAIT */
	TCP_SACKS_RECEIVED,        /* segments with SACK blocks */
	TCP_OUT_OF_ORDER_SEGMENTS,
	TCP_RECEIVE_BUFFER_GROWN,  /* autotuning steps */
	TCP_ICMP_MTU_REDUCED,      /* path MTU lowered by fragmentation needed (RFC 1191) */
	TCP_ICMP_SOFT_ERRORS,      /* soft ICMP errors noted (RFC 1122 4.2.3.9) */
	TCP_ICMP_CONNECT_ABORTS,   /* handshakes ended by an ICMP error */
	TCP_COUNTER_COUNT
};

extern uint64_t tcp_counters[TCP_COUNTER_COUNT];
static inline void tcp_count(enum tcp_counter counter) { tcp_counters[counter]++; }
static inline void tcp_count_add(enum tcp_counter counter, uint64_t amount) { tcp_counters[counter] += amount; }

/* Counts the reason and frees pkt (NULL: counted only). */
void tcp_drop(struct pkt *pkt, enum tcp_drop_reason reason);
uint64_t tcp_drop_count(enum tcp_drop_reason reason);
const char *tcp_drop_reason_name(enum tcp_drop_reason reason);
const char *tcp_counter_name(enum tcp_counter counter);

#endif
