/* recovery.h - loss detection and recovery, common to every
 * congestion control algorithm: duplicate ACKs and fast retransmit (RFC
 * 5681 3.2), NewReno's partial ACKs (RFC 6582) when the peer has no SACK,
 * RFC 6675's pipe-driven recovery when it does, and the RTO response (RFC
 * 5681 3.1 eq. 4, RFC 6298 5.4-5.7). */
#ifndef KEEL_NET_TCP_RECOVERY_H
#define KEEL_NET_TCP_RECOVERY_H

#include <stdbool.h>
#include <stdint.h>

struct tcp_sock;
struct tcp_segment;

/* An ACK that acknowledged acked new bytes (snd_una already moved). */
void tcp_recovery_on_new_ack(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns);
/* A duplicate ACK (RFC 5681 2 definition) or one that only brought new SACK blocks. */
void tcp_recovery_on_duplicate_ack(struct tcp_sock *tcb, uint64_t now_ns);
void tcp_recovery_on_timeout(struct tcp_sock *tcb, uint64_t now_ns);
/* SACK recovery's transmit rule (RFC 6675 5 step C): holes, then new data, while pipe < cwnd. */
void tcp_recovery_send(struct tcp_sock *tcb);

#endif
