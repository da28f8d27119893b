/* sysctl.c - TCP's tunables (contract in net/tcp/sysctl.h). Defaults are
 * Linux 6.1's. */
#include "net/tcp/sysctl.h"

#include <stdio.h>
#include <stdlib.h>

#include "kernel/core/cmdline.h"
#include "kernel/core/sysctl.h"

int64_t tcp_somaxconn = 4096;
int64_t tcp_timestamps_enabled = 1;
int64_t tcp_window_scaling_enabled = 1;
int64_t tcp_sack_enabled = 1;
int64_t tcp_syncookies = 1;
int64_t tcp_syn_retries = 6;
int64_t tcp_synack_retries = 5;
int64_t tcp_retries2 = 15;
int64_t tcp_orphan_retries = 0;            /* 0: 8, as Linux */
int64_t tcp_fin_timeout = 60;
int64_t tcp_keepalive_time = 7200;
int64_t tcp_keepalive_intvl = 75;
int64_t tcp_keepalive_probes = 9;
int64_t tcp_challenge_ack_limit = 1000;
int64_t tcp_moderate_rcvbuf = 1;
int64_t tcp_max_tw_buckets = 2048;         /* ~1 KiB each: 2 MiB at most (Linux scales it with memory too) */
int64_t tcp_time_wait_ms = 60000;
int64_t tcp_max_connections = 16384;
int64_t tcp_limit_output_bytes = 1048576;  /* TCP small queues (net/tcp/small_queues.c) */
/* Linux's tcp_rmem and tcp_wmem defaults. */
struct tcp_buffer_sizes tcp_rmem = { 4096, 131072, 6291456 };
struct tcp_buffer_sizes tcp_wmem = { 4096, 16384, 4194304 };

SYSCTL_INTEGER("net.core.somaxconn", tcp_somaxconn, 1, 65535);
SYSCTL_INTEGER("net.ipv4.tcp_timestamps", tcp_timestamps_enabled, 0, 1);
SYSCTL_INTEGER("net.ipv4.tcp_window_scaling", tcp_window_scaling_enabled, 0, 1);
SYSCTL_INTEGER("net.ipv4.tcp_sack", tcp_sack_enabled, 0, 1);
SYSCTL_INTEGER("net.ipv4.tcp_syncookies", tcp_syncookies, 0, 2);
SYSCTL_INTEGER("net.ipv4.tcp_syn_retries", tcp_syn_retries, 1, 127);
SYSCTL_INTEGER("net.ipv4.tcp_synack_retries", tcp_synack_retries, 1, 127);
SYSCTL_INTEGER("net.ipv4.tcp_retries2", tcp_retries2, 1, 127);
SYSCTL_INTEGER("net.ipv4.tcp_orphan_retries", tcp_orphan_retries, 0, 127);
SYSCTL_INTEGER("net.ipv4.tcp_fin_timeout", tcp_fin_timeout, 1, 86400);
SYSCTL_INTEGER("net.ipv4.tcp_keepalive_time", tcp_keepalive_time, 1, 32767);
SYSCTL_INTEGER("net.ipv4.tcp_keepalive_intvl", tcp_keepalive_intvl, 1, 32767);
SYSCTL_INTEGER("net.ipv4.tcp_keepalive_probes", tcp_keepalive_probes, 1, 127);
SYSCTL_INTEGER("net.ipv4.tcp_challenge_ack_limit", tcp_challenge_ack_limit, 0, 2147483647);
SYSCTL_INTEGER("net.ipv4.tcp_moderate_rcvbuf", tcp_moderate_rcvbuf, 0, 1);
SYSCTL_INTEGER("net.ipv4.tcp_max_tw_buckets", tcp_max_tw_buckets, 0, 1048576);
SYSCTL_INTEGER("net.ipv4.tcp_limit_output_bytes", tcp_limit_output_bytes, 0, 2147483647);

CMDLINE_KEY("keel.tcp.rmem", "older name of sysctl.net.ipv4.tcp_rmem (which wins when both are given)");
CMDLINE_KEY("keel.tcp.wmem", "older name of sysctl.net.ipv4.tcp_wmem (which wins when both are given)");
CMDLINE_KEY("keel.tcp.timewait_ms", "TIME_WAIT length in ms (2*MSL; default 60000 as Linux)");
CMDLINE_KEY("keel.tcp.max_connections", "connections in the TCP table at most (default 16384)");

#define BUFFER_SIZE_MAX (1u << 30)   /* RFC 7323 2.3: windows stay below 2^30 */
#define TIME_WAIT_MS_MAX 600000u

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool tcp_buffer_sizes_parse(const char *text, struct tcp_buffer_sizes *sizes)
{
	uint32_t values[3];
	const char *cursor = text;
	for (int i = 0; i < 3; i++) {
		while (is_blank(*cursor))
			cursor++;
		if (*cursor < '0' || *cursor > '9')     /* strtoull would take a sign */
			return false;
		char *end;
		unsigned long long value = strtoull(cursor, &end, 10);
		if (value == 0 || value > BUFFER_SIZE_MAX)
			return false;
		values[i] = (uint32_t)value;
		cursor = end;
		/* Linux separates with blanks ("4096 131072 6291456", quoted on the
		 * command line); a comma is the form that needs no quotes. */
		bool separated = is_blank(*cursor);
		while (is_blank(*cursor))
			cursor++;
		if (i < 2 && *cursor == ',') {
			cursor++;
			separated = true;
		}
		if (i < 2 && !separated)
			return false;
	}
	if (*cursor != '\0' || values[0] > values[1] || values[1] > values[2])
		return false;
	*sizes = (struct tcp_buffer_sizes){ values[0], values[1], values[2] };
	return true;
}

static bool parse_buffer_sizes(const char *text, void *target)
{
	return tcp_buffer_sizes_parse(text, target);
}

static void format_buffer_sizes(const void *target, char *out, size_t size)
{
	const struct tcp_buffer_sizes *sizes = target;
	snprintf(out, size, "%u,%u,%u", sizes->minimum, sizes->initial, sizes->maximum);
}

#define BUFFER_SIZES_SYNTAX "min,default,max bytes with 1 <= min <= default <= max <= 2^30"

static const struct sysctl_vector tcp_rmem_sysctl = {
	&tcp_rmem, parse_buffer_sizes, format_buffer_sizes, BUFFER_SIZES_SYNTAX, "keel.tcp.rmem"
};
static const struct sysctl_vector tcp_wmem_sysctl = {
	&tcp_wmem, parse_buffer_sizes, format_buffer_sizes, BUFFER_SIZES_SYNTAX, "keel.tcp.wmem"
};
SYSCTL_VECTOR("net.ipv4.tcp_rmem", tcp_rmem_sysctl);
SYSCTL_VECTOR("net.ipv4.tcp_wmem", tcp_wmem_sysctl);

void tcp_sysctl_init(void)
{
	uint64_t time_wait = cmdline_get_u64("keel.tcp.timewait_ms", (uint64_t)tcp_time_wait_ms);
	tcp_time_wait_ms = (int64_t)(time_wait > TIME_WAIT_MS_MAX ? TIME_WAIT_MS_MAX : time_wait);
	uint64_t connections = cmdline_get_u64("keel.tcp.max_connections", (uint64_t)tcp_max_connections);
	tcp_max_connections = (int64_t)(connections ? connections : 1);
}
