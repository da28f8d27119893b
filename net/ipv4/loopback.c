/* loopback.c - datagrams the host addresses to itself, Linux's `lo` path
 * (loopback_xmit -> netif_rx -> ip_rcv): a datagram handed to
 * ipv4_loopback_output gets its IPv4 header here and waits in a bounded
 * queue; a timer due at once delivers it from the run loop, through
 * PRE_ROUTING and local input, never inside the sender's call (a RST
 * answering TCP's own segment must not reach TCP while TCP is sending).
 * Its user today: netfilter's `reject` in an output chain, which answers the
 * local stack as Linux's nf_send_reset / nf_send_unreach do. */
#include "net/ipv4/ipv4.h"

#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/drop.h"
#include "net/ipv4/internal.h"
#include "net/wire/ipv4.h"

/* Linux's backlog is netdev_max_backlog (1000) for every device; a host
 * answering itself needs few (the queue empties at the next loop step): the
 * bound keeps a burst of rejects from emptying the pkt pool. */
#define LOOPBACK_QUEUE_LIMIT 32

static struct pkt_queue queue;
static struct timer delivery_timer;
static bool ready;

static void deliver_queued(struct timer *timer, void *context)
{
	struct pkt *pkt;
	while ((pkt = pkt_queue_pop(&queue)) != NULL)
		ipv4_input_looped(pkt->device, pkt);
}

int ipv4_loopback_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol, struct netdev *dev)
{
	if (!ready) {
		pkt_queue_init(&queue, LOOPBACK_QUEUE_LIMIT);
		timer_setup(&delivery_timer, deliver_queued, NULL);
		ready = true;
	}
	struct ipv4_datagram_fields fields = {
		.source = source, .destination = destination, .protocol = protocol, .time_to_live = IPV4_DEFAULT_TTL,
	};
	size_t payload_length = pkt->length;
	uint8_t *header = pkt_push(pkt, IPV4_HEADER_MIN_LENGTH);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_NO_BUFFER);
		return -1;
	}
	ipv4_write_header(header, &fields, IPV4_HEADER_MIN_LENGTH, NULL, 0, payload_length, IPV4_FLAG_DONT_FRAGMENT);
	pkt_set_network_header(pkt);
	pkt->protocol = ETHERTYPE_IPV4;
	pkt->device = dev;
	if (pkt_queue_push(&queue, pkt) != 0) {
		net_drop(NULL, NET_DROP_IP_LOOPBACK_QUEUE_FULL);
		return -1;
	}
	timer_arm(&delivery_timer, clock_monotonic_ns());
	return 0;
}
