/* qdisc_check_shaper.c - the token-bucket shaper (net/sched/tbf.c) on the
 * fake device of qdisc_check.c, under the fake clock: the rate is never
 * exceeded, a throttled shaper sleeps on its timer (no polling), the burst
 * goes at once after idle, a child can be replaced under it, tc's rate
 * and time formats, and its `tc -s qdisc show` lines. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/netdev_internal.h"
#include "net/sched/fq_codel.h"
#include "net/sched/pfifo_fast.h"
#include "net/sched/sched.h"
#include "net/sched/tbf.h"
#include "net/sched/tc_format.h"
#include "net/sched/tc_parse.h"
#include "tests/host/qdisc_check.h"

#define HOST_CHECK_SHARED
#include "host_check.h"

#define MICROSECOND 1000ull
#define RATE_8MBIT 8000000ull     /* 1 byte per microsecond */
#define FRAME 1000u               /* bytes: 1000 us at 8 Mbit/s */

/* 8 Mbit/s, burst 1000 + 1600 = 2600 bytes: twenty 1000-byte frames sent
 * at once leave at t = 0, 0, 400 us, then one every 1000 us (the 19th
 * at 16400 us, the 20th at 17400 us), never more than 2600 bytes + 1 byte/us. */
void check_shaper_rate(void)
{
	struct netdev *dev = qdisc_check_device(0);
	CHECK(tbf_burst_for_rate(RATE_8MBIT) == 2600);
	netdev_qdisc_attach(dev, tbf_create(RATE_8MBIT, pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT)));
	struct qdisc *shaper = dev->qdisc;
	CHECK(shaper != NULL);
	qdisc_check_ring_set(1000, 0);
	for (uint16_t i = 0; i < 20; i++)
		CHECK(netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0)) == 0);
	CHECK(qdisc_check_ring_sent() == 2 && qdisc_length(shaper) == 18);
	CHECK(shaper->throttled && shaper->stats.overlimits == 1);
	CHECK(!netdev_tx_backlog_any());          /* throttled: the idle loop may sleep */
	CHECK(net_poll() == 0 && qdisc_check_ring_sent() == 2);
	host_time_advance(399 * MICROSECOND);
	CHECK(qdisc_check_ring_sent() == 2);
	host_time_advance(1 * MICROSECOND);        /* the watchdog: tokens for one frame */
	CHECK(qdisc_check_ring_sent() == 3);
	for (uint64_t elapsed = 400; elapsed < 17400; elapsed += 100) {
		CHECK((uint64_t)qdisc_check_ring_sent() * FRAME <= 2600 + elapsed);
		host_time_advance(100 * MICROSECOND);
	}
	CHECK(qdisc_check_ring_sent() == 20 && qdisc_length(shaper) == 0);
	CHECK(shaper->stats.packets == 20 && shaper->stats.bytes == 20 * FRAME && shaper->stats.drops == 0);
	struct qdisc *child = shaper->ops->child(shaper);
	CHECK(child->stats.packets == 20 && child->stats.bytes == 20 * FRAME && child->stats.backlog_packets == 0);
	CHECK(shaper->stats.overlimits == 18);    /* each frame after the burst waited once */
	/* Idle: the bucket fills to the burst again, two frames go at once. */
	host_time_advance(10000 * MICROSECOND);
	netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0));
	netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0));
	netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0));
	CHECK(qdisc_check_ring_sent() == 22 && shaper->stats.overlimits == 19);
	/* Destroyed while throttled: its timer goes with it (ASan sees a late one). */
	netdev_qdisc_attach(dev, NULL);
	host_time_advance(10000 * MICROSECOND);
	CHECK(qdisc_check_ring_sent() == 22 && net_drop_count(NET_DROP_QDISC_RESET) == 1);
	CHECK(tbf_create(TBF_RATE_MIN - 1, NULL) == NULL);
}

/* The child replaced with frames queued: they are dropped as qdisc_reset,
 * the shaper's backlog follows, and the new child is fed from then on. */
void check_shaper_graft(void)
{
	struct netdev *dev = qdisc_check_device(0);
	netdev_qdisc_attach(dev, tbf_create(RATE_8MBIT, pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT)));
	struct qdisc *shaper = dev->qdisc;
	qdisc_check_ring_set(1000, 0);
	for (uint16_t i = 0; i < 6; i++)
		netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0));
	CHECK(qdisc_check_ring_sent() == 2 && qdisc_length(shaper) == 4);
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 0);
	uint64_t before = net_drop_count(NET_DROP_QDISC_RESET);
	tbf_graft(shaper, fq_codel_create(&parameters));
	CHECK(net_drop_count(NET_DROP_QDISC_RESET) - before == 4 && qdisc_length(shaper) == 0);
	CHECK(shaper->ops->child(shaper)->ops == &fq_codel_ops);
	host_time_advance(5000 * MICROSECOND);
	netdev_transmit(dev, qdisc_check_frame(8, FRAME, 0));
	CHECK(qdisc_check_ring_sent() == 3);
	CHECK(tbf_set_rate(shaper, 0) == -1 && tbf_rate(shaper) == RATE_8MBIT);
	CHECK(tbf_set_rate(shaper, 20000000) == 0 && tbf_rate(shaper) == 20000000);
	netdev_qdisc_attach(dev, NULL);
}

static bool rate_is(const char *text, uint64_t expected)
{
	uint64_t rate = 0;
	return tc_parse_rate(text, &rate) == 0 && rate == expected;
}

static bool rate_refused(const char *text)
{
	uint64_t rate = 12345;
	return tc_parse_rate(text, &rate) == -1 && rate == 12345;
}

static bool rate_shows(uint64_t bits, const char *expected)
{
	char text[TC_NUMBER_LENGTH];
	tc_format_rate(bits, text);
	return strcmp(text, expected) == 0;
}

/* tc's rate and time words (tc_util.c get_rate, get_time, print_rate). */
void check_shaper_parse(void)
{
	CHECK(rate_is("20mbit", 20000000) && rate_is("20Mbit", 20000000) && rate_is("1.5mbit", 1500000));
	CHECK(rate_is("800kbit", 800000) && rate_is("1gbit", 1000000000) && rate_is("64000", 64000));
	CHECK(rate_is("100bit", 100) && rate_is("1tbit", TC_RATE_MAX));
	CHECK(rate_refused("") && rate_refused("0") && rate_refused("mbit") && rate_refused("20mbps"));
	CHECK(rate_refused("20 mbit") && rate_refused("-5mbit") && rate_refused("2tbit") && rate_refused("1.mbit"));
	CHECK(rate_refused("99999999999999999999999gbit") && rate_refused("20mbit,"));
	uint64_t time = 0;
	CHECK(tc_parse_time("5ms", &time) == 0 && time == 5000000);
	CHECK(tc_parse_time("100ms", &time) == 0 && time == 100000000);
	CHECK(tc_parse_time("2.5ms", &time) == 0 && time == 2500000);
	CHECK(tc_parse_time("1s", &time) == 0 && time == 1000000000);
	CHECK(tc_parse_time("800us", &time) == 0 && time == 800000);
	CHECK(tc_parse_time("300", &time) == 0 && time == 300000);
	CHECK(tc_parse_time("5 ms", &time) == -1 && tc_parse_time("ms", &time) == -1 && tc_parse_time("2h", &time) == -1);
	CHECK(tc_parse_time("3601s", &time) == -1);
	uint32_t count = 0;
	CHECK(tc_parse_count("10240", &count) == 0 && count == 10240);
	CHECK(tc_parse_count("4294967296", &count) == -1 && tc_parse_count("12p", &count) == -1);
	CHECK(tc_parse_count("", &count) == -1);
	CHECK(rate_shows(20000000, "20Mbit") && rate_shows(1500000, "1500Kbit") && rate_shows(1000000000, "1Gbit"));
	CHECK(rate_shows(999, "999bit") && rate_shows(1234567, "1234Kbit") && rate_shows(8000, "8Kbit"));
}

static void print_text(void *context, const char *text) { fputs(text, stdout); }

/* eth0 shaped at 8 Mbit/s over fq_codel, five 1000-byte frames: two sent
 * with the burst, three held; eth1 pfifo_fast. */
void show_tc_shaper(void)
{
	struct fq_codel_parameters parameters;
	fq_codel_default_parameters(&parameters, 0);
	struct netdev *dev = qdisc_check_device(0);
	netdev_qdisc_attach(dev, tbf_create(RATE_8MBIT, fq_codel_create(&parameters)));
	netdev_qdisc_attach(qdisc_check_device(1), pfifo_fast_create(PFIFO_FAST_LIMIT_DEFAULT));
	qdisc_check_ring_set(1000, 0);
	for (uint16_t i = 0; i < 5; i++)
		netdev_transmit(dev, qdisc_check_frame(7, FRAME, 0));
	tc_qdisc_show(NULL, false, print_text, NULL);
	printf("--\n");
	tc_qdisc_show("eth0", true, print_text, NULL);
	netdev_qdisc_attach(dev, NULL);
	netdev_qdisc_attach(qdisc_check_device(1), NULL);
}
