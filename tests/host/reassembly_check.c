/* reassembly_check.c - host driver for tests/host/test_reassembly.py: runs
 * net/ipv4/reassembly.c (with net/core/pkt.c and net/core/checksum.c, compiled for the
 * host with ASan and UBSan) on fragments built here, with the time passed
 * in. The kernel's neighbours are stubs: net_drop counts per reason,
 * icmp_error_send records, timers do nothing (the test calls expire).
 *
 *   reassembly_check inorder|reverse|random|duplicate|overlap|gap|timeout|
 *                    too-big|bad-fragment|inconsistent-last|memory
 *
 * Prints "<mode>: N failures"; every mode ends by checking that the pool is
 * full again (nothing leaked, nothing still held). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/time/timer.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/reassembly.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

#define POOL_SIZE 600
#define SECOND 1000000000ull

#include "host_check.h"

/* ---- stubs for the kernel around net/ipv4/reassembly.c ---- */


static uint64_t drops[NET_DROP_REASON_TOTAL + 1];

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	drops[(unsigned)reason <= NET_DROP_REASON_TOTAL ? reason : NET_DROP_REASON_TOTAL]++;
	pkt_free(pkt);
}

static unsigned icmp_errors_sent;
static uint8_t last_icmp_type, last_icmp_code;
static uint8_t last_quoted[28];

void icmp_error_send(struct net_interface *interface, const uint8_t *offending, size_t available, uint8_t link_flags,
		     uint8_t type, uint8_t code, uint16_t next_hop_mtu)
{
	icmp_errors_sent++;
	last_icmp_type = type;
	last_icmp_code = code;
	memcpy(last_quoted, offending, available < sizeof(last_quoted) ? available : sizeof(last_quoted));
}

void timer_setup(struct timer *timer, void (*callback)(struct timer *timer, void *context), void *context) {}
void timer_arm(struct timer *timer, uint64_t deadline_ns) {}
void timer_cancel(struct timer *timer) {}
uint64_t clock_monotonic_ns(void) { return 0; }

/* ---- fragments ---- */

static struct net_interface interface;
/* Whether the datagrams' destination is one of our addresses (else in transit). */
static bool destination_is_ours = true;

struct net_interface *net_interface_with_address(be32 address) { return destination_is_ours ? &interface : NULL; }
static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

/* Byte i of datagram id's payload. */
static uint8_t pattern(unsigned id, unsigned i) { return (uint8_t)(i * 13 + id * 7 + (i >> 8)); }

/* A fragment of datagram id: payload bytes [offset, offset + length). */
static struct pkt *make_fragment(unsigned id, unsigned offset, unsigned length, int more)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL)
		return NULL;
	uint8_t *bytes = pkt_put(pkt, IPV4_HEADER_MIN_LENGTH + length);
	struct ipv4_header *header = (struct ipv4_header *)bytes;
	*header = (struct ipv4_header){
		.version_ihl = 0x45,
		.total_length = htons((uint16_t)(IPV4_HEADER_MIN_LENGTH + length)),
		.identification = htons((uint16_t)id),
		.flags_fragment_offset = htons((uint16_t)(offset / 8 | (more ? IPV4_FLAG_MORE_FRAGMENTS : 0))),
		.time_to_live = 64,
		.protocol = IP_PROTOCOL_UDP,
		.source = htonl(0x0A630001),
		.destination = htonl(0x0A630002),
	};
	header->header_checksum = internet_checksum(header, IPV4_HEADER_MIN_LENGTH);
	for (unsigned i = 0; i < length; i++)
		bytes[IPV4_HEADER_MIN_LENGTH + i] = pattern(id, offset + i);
	return pkt;
}

static unsigned completed;

/* Checks a completed datagram: header fixed up, every payload byte in place. */
static void check_datagram(unsigned id, const uint8_t *ip, uint32_t length, unsigned payload_length)
{
	const struct ipv4_header *header = (const struct ipv4_header *)ip;
	CHECK(length == IPV4_HEADER_MIN_LENGTH + payload_length);
	CHECK(ntohs(header->total_length) == length);
	CHECK(!ipv4_is_fragment(header));
	CHECK(internet_checksum(header, IPV4_HEADER_MIN_LENGTH) == 0);
	CHECK(ntohs(header->identification) == id);
	unsigned wrong = 0;
	for (unsigned i = 0; i < payload_length && i + IPV4_HEADER_MIN_LENGTH < length; i++)
		wrong += ip[IPV4_HEADER_MIN_LENGTH + i] != pattern(id, i);
	CHECK(wrong == 0);
	completed++;
}

/* Feeds one fragment; checks and frees whatever completes. */
static enum ip_reassembly_result feed(unsigned id, unsigned offset, unsigned length, int more, uint64_t now,
				      unsigned payload_length)
{
	struct pkt *pkt = make_fragment(id, offset, length, more);
	CHECK(pkt != NULL);
	if (pkt == NULL)
		return IP_REASSEMBLY_HELD;
	struct pkt *whole = NULL;
	struct ipv4_large_datagram large = { 0 };
	enum ip_reassembly_result result = ip_reassembly_input(&interface, pkt, now, &whole, &large);
	if (result == IP_REASSEMBLY_DONE_PKT) {
		check_datagram(id, whole->data, whole->length, payload_length);
		CHECK(whole->length <= PKT_DATA_SIZE);
		pkt_free(whole);
	} else if (result == IP_REASSEMBLY_DONE_LARGE) {
		check_datagram(id, large.buffer, large.length, payload_length);
		CHECK(large.header_length == IPV4_HEADER_MIN_LENGTH);
		CHECK(large.interface == &interface);
		free(large.buffer);
	}
	return result;
}

struct piece {
	unsigned offset, length;
	int more;
};

/* Cuts payload_length bytes into pieces of size (a multiple of 8). */
static unsigned cut(unsigned payload_length, unsigned size, struct piece *pieces)
{
	unsigned count = 0;
	for (unsigned offset = 0; offset < payload_length; offset += size, count++) {
		unsigned length = payload_length - offset < size ? payload_length - offset : size;
		pieces[count] = (struct piece){ offset, length, offset + length < payload_length };
	}
	return count;
}

static void reset(void)
{
	memset(drops, 0, sizeof(drops));
	icmp_errors_sent = 0;
	completed = 0;
	ipv4_ipfrag_time = 30;
	ipv4_ipfrag_max_pkts = 256;
	ipv4_ipfrag_high_thresh = 4 * 1024 * 1024;
}

static void check_pool_full(void)
{
	ip_reassembly_flush();
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK(stats.free == stats.total);
	CHECK(ip_reassembly_get_stats().pkts_held == 0);
}

/* ---- scenarios ---- */

static void in_order(void)
{
	struct piece pieces[16];
	unsigned count = cut(800, 400, pieces);                  /* fits one pkt */
	for (unsigned i = 0; i < count; i++)
		CHECK(feed(1, pieces[i].offset, pieces[i].length, pieces[i].more, 0, 800) ==
		      (i + 1 == count ? IP_REASSEMBLY_DONE_PKT : IP_REASSEMBLY_HELD));
	count = cut(4000, 1480, pieces);                         /* does not: heap buffer */
	for (unsigned i = 0; i < count; i++)
		CHECK(feed(2, pieces[i].offset, pieces[i].length, pieces[i].more, 0, 4000) ==
		      (i + 1 == count ? IP_REASSEMBLY_DONE_LARGE : IP_REASSEMBLY_HELD));
	CHECK(completed == 2);
}

static void reverse(void)
{
	struct piece pieces[64];
	unsigned count = cut(30000, 1480, pieces);
	for (unsigned i = count; i-- > 0;)
		CHECK(feed(3, pieces[i].offset, pieces[i].length, pieces[i].more, 0, 30000) ==
		      (i == 0 ? IP_REASSEMBLY_DONE_LARGE : IP_REASSEMBLY_HELD));
	CHECK(completed == 1);
}

static void random_order(void)
{
	srand(4);
	struct piece pieces[8200];
	unsigned expected = 0;
	for (unsigned round = 0; round < 300; round++) {
		unsigned payload_length = 1 + (unsigned)rand() % (round % 10 == 0 ? 65515 : 6000);
		unsigned size = 8 * (1 + (unsigned)rand() % 200);
		unsigned count = cut(payload_length, size, pieces);
		if (count > 200) {                                     /* stay within ipfrag_max_pkts */
			size = (payload_length / 200 + 8) / 8 * 8;
			count = cut(payload_length, size, pieces);
		}
		for (unsigned i = count; i > 1; i--) {                 /* Fisher-Yates */
			unsigned j = (unsigned)rand() % i;
			struct piece swap = pieces[i - 1];
			pieces[i - 1] = pieces[j];
			pieces[j] = swap;
		}
		for (unsigned i = 0; i < count; i++)
			feed(100 + round, pieces[i].offset, pieces[i].length, pieces[i].more, round, payload_length);
		expected++;
		CHECK(completed == expected);
	}
	for (unsigned reason = 0; reason <= NET_DROP_REASON_TOTAL; reason++)
		CHECK(drops[reason] == 0);
}

static void duplicate(void)
{
	CHECK(feed(5, 0, 800, 1, 0, 2400) == IP_REASSEMBLY_HELD);
	CHECK(feed(5, 0, 800, 1, 0, 2400) == IP_REASSEMBLY_HELD);    /* exact duplicate */
	CHECK(feed(5, 1600, 800, 0, 0, 2400) == IP_REASSEMBLY_HELD);
	CHECK(feed(5, 1600, 800, 0, 0, 2400) == IP_REASSEMBLY_HELD);
	CHECK(feed(5, 800, 800, 1, 0, 2400) == IP_REASSEMBLY_DONE_LARGE);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_DUPLICATE] == 2);
	CHECK(completed == 1);
}

static void overlap(void)
{
	CHECK(feed(6, 0, 800, 1, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(feed(6, 1600, 800, 0, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(feed(6, 792, 16, 1, 0, 0) == IP_REASSEMBLY_HELD);      /* overlaps the first by 8 bytes */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 3);
	CHECK(ip_reassembly_get_stats().pkts_held == 0);
	CHECK(feed(6, 800, 800, 1, 0, 0) == IP_REASSEMBLY_HELD);      /* would complete: condemned (RFC 5722) */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 4);
	CHECK(feed(6, 800, 8, 1, 0, 0) == IP_REASSEMBLY_HELD);        /* same start, shorter: overlap */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 5);
	ip_reassembly_expire(31 * SECOND);
	CHECK(icmp_errors_sent == 0);                                  /* nothing held: no time exceeded */
	CHECK(ip_reassembly_get_stats().datagrams == 0);
	CHECK(completed == 0);
	/* A fragment inside another (not an exact duplicate) condemns too. */
	CHECK(feed(7, 0, 1600, 1, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(feed(7, 8, 8, 1, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 7);
}

static void gap(void)
{
	CHECK(feed(8, 0, 800, 1, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(feed(8, 1600, 800, 0, 0, 0) == IP_REASSEMBLY_HELD);    /* 800-1600 missing */
	CHECK(completed == 0);
	ip_reassembly_expire(29 * SECOND);
	CHECK(icmp_errors_sent == 0);
	ip_reassembly_expire(30 * SECOND);
	CHECK(icmp_errors_sent == 1);                                  /* RFC 1122 3.3.2: the first came */
	CHECK(last_icmp_type == ICMP_TYPE_TIME_EXCEEDED && last_icmp_code == ICMP_CODE_REASSEMBLY_TIME_EXCEEDED);
	CHECK(ntohs(((struct ipv4_header *)last_quoted)->identification) == 8);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_TIMEOUT] == 2);
	CHECK(ip_reassembly_get_stats().datagrams == 0);
	/* In transit (held by conntrack's defragmentation): no time exceeded, as Linux's ip_expire. */
	destination_is_ours = false;
	CHECK(feed(18, 0, 800, 1, 40 * SECOND, 0) == IP_REASSEMBLY_HELD);
	ip_reassembly_expire(71 * SECOND);
	CHECK(icmp_errors_sent == 1);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_TIMEOUT] == 3);
	destination_is_ours = true;
}

static void timeout(void)
{
	ipv4_ipfrag_time = 2;
	CHECK(feed(9, 800, 800, 1, 5 * SECOND, 0) == IP_REASSEMBLY_HELD);   /* the first never comes */
	CHECK(feed(9, 1600, 8, 0, 6 * SECOND, 0) == IP_REASSEMBLY_HELD);
	ip_reassembly_expire(6 * SECOND);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_TIMEOUT] == 0);
	ip_reassembly_expire(7 * SECOND);                                   /* 2 s after the first fragment */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_TIMEOUT] == 2);
	CHECK(icmp_errors_sent == 0);                                       /* no first fragment: no ICMP */
	CHECK(ip_reassembly_get_stats().timeouts >= 1);
}

static void too_big(void)
{
	CHECK(feed(10, 8191 * 8, 40, 0, 0, 0) == IP_REASSEMBLY_HELD);      /* 65528 + 40 + 20 > 65535 */
	CHECK(feed(10, 65488, 24, 0, 0, 0) == IP_REASSEMBLY_HELD);         /* ends at 65512: 65532 fits */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_TOO_BIG] == 1);
	CHECK(ip_reassembly_get_stats().pkts_held == 1);
}

static void bad_fragment(void)
{
	CHECK(feed(11, 0, 801, 1, 0, 0) == IP_REASSEMBLY_HELD);            /* MF, not a multiple of 8 */
	CHECK(feed(11, 800, 0, 1, 0, 0) == IP_REASSEMBLY_HELD);            /* empty */
	CHECK(drops[NET_DROP_IP_BAD_FRAGMENT] == 2);
	CHECK(ip_reassembly_get_stats().datagrams == 0);
}

static void inconsistent_last(void)
{
	CHECK(feed(12, 800, 800, 0, 0, 0) == IP_REASSEMBLY_HELD);          /* ends at 1600 */
	CHECK(feed(12, 1600, 800, 0, 0, 0) == IP_REASSEMBLY_HELD);         /* another end */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 2);
	CHECK(feed(13, 800, 800, 1, 0, 0) == IP_REASSEMBLY_HELD);
	CHECK(feed(13, 0, 400, 0, 0, 0) == IP_REASSEMBLY_HELD);            /* ends before data held */
	CHECK(drops[NET_DROP_IP_REASSEMBLY_OVERLAP] == 4);
}

static void memory(void)
{
	ipv4_ipfrag_max_pkts = 10;
	for (unsigned id = 20; id < 26; id++) {                             /* 6 datagrams x 2 held = 12 */
		CHECK(feed(id, 0, 800, 1, id, 0) == IP_REASSEMBLY_HELD);
		CHECK(feed(id, 1600, 800, 0, id, 0) == IP_REASSEMBLY_HELD);
		CHECK(ip_reassembly_get_stats().pkts_held <= 10);
	}
	CHECK(drops[NET_DROP_IP_REASSEMBLY_MEMORY] == 2);                   /* the oldest (id 20) evicted */
	CHECK(feed(25, 800, 800, 1, 30, 2400) == IP_REASSEMBLY_DONE_LARGE);  /* the newest still completes */
	CHECK(feed(20, 800, 800, 1, 30, 0) == IP_REASSEMBLY_HELD);          /* id 20 starts over */
	/* A datagram needing more than the bound alone can never complete. */
	ip_reassembly_flush();
	memset(drops, 0, sizeof(drops));
	ipv4_ipfrag_high_thresh = 3 * PKT_BUFFER_SIZE;
	for (unsigned i = 0; i < 4; i++)
		feed(30, i * 800, 800, 1, 40, 0);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_MEMORY] == 4);
	CHECK(ip_reassembly_get_stats().pkts_held == 0);
	/* More datagrams than queues: the oldest make room. */
	ipv4_ipfrag_high_thresh = 4 * 1024 * 1024;
	ipv4_ipfrag_max_pkts = 256;
	for (unsigned id = 0; id < IP_REASSEMBLY_QUEUES + 5; id++)
		feed(1000 + id, 0, 8, 1, 50 + id, 0);
	CHECK(ip_reassembly_get_stats().datagrams == IP_REASSEMBLY_QUEUES);
	CHECK(drops[NET_DROP_IP_REASSEMBLY_MEMORY] == 4 + 5);
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "inorder", in_order }, { "reverse", reverse }, { "random", random_order }, { "duplicate", duplicate },
	{ "overlap", overlap }, { "gap", gap }, { "timeout", timeout }, { "too-big", too_big },
	{ "bad-fragment", bad_fragment }, { "inconsistent-last", inconsistent_last }, { "memory", memory },
};

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: reassembly_check <scenario>\n");
		return 2;
	}
	pool_buffers = malloc((size_t)POOL_SIZE * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(POOL_SIZE * sizeof(struct pkt));
	pool_in_use = malloc(POOL_SIZE);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, POOL_SIZE);
	for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(argv[1], scenarios[i].name) != 0)
			continue;
		reset();
		scenarios[i].run();
		check_pool_full();
		printf("%s: %d failures\n", argv[1], failures);
		free(pool_buffers);
		free(pool_descriptors);
		free(pool_in_use);
		return failures ? 1 : 0;
	}
	fprintf(stderr, "unknown scenario %s\n", argv[1]);
	return 2;
}
