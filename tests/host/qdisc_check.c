/* qdisc_check.c - host driver for tests/host/test_qdisc_disciplines.py: the qdisc layer
 * (net/core/netdev_queue.c) and the qdiscs of net/sched, compiled for the
 * host with ASan and UBSan over a malloc'd packet pool and the fake clock.
 *
 *   qdisc_check <scenario>      runs one scenario, prints "<scenario>: N failures"
 *   qdisc_check tc              prints `tc -s qdisc show` for two devices
 *   qdisc_check tc-shaper       the same with eth0 shaped (tbf 1: + fq_codel 10:)
 *   qdisc_check tc-init         `tc qdisc show` after qdisc_init, keel.qdisc= and
 *                               keel.shape= from $QDISC_CHECK_QDISC, $QDISC_CHECK_SHAPE
 *
 * This file holds the frames, the kernel's stand-ins, the pfifo_fast, bypass
 * and tc scenarios; fq_codel's are in qdisc_check_fq_codel.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"
#include "net/core/pkt_pool.h"
#include "net/sched/fq_codel.h"
#include "net/sched/pfifo_fast.h"
#include "net/sched/sched.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/udp.h"
#include "tests/host/qdisc_check.h"

#include "host_check.h"

/* ---- the kernel around the sources ---------------------------------------- */

void printk(int level, const char *format, ...)
{
	if (!getenv("QDISC_CHECK_VERBOSE"))
		return;
	va_list arguments;
	va_start(arguments, format);
	vprintf(format, arguments);
	va_end(arguments);
}

const char *cmdline_get(const char *key) { return NULL; }

/* keel.qdisc= and keel.shape= from the environment (show_tc_after_init). */
void cmdline_for_each_prefix(const char *prefix, void (*visit)(const char *key, const char *value, void *context),
			     void *context)
{
	const char *value = strcmp(prefix, "keel.qdisc") == 0   ? getenv("QDISC_CHECK_QDISC")
			    : strcmp(prefix, "keel.shape") == 0 ? getenv("QDISC_CHECK_SHAPE")
								: NULL;
	if (value)
		visit(prefix, value, context);
}
uint64_t cmdline_get_u64(const char *key, uint64_t fallback) { return fallback; }
void ethernet_input(struct netdev *dev, struct pkt *pkt) { pkt_free(pkt); }

/* ---- frames ---------------------------------------------------------------- */

struct pkt *qdisc_check_frame(uint16_t source_port, uint32_t frame_length, uint8_t tos)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL)
		return NULL;
	uint8_t *bytes = pkt_put(pkt, frame_length);
	memset(bytes, 0, frame_length);
	struct ethernet_header *ethernet = (void *)bytes;
	ethernet->ethertype = htons(ETHERTYPE_IPV4);
	struct ipv4_header *ip = (void *)(bytes + ETHERNET_HEADER_LENGTH);
	ip->version_ihl = 0x45;
	ip->type_of_service = tos;
	ip->total_length = htons((uint16_t)(frame_length - ETHERNET_HEADER_LENGTH));
	ip->time_to_live = 64;
	ip->protocol = IP_PROTOCOL_UDP;
	ip->source = htonl(0x0A000001);
	ip->destination = htonl(0x0A000002);
	ip->header_checksum = internet_checksum(ip, IPV4_HEADER_MIN_LENGTH);
	struct udp_header *udp = (void *)(bytes + ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH);
	udp->source_port = htons(source_port);
	udp->destination_port = htons(9);
	udp->length = htons((uint16_t)(frame_length - ETHERNET_HEADER_LENGTH - IPV4_HEADER_MIN_LENGTH));
	pkt->protocol = ETHERTYPE_IPV4;
	return pkt;
}

uint16_t qdisc_check_flow_of(const struct pkt *pkt)
{
	const struct udp_header *udp = (const void *)(pkt->data + ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH);
	return ntohs(udp->source_port);
}

bool qdisc_check_ip_checksum_ok(const struct pkt *pkt)
{
	return internet_checksum(pkt->data + ETHERNET_HEADER_LENGTH, IPV4_HEADER_MIN_LENGTH) == 0;
}

uint8_t qdisc_check_tos(const struct pkt *pkt)
{
	return ((const struct ipv4_header *)(pkt->data + ETHERNET_HEADER_LENGTH))->type_of_service;
}

bool qdisc_check_pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	return stats.free == stats.total;
}

/* ---- a device whose ring holds ring_room frames until the test frees them -- */

static unsigned ring_room;
static unsigned ring_sent;
static unsigned ring_refused;   /* xmit with the ring full: a driver drops it */
static uint16_t ring_flows[256];

static int test_open(struct netdev *dev) { return 0; }
static int test_poll(struct netdev *dev, int budget) { return 0; }
static void test_irq(struct netdev *dev) {}
static bool test_tx_ready(struct netdev *dev, const struct pkt *pkt) { return ring_room > 0; }

static int test_xmit(struct netdev *dev, struct pkt *pkt)
{
	if (ring_room == 0) {
		ring_refused++;
		pkt_free(pkt);
		return -1;
	}
	ring_room--;
	if (ring_sent < sizeof(ring_flows) / sizeof(ring_flows[0]))
		ring_flows[ring_sent] = qdisc_check_flow_of(pkt);
	ring_sent++;
	pkt_free(pkt);
	return 0;
}

void qdisc_check_ring_set(unsigned room, unsigned sent)
{
	ring_room = room;
	ring_sent = sent;
}

unsigned qdisc_check_ring_sent(void) { return ring_sent; }

static const struct netdev_ops test_ops = {
	.open = test_open, .xmit = test_xmit, .poll = test_poll, .tx_ready = test_tx_ready,
	.irq_enable = test_irq, .irq_disable = test_irq,
};
static struct netdev device0 = { .driver_name = "test", .ops = &test_ops, .mtu = 1500, .link_up = true };
static struct netdev device1 = { .driver_name = "test", .ops = &test_ops, .mtu = 1500, .link_up = true };

struct netdev *qdisc_check_device(unsigned index) { return index == 0 ? &device0 : &device1; }

/* ---- pfifo_fast ------------------------------------------------------------ */

static void check_pfifo_limit(void)
{
	struct qdisc *fifo = pfifo_fast_create(5);
	uint64_t before = net_drop_count(NET_DROP_QDISC_OVERLIMIT);
	for (uint16_t i = 0; i < 7; i++)
		fifo->ops->enqueue(fifo, qdisc_check_frame(100 + i, 100, 0));
	CHECK(fifo->stats.backlog_packets == 5 && fifo->stats.backlog_bytes == 500);
	CHECK(fifo->stats.drops == 2 && net_drop_count(NET_DROP_QDISC_OVERLIMIT) - before == 2);
	for (uint16_t i = 0; i < 5; i++) {   /* FIFO: the first five, in order */
		struct pkt *pkt = fifo->ops->dequeue(fifo);
		CHECK(pkt && qdisc_check_flow_of(pkt) == 100 + i);
		pkt_free(pkt);
	}
	CHECK(fifo->ops->dequeue(fifo) == NULL && fifo->stats.backlog_bytes == 0);
	fifo->ops->destroy(fifo);
}

/* Linux's priomap: minimize-delay TOS (0x10) first, bulk (0x08) last. */
static void check_pfifo_bands(void)
{
	struct qdisc *fifo = pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT);
	fifo->ops->enqueue(fifo, qdisc_check_frame(1, 100, 0x08));
	fifo->ops->enqueue(fifo, qdisc_check_frame(2, 100, 0x00));
	fifo->ops->enqueue(fifo, qdisc_check_frame(3, 100, 0x10));
	fifo->ops->enqueue(fifo, qdisc_check_frame(4, 100, 0x02));   /* ECT(0) alone: band 1 */
	const uint16_t order[] = { 3, 2, 4, 1 };
	for (unsigned i = 0; i < 4; i++) {
		CHECK(fifo->ops->peek(fifo) != NULL);
		struct pkt *pkt = fifo->ops->dequeue(fifo);
		CHECK(pkt && qdisc_check_flow_of(pkt) == order[i]);
		pkt_free(pkt);
	}
	fifo->ops->enqueue(fifo, qdisc_check_frame(5, 100, 0));
	fifo->ops->destroy(fifo);   /* frees what it holds */
	CHECK(net_drop_count(NET_DROP_QDISC_RESET) == 1);
}

/* ---- the layer: bypass, queueing, the run ------------------------------ */

static void check_bypass(void)
{
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 0);
	netdev_qdisc_attach(&device0, fq_codel_create(&parameters));
	struct fq_codel_stats stats;
	ring_room = 4;
	ring_sent = 0;
	/* Empty qdisc, room in the ring: straight to the driver, never enqueued. */
	for (uint16_t i = 0; i < 4; i++)
		CHECK(netdev_transmit(&device0, qdisc_check_frame(10, 200, 0)) == 0);
	fq_codel_read_stats(device0.qdisc, &stats);
	CHECK(ring_sent == 4 && stats.new_flow_count == 0 && device0.qdisc->stats.packets == 4);
	CHECK(device0.qdisc->stats.bytes == 800 && device0.stats.tx_packets == 4);
	/* Ring full: queued, and the queue shows it. */
	for (uint16_t i = 0; i < 3; i++)
		netdev_transmit(&device0, qdisc_check_frame(20 + i, 200, 0));
	CHECK(ring_sent == 4 && qdisc_length(device0.qdisc) == 3 && netdev_tx_backlog_any());
	/* Room again, and one more frame of a new flow: the queued ones are
	 * not overtaken by a bypass (the qdisc is not empty). */
	ring_room = 1;
	netdev_transmit(&device0, qdisc_check_frame(30, 200, 0));
	CHECK(ring_sent == 5 && ring_flows[4] == 20);
	ring_room = 10;
	CHECK(net_poll() == 3);
	CHECK(ring_sent == 8 && qdisc_length(device0.qdisc) == 0 && !netdev_tx_backlog_any());
	CHECK(device0.qdisc->stats.packets == 8 && device0.qdisc->stats.drops == 0);
	CHECK(ring_refused == 0);   /* the qdisc never offered a frame the ring had no room for */
	netdev_qdisc_attach(&device0, NULL);
	/* No qdisc: Linux's noqueue, a full ring refuses (the caller counts tx_failed). */
	ring_room = 0;
	CHECK(netdev_transmit(&device0, qdisc_check_frame(40, 200, 0)) == -1 && ring_refused == 1);
	ring_room = 1;
	CHECK(netdev_transmit(&device0, qdisc_check_frame(40, 200, 0)) == 0);
}

/* Replacing a qdisc that holds frames drops them as qdisc_reset. */
static void check_replace(void)
{
	netdev_qdisc_attach(&device0, pfifo_fast_create(10));
	ring_room = 0;
	for (uint16_t i = 0; i < 4; i++)
		netdev_transmit(&device0, qdisc_check_frame(50, 200, 0));
	uint64_t before = net_drop_count(NET_DROP_QDISC_RESET);
	netdev_qdisc_attach(&device0, NULL);
	CHECK(net_drop_count(NET_DROP_QDISC_RESET) - before == 4);
}

/* ---- tc's output ------------------------------------------------------------- */

static void print_text(void *context, const char *text) { fputs(text, stdout); }

static void show_tc(void)
{
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 0);
	netdev_qdisc_attach(&device0, fq_codel_create(&parameters));
	netdev_qdisc_attach(&device1, pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT));
	uint16_t ports[2];
	distinct_ports(device0.qdisc, ports, 2);
	ring_room = 2;
	for (uint16_t i = 0; i < 5; i++)
		netdev_transmit(&device0, qdisc_check_frame(ports[i & 1], 1514, 0));
	tc_qdisc_show(NULL, false, print_text, NULL);
	printf("--\n");
	tc_qdisc_show(NULL, true, print_text, NULL);
	printf("--\n");
	tc_qdisc_show("eth1", true, print_text, NULL);
	printf("--\n");
	printf("%d\n", tc_qdisc_show("eth9", true, print_text, NULL));
	netdev_qdisc_attach(&device0, NULL);
	netdev_qdisc_attach(&device1, NULL);
}

/* ---- main -------------------------------------------------------------------- */

struct scenario {
	const char *name;
	void (*run)(void);
};

static const struct scenario scenarios[] = {
	{ "pfifo-limit", check_pfifo_limit }, { "pfifo-bands", check_pfifo_bands },
	{ "bypass", check_bypass },           { "replace", check_replace },
	{ "drr", check_fq_codel_drr },        { "sparse", check_fq_codel_sparse },
	{ "codel", check_fq_codel_codel },    { "reentry", check_fq_codel_reentry },
	{ "ecn", check_fq_codel_ecn },        { "overlimit", check_fq_codel_overlimit },
	{ "memory", check_fq_codel_memory },  { "reset", check_fq_codel_reset },
	{ "newton", check_fq_codel_newton },
	{ "shaper-rate", check_shaper_rate }, { "shaper-graft", check_shaper_graft },
	{ "shaper-parse", check_shaper_parse }, { "options", check_qdisc_options },
};

static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: qdisc_check <scenario>|tc\n");
		return 2;
	}
	pool_buffers = malloc((size_t)QDISC_CHECK_POOL * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(QDISC_CHECK_POOL * sizeof(struct pkt));
	pool_in_use = malloc(QDISC_CHECK_POOL);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, QDISC_CHECK_POOL);
	netdev_register(&device0);
	netdev_register(&device1);
	bool found = false;
	if (strcmp(argv[1], "tc") == 0 || strcmp(argv[1], "tc-shaper") == 0 || strcmp(argv[1], "tc-init") == 0) {
		if (strcmp(argv[1], "tc") == 0)
			show_tc();
		else if (strcmp(argv[1], "tc-shaper") == 0)
			show_tc_shaper();
		else
			show_tc_after_init();
		found = true;
	}
	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(argv[1], scenarios[i].name) == 0) {
			scenarios[i].run();
			CHECK(qdisc_check_pool_full());
			printf("%s: %d failures\n", argv[1], failures);
			found = true;
		}
	free(pool_buffers);
	free(pool_descriptors);
	free(pool_in_use);
	if (!found)
		fprintf(stderr, "unknown scenario %s\n", argv[1]);
	return found && failures == 0 ? 0 : 1;
}
