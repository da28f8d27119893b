/* connect.c - what both opens share: the route and the options we
 * offer, applying the peer's SYN options (MSS RFC 9293 3.7.1, window
 * scale RFC 7323 2.2, SACK-permitted RFC 2018 2, timestamps RFC 7323 3.2:
 * each on only when both sides sent it), the end of the handshake, and
 * the active open: connect() and SYN-SENT (RFC 9293 3.10.7.3). */
#include "net/tcp/internal.h"

#include <errno.h>

#include "kernel/time/clock.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ipv4.h"
#include "net/tcp/congestion.h"
#include "net/tcp/listen.h"
#include "net/tcp/sysctl.h"
#include "net/wire/ethernet.h"

uint8_t tcp_receive_window_shift(void)
{
	uint8_t shift = 0;
	while (shift < TCP_WINDOW_SCALE_MAX && (0xFFFFu << shift) < tcp_rmem.maximum)
		shift++;
	return shift;
}

int tcp_route_setup(struct tcp_sock *tcb)
{
	be32 next_hop;
	struct net_interface *interface = net_route(tcb->remote_address, &next_hop);
	if (interface == NULL)
		return -ENETUNREACH;
	if (tcb->local_address == 0)
		tcb->local_address = interface->address;
	struct netdev *dev = interface->device;
	uint16_t device_mtu = (uint16_t)(dev && dev->mtu ? dev->mtu : ETHERNET_MTU);
	uint16_t path_mtu = ipv4_pmtu_get(tcb->remote_address, clock_monotonic_ns());
	tcb->route_mtu = path_mtu && path_mtu < device_mtu ? path_mtu : device_mtu;  /* RFC 1191 */
	tcb->tx_checksum_offload = dev && (dev->features & NETDEV_FEATURE_TX_CHECKSUM);
	tcb->tso_max_payload = netdev_tso_usable(dev) ? tcp_tso_payload_capacity(dev) : 0;
	tcb->tso_max_buffers = tcb->tso_max_payload ? dev->tx_max_buffers : 1;
	/* RFC 9293 3.7.1 / RFC 6691: MTU minus the fixed IPv4 and TCP headers
	 * (the device's, as Linux's advmss: the path MTU limits what we send). */
	tcb->advertised_mss = (uint16_t)(device_mtu - TCP_HEADERS_LENGTH);
	tcb->wscale_ok = tcp_window_scaling_enabled;
	tcb->rcv_wscale = tcb->wscale_ok ? tcp_receive_window_shift() : 0;
	tcb->sack_ok = tcp_sack_enabled;
	tcb->timestamps_ok = tcp_timestamps_enabled;
	tcb->ts_offset = tcp_ts_offset(tcb->local_address, tcb->local_port, tcb->remote_address, tcb->remote_port);
	return 0;
}

void tcp_apply_syn_options(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	const struct tcp_options *options = &seg->options;
	uint16_t peer_mss = options->has_mss ? options->mss : TCP_DEFAULT_MSS;
	tcb->peer_mss = peer_mss < TCP_MIN_MSS ? TCP_MIN_MSS : peer_mss;
	tcb->wscale_ok = tcb->wscale_ok && options->has_window_scale;
	tcb->snd_wscale = tcb->wscale_ok ? options->window_scale : 0;
	if (!tcb->wscale_ok)
		tcb->rcv_wscale = 0;
	tcb->sack_ok = tcb->sack_ok && options->sack_permitted;
	tcb->timestamps_ok = tcb->timestamps_ok && options->has_timestamps;
	if (tcb->timestamps_ok) {
		tcb->ts_recent = options->ts_value;
		tcb->ts_recent_ns = seg->now_ns;
	}
	tcb->mss = tcp_mss_for_path(tcb);
	tcb->snd_wnd = tcb->max_snd_wnd = seg->window;   /* SYN windows are never scaled */
	tcb->snd_wl1 = seg->seq;
	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->rcv_adv = tcb->rcv_nxt;
	tcb->last_ack_sent = tcb->rcv_nxt;
	tcp_congestion_init(tcb, tcb->congestion);
	tcp_quick_ack_start(tcb);
}

bool tcp_handshake_completed(struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	if (tcb->listener && !tcp_listen_child_established(tcb))
		return false;
	tcp_set_state(tcb, tcb->fin_queued ? TCP_FIN_WAIT_1 : TCP_ESTABLISHED);
	tcb->snd_wnd = seg->window << tcb->snd_wscale;
	if (tcb->snd_wnd > tcb->max_snd_wnd)
		tcb->max_snd_wnd = tcb->snd_wnd;
	tcb->snd_wl1 = seg->seq;
	tcb->snd_wl2 = seg->ack;
	tcb->connect_pending = false;
	tcb->syn_retries = 0;
	tcp_keepalive_reset(tcb);
	tcp_wake(tcb);
	return true;
}

int tcp_connect_start(struct tcp_sock *tcb, be32 address, be16 port)
{
	tcb->remote_address = address;
	tcb->remote_port = port;
	int error = tcp_route_setup(tcb);
	if (error)
		return error;
	if (!tcb->bound) {
		uint16_t local_port = tcp_ephemeral_port(tcb->local_address, address, port);
		if (local_port == 0 || tcp_bind_port(tcb, tcb->local_address, local_port, false) != 0)
			return -EADDRNOTAVAIL;
		tcb->ts_offset = tcp_ts_offset(tcb->local_address, tcb->local_port, address, port);
	}
	if (tcp_table_lookup(tcb->local_address, tcb->local_port, address, port))
		return -EADDRNOTAVAIL;
	if (tcp_table_insert(tcb) != 0)
		return -ENOBUFS;
	uint64_t now = clock_monotonic_ns();
	tcb->iss = tcp_isn(tcb->local_address, tcb->local_port, address, port, now);
	tcb->snd_una = tcb->snd_nxt = tcb->snd_max = tcb->iss;
	tcb->send_buffer_seq = tcb->iss + 1;
	tcb->recover = tcb->iss;
	tcb->mss = (uint16_t)(tcb->advertised_mss < TCP_DEFAULT_MSS ? tcb->advertised_mss : TCP_DEFAULT_MSS);
	tcb->connect_pending = true;
	tcb->ever_connected = true;
	tcb->last_received_ns = now;
	tcp_set_state(tcb, TCP_SYN_SENT);
	tcp_count(TCP_ACTIVE_OPENS);
	tcp_send_syn(tcb);
	return -EINPROGRESS;
}

/* RFC 9293 3.10.7.3 first check: does the ACK acknowledge our SYN? */
static bool syn_sent_ack_acceptable(const struct tcp_sock *tcb, const struct tcp_segment *seg)
{
	return tcp_seq_gt(seg->ack, tcb->iss) && tcp_seq_leq(seg->ack, tcb->snd_max);
}

/* Our SYN acknowledged, the peer's SYN received: ESTABLISHED, and our ACK. */
static void syn_acknowledged(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	tcb->snd_una = seg->ack;
	if (tcb->rtt_timing) {
		tcp_rtt_sample(tcb, seg->now_ns - tcb->rtt_start_ns);
		tcb->rtt_timing = false;
	}
	tcb->backoff = 0;
	tcp_timer_clear(tcb, TCP_TIMER_RETRANSMIT);
	tcp_handshake_completed(tcb, seg);
	tcp_send_ack(tcb);
	tcp_output(tcb);
}

void tcp_rcv_syn_sent(struct tcp_sock *tcb, struct tcp_segment *seg)
{
	bool has_ack = seg->flags & TCP_FLAG_ACK;
	if (has_ack && !syn_sent_ack_acceptable(tcb, seg)) {
		tcp_reset_reply(seg);
		seg->drop = TCP_DROP_SYN_SENT_BAD_ACK;
		return;
	}
	if (seg->flags & TCP_FLAG_RST) {
		/* RFC 5961 3.2 in SYN-SENT: only with an acceptable ACK. */
		if (has_ack) {
			tcp_count(TCP_ATTEMPT_FAILS);
			tcp_set_closed(tcb, ECONNREFUSED);
		} else {
			seg->drop = TCP_DROP_SYN_SENT_BAD_ACK;
		}
		return;
	}
	if (!(seg->flags & TCP_FLAG_SYN)) {
		seg->drop = TCP_DROP_SYN_SENT_NO_SYN;
		return;
	}
	tcp_apply_syn_options(tcb, seg);
	tcb->last_received_ns = seg->now_ns;
	if (!has_ack) {
		/* Simultaneous open: SYN-RECEIVED, our SYN again with an ACK (3.5 figure 7). */
		tcp_set_state(tcb, TCP_SYN_RECEIVED);
		tcp_send_syn(tcb);
		return;
	}
	syn_acknowledged(tcb, seg);
}
