/* small_queues.c - TCP small queues (Linux's TSQ, tcp_small_queue_check and
 * tcp_wfree): a connection's bytes sitting below it, in the qdisc and the
 * driver's ring, are bounded, so that one bulk sender cannot fill a queue
 * (fq_codel's, pfifo_fast's behind a keel.shape= shaper, the NIC ring) on
 * its own and every other flow, its own ACKs included, waits behind it.
 *
 * Each pkt TCP sends is charged to its connection: its wire bytes (a TSO
 * super-segment counts as the frames it becomes, headers included), given
 * back by the pkt's destructor when the driver (or a drop) frees it;
 * software GSO hands the charge on to the frames it cuts. New data waits
 * while more than the limit is charged, unless nothing is (the first pkt
 * always goes):
 *   limit = min(max(2 x the pkt's memory, 1/1024 s at the pacing rate),
 *               net.ipv4.tcp_limit_output_bytes)   (default 1 MiB, Linux 6.1)
 * with Linux's pacing rate cwnd / srtt x 200% in slow start, 120% after
 * (tcp_update_pacing_rate). Once throttled, a returned charge runs the
 * connection's output again from its own timer (the kernel loop, never
 * inside the pkt_free that returned it). A connection released while
 * charged bytes are still below it stays allocated until they come back. */
#include "net/tcp/internal.h"

#include "kernel/time/clock.h"
#include "net/core/pkt.h"
#include "net/tcp/sysctl.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define PACING_SHIFT 10                 /* Linux's sk_pacing_shift: ~1 ms of the rate */
#define SLOW_START_PERCENT 200          /* net.ipv4.tcp_pacing_ss_ratio */
#define AVOIDANCE_PERCENT 120           /* net.ipv4.tcp_pacing_ca_ratio */
#define USEC_PER_SEC 1000000ull

static void run_again(struct timer *timer, void *context)
{
	struct tcp_sock *tcb = context;
	if (tcb->release_pending) {
		if (tcb->bytes_below == 0)
			tcp_free(tcb);
		return;
	}
	if (!tcb->small_queue_throttled)
		return;
	tcb->small_queue_throttled = false;
	tcp_output(tcb);
}

void tcp_small_queues_init(struct tcp_sock *tcb)
{
	timer_setup(&tcb->small_queue_timer, run_again, tcb);
}

/* The destructor: the driver (or a drop) freed one of our pkts. */
static void given_back(struct pkt *pkt)
{
	struct tcp_sock *tcb = pkt->owner;
	tcb->bytes_below -= pkt->owner_bytes < tcb->bytes_below ? pkt->owner_bytes : tcb->bytes_below;
	pkt->destructor = NULL;
	if ((tcb->small_queue_throttled || tcb->release_pending) && !tcb->small_queue_timer.armed)
		timer_arm(&tcb->small_queue_timer, clock_monotonic_ns());
}

/* pkt is the TCP segment (header and payload, before IPv4 and Ethernet):
 * the frames it becomes (tcp_transmit counted them for OutSegs: no second
 * division here) each carry the IPv4 and Ethernet headers, and all but the
 * first a copy of the TCP header too. */
void tcp_small_queues_charge(struct tcp_sock *tcb, struct pkt *pkt, uint32_t frames, uint32_t tcp_header_length)
{
	uint32_t bytes = pkt_total_length(pkt) + frames * (ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH) +
			 (frames - 1) * tcp_header_length;
	pkt->destructor = given_back;
	pkt->owner = tcb;
	pkt->owner_bytes = bytes;
	tcb->bytes_below += bytes;
}

static uint64_t pacing_rate(const struct tcp_sock *tcb)   /* bytes per second */
{
	if (tcb->srtt_us == 0)
		return 0;
	unsigned percent = tcb->cwnd < tcb->ssthresh / 2 ? SLOW_START_PERCENT : AVOIDANCE_PERCENT;
	return (uint64_t)tcb->cwnd * USEC_PER_SEC / tcb->srtt_us * percent / 100;
}

/* bytes_below <= limit, limit = min(max(2 x memory, paced), the sysctl),
 * tested term by term so that the pacing rate's division runs only when
 * the pkt memory floor does not settle it (a flow with a frame or two
 * below, as a request-response server's, never pays it). */
bool tcp_small_queues_full(struct tcp_sock *tcb, uint32_t length)
{
	uint64_t below = tcb->bytes_below;
	if (below == 0)
		return false;
	uint64_t memory = ((uint64_t)length / PKT_DATA_SIZE + 1) * PKT_BUFFER_SIZE;
	if (below <= (uint64_t)tcp_limit_output_bytes &&
	    (below <= 2 * memory || below <= pacing_rate(tcb) >> PACING_SHIFT))
		return false;
	tcb->small_queue_throttled = true;
	tcb->small_queue_throttles++;
	return true;
}

bool tcp_small_queues_hold(struct tcp_sock *tcb)
{
	if (tcb->bytes_below == 0)
		return false;
	tcb->release_pending = true;
	return true;
}
