/* conntrack_protocols.c - UDP, ICMP and other protocols' tracking (a
 * timeout each, as Linux's nf_conntrack_proto_udp/icmp/generic), and every
 * timeout tunable (conntrack_sysctl.h).
 *
 * UDP: UNREPLIED until a reply; traffic both ways after two seconds
 * makes it a stream, ASSURED, with the stream timeout. ICMP queries: the timeout from each
 * packet, never assured. */
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/conntrack_sysctl.h"

#include "kernel/core/sysctl.h"

#define NSEC_PER_SECOND 1000000000ull
#define UDP_STREAM_AFTER_NS (2 * NSEC_PER_SECOND)
#define TIMEOUT_MAX (100ll * 365 * 24 * 3600)

int64_t nf_conntrack_tcp_timeout_syn_sent = 120;
int64_t nf_conntrack_tcp_timeout_syn_recv = 60;
int64_t nf_conntrack_tcp_timeout_established = 432000;
int64_t nf_conntrack_tcp_timeout_fin_wait = 120;
int64_t nf_conntrack_tcp_timeout_close_wait = 60;
int64_t nf_conntrack_tcp_timeout_last_ack = 30;
int64_t nf_conntrack_tcp_timeout_time_wait = 120;
int64_t nf_conntrack_tcp_timeout_close = 10;
int64_t nf_conntrack_tcp_timeout_unacknowledged = 300;
int64_t nf_conntrack_udp_timeout = 30;
int64_t nf_conntrack_udp_timeout_stream = 120;
int64_t nf_conntrack_icmp_timeout = 30;
int64_t nf_conntrack_generic_timeout = 600;
int64_t nf_conntrack_tcp_loose = 1;
int64_t nf_conntrack_tcp_be_liberal = 0;
int64_t nf_conntrack_checksum = 1;

SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_syn_sent", nf_conntrack_tcp_timeout_syn_sent, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_syn_recv", nf_conntrack_tcp_timeout_syn_recv, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_established", nf_conntrack_tcp_timeout_established, 1,
	       TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_fin_wait", nf_conntrack_tcp_timeout_fin_wait, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_close_wait", nf_conntrack_tcp_timeout_close_wait, 1,
	       TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_last_ack", nf_conntrack_tcp_timeout_last_ack, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_time_wait", nf_conntrack_tcp_timeout_time_wait, 1,
	       TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_close", nf_conntrack_tcp_timeout_close, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_timeout_unacknowledged", nf_conntrack_tcp_timeout_unacknowledged, 1,
	       TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_udp_timeout", nf_conntrack_udp_timeout, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_udp_timeout_stream", nf_conntrack_udp_timeout_stream, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_icmp_timeout", nf_conntrack_icmp_timeout, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_generic_timeout", nf_conntrack_generic_timeout, 1, TIMEOUT_MAX);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_loose", nf_conntrack_tcp_loose, 0, 1);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_tcp_be_liberal", nf_conntrack_tcp_be_liberal, 0, 1);
SYSCTL_INTEGER("net.netfilter.nf_conntrack_checksum", nf_conntrack_checksum, 0, 1);

int64_t conntrack_tcp_timeout_seconds(unsigned state)
{
	switch (state) {
	case CONNTRACK_TCP_SYN_SENT:
	case CONNTRACK_TCP_SYN_SENT2: return nf_conntrack_tcp_timeout_syn_sent;
	case CONNTRACK_TCP_SYN_RECV: return nf_conntrack_tcp_timeout_syn_recv;
	case CONNTRACK_TCP_ESTABLISHED: return nf_conntrack_tcp_timeout_established;
	case CONNTRACK_TCP_FIN_WAIT: return nf_conntrack_tcp_timeout_fin_wait;
	case CONNTRACK_TCP_CLOSE_WAIT: return nf_conntrack_tcp_timeout_close_wait;
	case CONNTRACK_TCP_LAST_ACK: return nf_conntrack_tcp_timeout_last_ack;
	case CONNTRACK_TCP_TIME_WAIT: return nf_conntrack_tcp_timeout_time_wait;
	default: return nf_conntrack_tcp_timeout_close;
	}
}

/* Linux's nf_conntrack_udp_packet: traffic both ways still flowing two
 * seconds after the first packet is a stream (ASSURED, the long timeout);
 * a query and its answer (DNS) stay short-lived and evictable. SEEN_REPLY
 * is set after this runs, so the first reply gets the short timeout. */
void conntrack_udp_packet(struct nf_conn *entry, uint64_t now_ns)
{
	if (!(entry->status & NF_CT_STATUS_CONFIRMED) && entry->udp_stream_after_ns == 0)
		entry->udp_stream_after_ns = now_ns + UDP_STREAM_AFTER_NS;
	uint64_t seconds = (uint64_t)nf_conntrack_udp_timeout;
	if ((entry->status & NF_CT_STATUS_SEEN_REPLY) && now_ns > entry->udp_stream_after_ns) {
		entry->status |= NF_CT_STATUS_ASSURED;
		seconds = (uint64_t)nf_conntrack_udp_timeout_stream;
	}
	entry->expires_ns = now_ns + seconds * NSEC_PER_SECOND;
}

void conntrack_icmp_packet(struct nf_conn *entry, uint64_t now_ns)
{
	entry->expires_ns = now_ns + (uint64_t)nf_conntrack_icmp_timeout * NSEC_PER_SECOND;
}

void conntrack_generic_packet(struct nf_conn *entry, uint64_t now_ns)
{
	entry->expires_ns = now_ns + (uint64_t)nf_conntrack_generic_timeout * NSEC_PER_SECOND;
}
