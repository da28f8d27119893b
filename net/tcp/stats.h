/* stats.h - TCP's counters (named after RFC 4022's MIB and Linux's
 * netstat -s where one exists) and its drops: every segment TCP discards is
 * counted under one reason at the check that rejects it. The reasons are
 * the stack's (net/core/drop.h), TCP's own list is net/tcp/drop_reasons.h;
 * checks return NET_DROP_NONE when the segment passes. The counters and
 * TCP's drops print in the netdev block (keel.stats=, shutdown, panic) and
 * in the tcp block (keel.tcp.stats=), see net/tcp/stats.c. */
#ifndef KEEL_NET_TCP_STATS_H
#define KEEL_NET_TCP_STATS_H

#include <stdint.h>

#include "net/core/drop.h"
#include "net/core/pkt.h"

/* X(constant, printed name) */
#define TCP_COUNTERS(X) \
	X(TCP_ACTIVE_OPENS, active_opens)                 /* connect() SYNs */ \
	X(TCP_PASSIVE_OPENS, passive_opens)               /* children created by listeners */ \
	X(TCP_ATTEMPT_FAILS, attempt_fails)               /* SYN_SENT/SYN_RECEIVED -> CLOSED */ \
	X(TCP_ESTABLISHED_RESETS, estab_resets)           /* ESTABLISHED/CLOSE_WAIT -> CLOSED by RST */ \
	X(TCP_IN_SEGMENTS, in_segs) \
	X(TCP_OUT_SEGMENTS, out_segs) \
	X(TCP_RETRANSMITTED_SEGMENTS, retrans_segs) \
	X(TCP_OUT_RESETS, out_rsts) \
	X(TCP_IN_ERRORS, in_errs)                         /* checksum, malformed */ \
	X(TCP_BAD_OPTIONS, bad_options)                   /* malformed options (parsing stopped) */ \
	X(TCP_OUT_NO_BUFFER, out_no_buffer)               /* pkt pool empty on output */ \
	X(TCP_OUT_TSO_SUPER_SEGMENTS, out_tso_super_segments) /* pkts of several segments the device cuts (TSO) */ \
	/* bytes sent by reference to immutable memory (net/tcp/send_queue.h) */ \
	X(TCP_OUT_ZERO_COPY_BYTES, out_zero_copy_bytes) \
	X(TCP_SYNCOOKIES_SENT, syncookies_sent) \
	X(TCP_SYNCOOKIES_RECEIVED, syncookies_recv)       /* valid ones: connections made from them */ \
	X(TCP_SYNCOOKIES_FAILED, syncookies_failed) \
	X(TCP_CHALLENGE_ACKS, challenge_acks) \
	X(TCP_CHALLENGE_ACKS_LIMITED, challenge_acks_limited) \
	X(TCP_RTO_EXPIRATIONS, rto_expirations) \
	X(TCP_FAST_RETRANSMITS, fast_retransmits) \
	X(TCP_SACK_RECOVERIES, sack_recoveries) \
	X(TCP_NEWRENO_RECOVERIES, newreno_recoveries) \
	X(TCP_PARTIAL_ACKS, partial_acks) \
	X(TCP_DELAYED_ACKS, delayed_acks)                 /* ACKs sent by the delayed-ACK timer */ \
	X(TCP_PERSIST_PROBES, persist_probes) \
	X(TCP_KEEPALIVE_PROBES, keepalive_probes) \
	X(TCP_TIMEOUTS, timeouts)                         /* connections given up after retries */ \
	X(TCP_TIME_WAIT_REUSED, time_wait_reused)         /* SYN that recycled a TIME_WAIT (RFC 6191) */ \
	X(TCP_TIME_WAIT_OVERFLOW, time_wait_overflow)     /* closed at once: too many in TIME_WAIT */ \
	X(TCP_SACKS_RECEIVED, sacks_received)             /* segments with SACK blocks */ \
	X(TCP_OUT_OF_ORDER_SEGMENTS, out_of_order) \
	X(TCP_RECEIVE_BUFFER_GROWN, rcvbuf_grown)         /* autotuning steps */ \
	X(TCP_ICMP_MTU_REDUCED, icmp_mtu_reduced)         /* path MTU lowered by fragmentation needed (RFC 1191) */ \
	X(TCP_ICMP_SOFT_ERRORS, icmp_soft_errors)         /* soft ICMP errors noted (RFC 1122 4.2.3.9) */ \
	X(TCP_ICMP_CONNECT_ABORTS, icmp_connect_aborts)   /* handshakes ended by an ICMP error */

#define TCP_COUNTER_ENUMERATOR(constant, name) constant,
enum tcp_counter {
	TCP_COUNTERS(TCP_COUNTER_ENUMERATOR)
	TCP_COUNTER_COUNT
};

extern uint64_t tcp_counters[TCP_COUNTER_COUNT];
static inline void tcp_count(enum tcp_counter counter) { tcp_counters[counter]++; }
static inline void tcp_count_add(enum tcp_counter counter, uint64_t amount) { tcp_counters[counter] += amount; }

/* Counts a TCP_DROP_* reason and frees pkt (NULL: counted only): TCP's
 * spelling of net_drop(). */
static inline void tcp_drop(struct pkt *pkt, enum net_drop_reason reason) { net_drop(pkt, reason); }

#endif
