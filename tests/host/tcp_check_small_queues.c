/* tcp_check_small_queues.c - TCP small queues (net/tcp/small_queues.c)
 * with the shim holding TCP's pkts as a driver's ring does: new data stops
 * once more than the limit of the connection's wire bytes sit below it,
 * each pkt given back runs the output again (from the timer, not inside
 * pkt_free), and a connection released while its pkts are held stays
 * allocated until they come back (ASan sees a use after free otherwise,
 * LeakSanitizer a connection never freed). */
#include "tests/host/tcp_check.h"

#include "net/tcp/sysctl.h"

#define LIMIT 6000           /* net.ipv4.tcp_limit_output_bytes for the test: 4 frames */
#define FRAME_MAX 1600       /* a full segment's frame: 1448 + TCP/IPv4/Ethernet headers */

static uint8_t stream[200000];

/* Far more than the limit allowed in flight by window and cwnd: only TSQ stops it. */
static void open_wide(struct connection *c)
{
	establish(c, true);
	c->peer_window = 65535;   /* << 7 */
	peer_ack(c);
	c->tcb->cwnd = 100000;
	c->tcb->ssthresh = 200000;
	shim_discard_output();
}

void test_small_queues_bound_bytes_below(void)
{
	int64_t saved = tcp_limit_output_bytes;
	tcp_limit_output_bytes = LIMIT;
	struct connection c;
	open_wide(&c);
	shim_hold_output(true);
	long taken = tcp_ops.send(c.sk, stream, sizeof(stream), 0, NULL);
	CHECK(taken >= 2 * LIMIT);   /* the send buffer holds more than the limit */
	unsigned sent = shim_held();
	CHECK(c.tcb->small_queue_throttled);
	CHECK(c.tcb->bytes_below > LIMIT && c.tcb->bytes_below <= LIMIT + FRAME_MAX);
	CHECK(sent >= LIMIT / FRAME_MAX && sent <= LIMIT / 1400 + 1);
	/* ACKs do not help while the bytes are still below it. */
	peer_ack(&c);
	CHECK_EQ(shim_held(), sent);
	/* The driver frees three: the timer (not pkt_free) sends three more. */
	shim_give_back(3);
	CHECK_EQ(shim_held(), sent - 3);
	host_time_advance(0);
	CHECK_EQ(shim_held(), sent);
	CHECK(c.tcb->bytes_below <= LIMIT + FRAME_MAX);
	CHECK(c.tcb->small_queue_throttles >= 2);
	shim_hold_output(false);
	shim_give_back(SHIM_HELD_MAX);
	host_time_advance(0);
	CHECK_EQ(c.tcb->bytes_below, 0);
	close_all(&c);
	shim_discard_output();
	tcp_limit_output_bytes = saved;
	check_pool_full();
}

void test_small_queues_keep_a_released_connection(void)
{
	struct connection c;
	open_wide(&c);
	shim_hold_output(true);
	tcp_ops.send(c.sk, stream, 5000, 0, NULL);
	CHECK(shim_held() >= 3);
	struct tcp_sock *tcb = c.tcb;
	close_all(&c);                               /* RST; nobody holds the connection now */
	CHECK(tcb->release_pending && tcb->bytes_below > 0);
	shim_hold_output(false);
	shim_give_back(SHIM_HELD_MAX);               /* the destructor still finds it */
	host_time_advance(0);                        /* and its timer frees it */
	shim_discard_output();
	check_pool_full();
}
