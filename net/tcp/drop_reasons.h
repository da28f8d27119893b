/* drop_reasons.h - why TCP discards a segment: an X-macro list of
 * X(constant, name), composed into enum net_drop_reason by net/core/drop.h
 * (include that, not this); tcp_drop() (net/tcp/stats.h) counts them. The
 * name is what the stats print ("tcp_bad_checksum"): tests parse it, so it
 * never changes once printed, and every name starts with "tcp_" so parsers
 * that gather every "drops:" line of a block into one table never see two
 * layers use the same name. */
#ifndef KEEL_NET_TCP_DROP_REASONS_H
#define KEEL_NET_TCP_DROP_REASONS_H

/* net/tcp/input.c, listen.c, rcv_state.c, data.c, ... */
#define TCP_DROP_REASONS(X) \
	X(TCP_DROP_TRUNCATED, tcp_truncated)                     /* shorter than 20 bytes */ \
	X(TCP_DROP_BAD_DATA_OFFSET, tcp_bad_data_offset)         /* data offset < 5 or beyond the segment */ \
	X(TCP_DROP_BAD_CHECKSUM, tcp_bad_checksum) \
	X(TCP_DROP_NOT_UNICAST, tcp_not_unicast)                 /* to a broadcast address (RFC 1122 4.2.3.10) */ \
	X(TCP_DROP_BAD_PORT, tcp_bad_port)                       /* port 0 */ \
	X(TCP_DROP_NO_SOCKET, tcp_no_socket)                     /* closed port: answered with RST (RFC 9293 3.10.7.1) */ \
	X(TCP_DROP_LISTEN_RST, tcp_listen_rst)                   /* RST to a listener: ignored */ \
	X(TCP_DROP_LISTEN_ACK, tcp_listen_ack)                   /* ACK to a listener, not a valid cookie: RST */ \
	X(TCP_DROP_LISTEN_NO_SYN, tcp_listen_no_syn)             /* neither SYN, ACK nor RST */ \
	/* SYN and FIN together: a scanner's probe, dropped as Linux does */ \
	X(TCP_DROP_LISTEN_SYN_FIN, tcp_listen_syn_fin) \
	X(TCP_DROP_LISTEN_OVERFLOW, tcp_listen_overflow)         /* accept queue full */ \
	X(TCP_DROP_SYN_QUEUE_FULL, tcp_syn_queue_full)           /* and SYN cookies off */ \
	X(TCP_DROP_TABLE_FULL, tcp_table_full)                   /* connection table at keel.tcp.max_connections */ \
	X(TCP_DROP_NO_MEMORY, tcp_no_memory)                     /* tcb or buffer allocation failed */ \
	X(TCP_DROP_BAD_COOKIE, tcp_bad_cookie) \
	X(TCP_DROP_SYN_SENT_BAD_ACK, tcp_syn_sent_bad_ack)       /* RFC 9293 3.10.7.3 first check */ \
	X(TCP_DROP_SYN_SENT_NO_SYN, tcp_syn_sent_no_syn) \
	X(TCP_DROP_PAWS, tcp_paws)                               /* RFC 7323 5.3 */ \
	X(TCP_DROP_OUT_OF_WINDOW, tcp_out_of_window)             /* RFC 9293 3.10.7.4 first check */ \
	X(TCP_DROP_RST_CHALLENGED, tcp_rst_challenged)           /* RFC 5961 3.2: in window, not exact */ \
	X(TCP_DROP_SYN_CHALLENGED, tcp_syn_challenged)           /* RFC 5961 4.2 */ \
	X(TCP_DROP_NO_ACK, tcp_no_ack)                           /* RFC 9293 3.10.7.4 fifth check */ \
	X(TCP_DROP_ACK_UNSENT, tcp_ack_unsent)                   /* acknowledges something not yet sent */ \
	X(TCP_DROP_ACK_TOO_OLD, tcp_ack_too_old)                 /* RFC 5961 5.2 */ \
	X(TCP_DROP_SYN_RECEIVED_BAD_ACK, tcp_syn_received_bad_ack) /* answered with RST */ \
	X(TCP_DROP_REASSEMBLY_FULL, tcp_reassembly_full)         /* too many holes */ \
	X(TCP_DROP_DATA_AFTER_CLOSE, tcp_data_after_close)       /* new data for a closed socket: RST, as Linux */ \
	X(TCP_DROP_DATA_AFTER_FIN, tcp_data_after_fin)           /* data beyond the peer's FIN */ \
	X(TCP_DROP_TIME_WAIT, tcp_time_wait)                     /* anything but a FIN retransmission in TIME_WAIT */ \
	X(TCP_DROP_FAULT_INJECTED, tcp_fault_injected)           /* keel.tcp.loss= (tests), incoming or outgoing */

#endif
