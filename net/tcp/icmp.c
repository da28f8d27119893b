/* icmp.c - ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 5927,
 * RFC 1191), as Linux's tcp_v4_err:
 *
 * - The connection is the one whose 4-tuple the quoted header names, and
 *   the quoted sequence number must lie in [snd_una, snd_nxt]: anything
 *   else could be a blind attack (RFC 5927 4.1) and is ignored, counted.
 * - Fragmentation needed (RFC 1191): the path MTU is lowered (never below
 *   net.ipv4.route.min_pmtu, never raised: net/ipv4/pmtu.c remembers it
 *   for new connections), the MSS recomputed, and what is in flight sent
 *   again in segments that fit, without a congestion response (the loss
 *   was not congestion: Linux's tcp_simple_retransmit). TSO super-segments
 *   are cut at tcp_segment_payload_limit, so they shrink with the MSS.
 * - During the handshake, an error aborts connect() (Linux: ECONNREFUSED
 *   for port unreachable, EHOSTUNREACH, ...); a passive child not yet
 *   accepted is dropped on the errors Linux's tcp_req_err drops it for.
 * - In synchronized states an error is only noted (soft, RFC 1122
 *   4.2.3.9 and Linux's sk_err_soft): it becomes the reported error if the
 *   connection later times out, and is forgotten when an ACK advances. */
#include "net/tcp/internal.h"
#include "net/tcp/tcp.h"

#include "net/ipv4/icmp.h"
#include "net/ipv4/ipv4.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

#define TCP_MIN_SEND_MSS 48            /* Linux's TCP_MIN_SND_MSS */

uint16_t tcp_mss_for_path(const struct tcp_sock *tcb)
{
	uint32_t mss = tcb->peer_mss < tcb->advertised_mss ? tcb->peer_mss : tcb->advertised_mss;
	uint32_t path = tcb->route_mtu > TCP_HEADERS_LENGTH ? tcb->route_mtu - TCP_HEADERS_LENGTH : 0;
	if (path < mss)
		mss = path;
	/* RFC 6691: the sender takes its option bytes off the payload. */
	uint32_t options = tcb->timestamps_ok ? TCP_TIMESTAMPS_ALIGNED_LENGTH : 0;
	mss = mss > options ? mss - options : 0;
	return (uint16_t)(mss < TCP_MIN_SEND_MSS ? TCP_MIN_SEND_MSS : mss);
}

/* RFC 5927 4.1: the quoted segment must be one we may still have in flight. */
static bool quoted_sequence_acceptable(const struct tcp_sock *tcb, uint32_t seq)
{
	return tcp_seq_geq(seq, tcb->snd_una) && tcp_seq_leq(seq, tcb->snd_max);
}

/* Linux's tcp_simple_retransmit: what was sent with the old MSS is lost
 * at the smaller hop; resend from snd_una at the new size. Loss state
 * (RFC 6582's recover) keeps the duplicate ACKs this causes from starting
 * a fast recovery; cwnd and ssthresh stay (RFC 1191 is not congestion). */
static void resend_in_flight(struct tcp_sock *tcb)
{
	if (tcp_flight_size(tcb) == 0 || !tcp_state_synchronized(tcb->state))
		return;
	tcb->in_recovery = false;
	tcb->in_loss = true;
	tcb->recover = tcb->snd_max;
	tcb->dupacks = 0;
	tcb->rtt_timing = false;              /* Karn: these go twice */
	tcb->snd_nxt = tcb->snd_una;
	tcp_output(tcb);
}

static enum net_drop_reason path_mtu_reduced(struct tcp_sock *tcb, const struct icmp_error_report *report)
{
	uint16_t mtu = ipv4_pmtu_learn(tcb->remote_address, report->next_hop_mtu, tcb->route_mtu, report->now_ns);
	if (mtu >= tcb->route_mtu)
		return NET_DROP_ICMP_ERROR_IGNORED;
	tcb->route_mtu = mtu;
	tcp_count(TCP_ICMP_MTU_REDUCED);
	/* SYN_SENT: no MSS yet; tcp_apply_syn_options takes route_mtu into account. */
	if (tcb->state == TCP_SYN_SENT)
		return NET_DROP_NONE;
	uint16_t mss = tcp_mss_for_path(tcb);
	if (mss < tcb->mss) {
		tcb->mss = mss;
		resend_in_flight(tcb);
	}
	return NET_DROP_NONE;
}

/* Linux's tcp_req_err: the errors that end a passive open not yet accepted. */
static bool ends_passive_open(const struct icmp_error_report *report)
{
	if (report->type == ICMP_TYPE_DESTINATION_UNREACHABLE)
		return report->code == ICMP_CODE_NETWORK_UNREACHABLE || report->code == ICMP_CODE_HOST_UNREACHABLE;
	return report->type == ICMP_TYPE_TIME_EXCEEDED || report->type == ICMP_TYPE_PARAMETER_PROBLEM;
}

static enum net_drop_reason connection_error(struct tcp_sock *tcb, const struct icmp_error_report *report)
{
	bool hard;
	int error = icmp_error_errno(report, &hard);
	if (error == 0)
		return NET_DROP_ICMP_ERROR_IGNORED;
	if (tcb->state == TCP_SYN_RECEIVED && tcb->listener && !tcb->in_accept_queue) {
		if (!ends_passive_open(report))
			return NET_DROP_ICMP_ERROR_IGNORED;
		tcp_count(TCP_ATTEMPT_FAILS);
		tcp_count(TCP_ICMP_CONNECT_ABORTS);
		tcp_set_closed(tcb, 0);
		return NET_DROP_NONE;
	}
	if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED) {
		/* RFC 1122 4.2.3.9 lets soft errors abort here too (RFC 5461): Linux does. */
		tcp_count(TCP_ATTEMPT_FAILS);
		tcp_count(TCP_ICMP_CONNECT_ABORTS);
		tcp_set_closed(tcb, error);
		return NET_DROP_NONE;
	}
	tcb->soft_error = error;                  /* RFC 1122 4.2.3.9: MUST NOT abort */
	tcp_count(TCP_ICMP_SOFT_ERRORS);
	return NET_DROP_NONE;
}

enum net_drop_reason tcp_icmp_error(const struct icmp_error_report *report)
{
	tcp_init();
	const struct tcp_header *header = (const struct tcp_header *)report->transport;
	/* What we sent: its source is our end. */
	struct tcp_sock *tcb = tcp_table_lookup(report->quoted->source, header->source_port, report->quoted->destination,
						header->destination_port);
	if (tcb == NULL || tcb->state == TCP_LISTEN || tcb->state == TCP_CLOSED)
		return NET_DROP_ICMP_ERROR_NO_SOCKET;
	if (tcb->state == TCP_TIME_WAIT)
		return NET_DROP_ICMP_ERROR_IGNORED;       /* nothing left to tell (Linux) */
	if (!quoted_sequence_acceptable(tcb, ntohl(header->sequence)))
		return NET_DROP_ICMP_ERROR_OUT_OF_WINDOW;
	enum net_drop_reason reason;
	if (report->type == ICMP_TYPE_DESTINATION_UNREACHABLE && report->code == ICMP_CODE_FRAGMENTATION_NEEDED)
		reason = path_mtu_reduced(tcb, report);
	else
		reason = connection_error(tcb, report);
	tcp_release_if_done(tcb);
	return reason;
}
