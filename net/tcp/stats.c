/* stats.c - TCP's counters and drop reasons (net/tcp/stats.h), their
 * printing, and tcp_init. `keel.tcp.stats=<seconds>` prints a block
 *     tcp stats #N at T s
 *     tcp: active_opens=... (five counters a line)
 *     tcp: states LISTEN=... ESTABLISHED=...
 *     drops: tcp_bad_checksum=... (five a line)
 *     tcp stats end #N
 * periodically (tools take the latest complete block). */
#include "net/tcp/internal.h"
#include "net/tcp/tcp.h"

#include <stdio.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/tcp/congestion.h"
#include "net/tcp/sysctl.h"

CMDLINE_KEY("keel.tcp.stats", "print TCP counters every <seconds> (default 0: never)");

#define COUNTERS_PER_LINE 5
#define LINE_LENGTH 200

uint64_t tcp_counters[TCP_COUNTER_COUNT];
static uint64_t drop_counts[TCP_DROP_REASON_COUNT];

static const char *const drop_names[TCP_DROP_REASON_COUNT] = {
	[TCP_DROP_NONE] = "tcp_none",
	[TCP_DROP_TRUNCATED] = "tcp_truncated",
	[TCP_DROP_BAD_DATA_OFFSET] = "tcp_bad_data_offset",
	[TCP_DROP_BAD_CHECKSUM] = "tcp_bad_checksum",
	[TCP_DROP_NOT_UNICAST] = "tcp_not_unicast",
	[TCP_DROP_BAD_PORT] = "tcp_bad_port",
	[TCP_DROP_NO_SOCKET] = "tcp_no_socket",
	[TCP_DROP_LISTEN_RST] = "tcp_listen_rst",
	[TCP_DROP_LISTEN_ACK] = "tcp_listen_ack",
	[TCP_DROP_LISTEN_NO_SYN] = "tcp_listen_no_syn",
	[TCP_DROP_LISTEN_SYN_FIN] = "tcp_listen_syn_fin",
	[TCP_DROP_LISTEN_OVERFLOW] = "tcp_listen_overflow",
	[TCP_DROP_SYN_QUEUE_FULL] = "tcp_syn_queue_full",
	[TCP_DROP_TABLE_FULL] = "tcp_table_full",
	[TCP_DROP_NO_MEMORY] = "tcp_no_memory",
	[TCP_DROP_BAD_COOKIE] = "tcp_bad_cookie",
	[TCP_DROP_SYN_SENT_BAD_ACK] = "tcp_syn_sent_bad_ack",
	[TCP_DROP_SYN_SENT_NO_SYN] = "tcp_syn_sent_no_syn",
	[TCP_DROP_PAWS] = "tcp_paws",
	[TCP_DROP_OUT_OF_WINDOW] = "tcp_out_of_window",
	[TCP_DROP_RST_CHALLENGED] = "tcp_rst_challenged",
	[TCP_DROP_SYN_CHALLENGED] = "tcp_syn_challenged",
	[TCP_DROP_NO_ACK] = "tcp_no_ack",
	[TCP_DROP_ACK_UNSENT] = "tcp_ack_unsent",
	[TCP_DROP_ACK_TOO_OLD] = "tcp_ack_too_old",
	[TCP_DROP_SYN_RECEIVED_BAD_ACK] = "tcp_syn_received_bad_ack",
	[TCP_DROP_REASSEMBLY_FULL] = "tcp_reassembly_full",
	[TCP_DROP_DATA_AFTER_CLOSE] = "tcp_data_after_close",
	[TCP_DROP_DATA_AFTER_FIN] = "tcp_data_after_fin",
	[TCP_DROP_TIME_WAIT] = "tcp_time_wait",
	[TCP_DROP_FAULT_INJECTED] = "tcp_fault_injected",
};

static const char *const counter_names[TCP_COUNTER_COUNT] = {
	[TCP_ACTIVE_OPENS] = "active_opens",
	[TCP_PASSIVE_OPENS] = "passive_opens",
	[TCP_ATTEMPT_FAILS] = "attempt_fails",
	[TCP_ESTABLISHED_RESETS] = "estab_resets",
	[TCP_IN_SEGMENTS] = "in_segs",
	[TCP_OUT_SEGMENTS] = "out_segs",
	[TCP_RETRANSMITTED_SEGMENTS] = "retrans_segs",
	[TCP_OUT_RESETS] = "out_rsts",
	[TCP_IN_ERRORS] = "in_errs",
	[TCP_BAD_OPTIONS] = "bad_options",
	[TCP_OUT_NO_BUFFER] = "out_no_buffer",
	[TCP_OUT_TSO_SUPER_SEGMENTS] = "out_tso_super_segments",
	[TCP_OUT_ZERO_COPY_BYTES] = "out_zero_copy_bytes",
	[TCP_SYNCOOKIES_SENT] = "syncookies_sent",
	[TCP_SYNCOOKIES_RECEIVED] = "syncookies_recv",
	[TCP_SYNCOOKIES_FAILED] = "syncookies_failed",
	[TCP_CHALLENGE_ACKS] = "challenge_acks",
	[TCP_CHALLENGE_ACKS_LIMITED] = "challenge_acks_limited",
	[TCP_RTO_EXPIRATIONS] = "rto_expirations",
	[TCP_FAST_RETRANSMITS] = "fast_retransmits",
	[TCP_SACK_RECOVERIES] = "sack_recoveries",
	[TCP_NEWRENO_RECOVERIES] = "newreno_recoveries",
	[TCP_PARTIAL_ACKS] = "partial_acks",
	[TCP_DELAYED_ACKS] = "delayed_acks",
	[TCP_PERSIST_PROBES] = "persist_probes",
	[TCP_KEEPALIVE_PROBES] = "keepalive_probes",
	[TCP_TIMEOUTS] = "timeouts",
	[TCP_TIME_WAIT_REUSED] = "time_wait_reused",
	[TCP_TIME_WAIT_OVERFLOW] = "time_wait_overflow",
	[TCP_SACKS_RECEIVED] = "sacks_received",
	[TCP_OUT_OF_ORDER_SEGMENTS] = "out_of_order",
	[TCP_RECEIVE_BUFFER_GROWN] = "rcvbuf_grown",
	[TCP_ICMP_MTU_REDUCED] = "icmp_mtu_reduced",
	[TCP_ICMP_SOFT_ERRORS] = "icmp_soft_errors",
	[TCP_ICMP_CONNECT_ABORTS] = "icmp_connect_aborts",
};

void tcp_drop(struct pkt *pkt, enum tcp_drop_reason reason)
{
	if ((unsigned)reason < TCP_DROP_REASON_COUNT)
		drop_counts[reason]++;
	if (pkt)
		pkt_free(pkt);
}

uint64_t tcp_drop_count(enum tcp_drop_reason reason)
{
	return (unsigned)reason < TCP_DROP_REASON_COUNT ? drop_counts[reason] : 0;
}

const char *tcp_drop_reason_name(enum tcp_drop_reason reason)
{
	return (unsigned)reason < TCP_DROP_REASON_COUNT && drop_names[reason] ? drop_names[reason] : "tcp_unknown";
}

const char *tcp_counter_name(enum tcp_counter counter)
{
	return (unsigned)counter < TCP_COUNTER_COUNT && counter_names[counter] ? counter_names[counter] : "unknown";
}

struct counter_line {
	char text[LINE_LENGTH];
	int length;
	unsigned count;
	const char *prefix;
};

static void line_flush(struct counter_line *line)
{
	if (line->count)
		printk(LOG_ALWAYS, "%s\n", line->text);
	line->length = snprintf(line->text, sizeof(line->text), "%s", line->prefix);
	line->count = 0;
}

static void line_add(struct counter_line *line, const char *name, uint64_t value)
{
	if (line->count == COUNTERS_PER_LINE)
		line_flush(line);
	line->length += snprintf(line->text + line->length, sizeof(line->text) - (size_t)line->length, " %s=%llu",
				 name, (unsigned long long)value);
	if (line->length >= (int)sizeof(line->text))
		line->length = (int)sizeof(line->text) - 1;
	line->count++;
}

void tcp_print_stats(void)
{
	struct counter_line line = { .prefix = "tcp:" };
	line_flush(&line);
	for (unsigned i = 0; i < TCP_COUNTER_COUNT; i++)
		line_add(&line, tcp_counter_name(i), tcp_counters[i]);
	line_flush(&line);
	line.prefix = "tcp: states";
	line_flush(&line);
	line_add(&line, "connections", tcp_table_count());
	for (unsigned state = TCP_LISTEN; state < TCP_STATE_COUNT; state++)
		line_add(&line, tcp_state_name(state), tcp_state_count(state));
	line_flush(&line);
	line.prefix = "drops:";
	line_flush(&line);
	for (unsigned reason = 1; reason < TCP_DROP_REASON_COUNT; reason++)
		line_add(&line, tcp_drop_reason_name(reason), drop_counts[reason]);
	line_flush(&line);
}

static struct timer stats_timer;
static uint64_t stats_interval_ns;
static unsigned stats_blocks;

static void stats_expired(struct timer *timer, void *context)
{
	unsigned block = ++stats_blocks;
	uint64_t now = clock_monotonic_ns();
	printk(LOG_ALWAYS, "tcp stats #%u at %llu.%03llu s\n", block, (unsigned long long)(now / NSEC_PER_SEC),
	       (unsigned long long)(now % NSEC_PER_SEC / NSEC_PER_MSEC));
	tcp_print_stats();
	printk(LOG_ALWAYS, "tcp stats end #%u\n", block);
	timer_arm(timer, now + stats_interval_ns);
}

static void stats_start(void)
{
	uint64_t seconds = cmdline_get_u64("keel.tcp.stats", 0);
	if (seconds == 0 || seconds > 86400)
		return;
	stats_interval_ns = seconds * NSEC_PER_SEC;
	timer_setup(&stats_timer, stats_expired, NULL);
	timer_arm(&stats_timer, clock_monotonic_ns() + stats_interval_ns);
}

void tcp_init(void)
{
	static bool initialized;
	if (initialized)
		return;
	initialized = true;
	tcp_sysctl_init();
	tcp_secrets_init();
	tcp_congestion_default();
	stats_start();
}
