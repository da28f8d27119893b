/* sysctl.h - TCP's tunables. Linux's names where Linux has the knob
 * (`sysctl.net.ipv4.tcp_sack=0`); keel.tcp.* for the rest. Linux's
 * tcp_rmem/tcp_wmem take three numbers (`sysctl.net.ipv4.tcp_rmem=
 * 4096,131072,6291456`, or blank-separated and quoted as sysctl(8) prints
 * them): they are SYSCTL_VECTOR tunables parsed here, with the older
 * keel.tcp.rmem / keel.tcp.wmem keys as aliases. */
#ifndef KEEL_NET_TCP_SYSCTL_H
#define KEEL_NET_TCP_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>

struct tcp_buffer_sizes {
	uint32_t minimum, initial, maximum;
};

extern int64_t tcp_somaxconn;             /* net.core.somaxconn */
extern int64_t tcp_timestamps_enabled;    /* net.ipv4.tcp_timestamps */
extern int64_t tcp_window_scaling_enabled;/* net.ipv4.tcp_window_scaling */
extern int64_t tcp_sack_enabled;          /* net.ipv4.tcp_sack */
extern int64_t tcp_syncookies;            /* net.ipv4.tcp_syncookies: 0 off, 1 when the SYN queue is full, 2 always */
extern int64_t tcp_syn_retries;           /* net.ipv4.tcp_syn_retries */
extern int64_t tcp_synack_retries;        /* net.ipv4.tcp_synack_retries */
extern int64_t tcp_retries2;              /* net.ipv4.tcp_retries2 */
extern int64_t tcp_orphan_retries;        /* net.ipv4.tcp_orphan_retries (0: 8) */
extern int64_t tcp_fin_timeout;           /* net.ipv4.tcp_fin_timeout (s): orphans in FIN_WAIT_2 */
extern int64_t tcp_keepalive_time;        /* net.ipv4.tcp_keepalive_time (s) */
extern int64_t tcp_keepalive_intvl;       /* net.ipv4.tcp_keepalive_intvl (s) */
extern int64_t tcp_keepalive_probes;      /* net.ipv4.tcp_keepalive_probes */
extern int64_t tcp_challenge_ack_limit;   /* net.ipv4.tcp_challenge_ack_limit (per second) */
extern int64_t tcp_moderate_rcvbuf;       /* net.ipv4.tcp_moderate_rcvbuf */
extern int64_t tcp_max_tw_buckets;        /* net.ipv4.tcp_max_tw_buckets */
extern int64_t tcp_time_wait_ms;          /* keel.tcp.timewait_ms: 2*MSL, Linux's fixed 60 s by default */
extern int64_t tcp_max_connections;       /* keel.tcp.max_connections */
extern int64_t tcp_limit_output_bytes;    /* net.ipv4.tcp_limit_output_bytes: TCP small queues */
extern struct tcp_buffer_sizes tcp_rmem, tcp_wmem;

/* Reads the command line (once). */
void tcp_sysctl_init(void);
/* "4096,131072,6291456" -> sizes; false (sizes unchanged) when malformed. */
bool tcp_buffer_sizes_parse(const char *text, struct tcp_buffer_sizes *sizes);

#endif
