/* wire_check.c - host driver for tests/host/test_wire.py: the real
 * Ethernet, ARP, IPv4, ICMP and UDP code compiled for the host (ASan +
 * UBSan) over wire_host_shim.c, fed literal frames (wire_check_arp.c,
 * _ipv4.c, _ipv4_options.c, _icmp.c, _udp.c, _forward.c), judged by the drop reasons counted and the
 * frames sent.
 *
 *   wire_check <case>   runs one case (or "all"); prints "<case>: N failures"
 *   wire_check list     prints the case names
 *
 * Every case starts with the ICMP rate limits reset and ends with the clock
 * moved on until every ARP entry and reassembly expired, nothing sent that
 * the case did not expect, and the packet pool full again. */
#include "tests/host/wire_check.h"

#include <stdio.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/pkt.h"
#include "net/ipv4/icmp.h"
#include "net/wire/ipv4.h"
#include "tests/host/host_check.h"
#include "tests/host/wire_host_shim.h"

#define SETTLE_NS (600 * 1000000000ull)    /* beyond every ARP and reassembly timer */
#define ETHERNET_HEADER_BYTES 14

int wire_failures;
static uint64_t drops_before[NET_DROP_REASON_TOTAL];

static const struct wire_case *const tables[] = {
	wire_arp_cases, wire_ipv4_cases, wire_ipv4_options_cases, wire_icmp_cases, wire_udp_cases, wire_forward_cases,
};

void drops_snapshot(void)
{
	for (unsigned reason = 0; reason < NET_DROP_REASON_TOTAL; reason++)
		drops_before[reason] = net_drop_count(reason);
}

void expect_drops(const char *file, int line, const enum net_drop_reason *reasons, unsigned count)
{
	uint64_t expected[NET_DROP_REASON_TOTAL] = { 0 };
	for (unsigned i = 0; i < count; i++)
		expected[reasons[i]]++;
	for (unsigned reason = 0; reason < NET_DROP_REASON_TOTAL; reason++) {
		uint64_t counted = net_drop_count(reason) - drops_before[reason];
		if (counted != expected[reason]) {
			printf("FAIL: %s:%d: drop %s counted %llu times, expected %llu\n", file, line,
			       net_drop_reason_name(reason), (unsigned long long)counted,
			       (unsigned long long)expected[reason]);
			wire_failures++;
		}
	}
	drops_snapshot();
}

static void dump(const char *title, const uint8_t *bytes, unsigned length)
{
	printf("  %s (%u bytes):", title, length);
	for (unsigned i = 0; i < length; i++)
		printf("%s%02x", i % 16 ? " " : "\n    ", bytes[i]);
	printf("\n");
}

/* Whether byte offset of a sent frame is compared: all but, when asked,
 * IPv4 header bytes 4-5 (identification) and 10-11 (header checksum). */
static bool compared(enum frame_comparison comparison, unsigned offset)
{
	if (comparison != FRAME_EXCEPT_IPV4_IDENTIFICATION || offset < ETHERNET_HEADER_BYTES)
		return true;
	unsigned ip_offset = offset - ETHERNET_HEADER_BYTES;
	return !(ip_offset == 4 || ip_offset == 5 || ip_offset == 10 || ip_offset == 11);
}

void expect_sent(const char *file, int line, const uint8_t *expected, unsigned length, enum frame_comparison comparison)
{
	const struct wire_frame *frame = wire_take();
	if (frame == NULL) {
		printf("FAIL: %s:%d: no frame sent, one expected\n", file, line);
		wire_failures++;
		return;
	}
	int first_difference = frame->length == length ? -1 : (int)(length < frame->length ? length : frame->length);
	for (unsigned i = 0; i < length && i < frame->length && first_difference < 0; i++)
		if (frame->bytes[i] != expected[i] && compared(comparison, i))
			first_difference = (int)i;
	if (comparison == FRAME_EXCEPT_IPV4_IDENTIFICATION && frame->length >= ETHERNET_HEADER_BYTES + 20) {
		unsigned header_length = (frame->bytes[ETHERNET_HEADER_BYTES] & 0xF) * 4u;
		if (internet_checksum(frame->bytes + ETHERNET_HEADER_BYTES, header_length) != 0) {
			printf("FAIL: %s:%d: the sent IPv4 header checksum is wrong\n", file, line);
			wire_failures++;
		}
	}
	if (first_difference < 0)
		return;
	printf("FAIL: %s:%d: sent frame differs from the expected one at byte %d\n", file, line, first_difference);
	dump("sent", frame->bytes, frame->length);
	dump("expected", expected, length);
	wire_failures++;
}

void expect_nothing_sent(const char *file, int line)
{
	const struct wire_frame *frame;
	while ((frame = wire_take()) != NULL) {
		printf("FAIL: %s:%d: a frame was sent, none expected\n", file, line);
		dump("sent", frame->bytes, frame->length);
		wire_failures++;
	}
}

/* who-has 10.99.0.2 tell 10.99.0.1, as a driver that strips padding hands it up. */
static const uint8_t peer_asks[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  /* Ethernet destination: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  /* Ethernet source: the peer */
	0x08, 0x06,                          /* EtherType: ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,  /* Ethernet (6-byte addresses), IPv4 (4-byte addresses) */
	0x00, 0x01,                          /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  /* sender hardware address: the peer's MAC */
	0x0a, 0x63, 0x00, 0x01,              /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* target hardware address: unknown */
	0x0a, 0x63, 0x00, 0x02,              /* target protocol address 10.99.0.2: ours */
};

void peer_resolved(void)
{
	INJECT(peer_asks);
	const struct wire_frame *reply = wire_take();
	EXPECT(reply != NULL && reply->bytes[12] == 0x08 && reply->bytes[13] == 0x06);
	EXPECT_NOTHING_SENT();
	drops_snapshot();
}

static void check_pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	EXPECT_EQ(stats.free, stats.total);
}

static void run_case(const struct wire_case *test)
{
	wire_failures = 0;
	icmp_ratelimit_reset();
	wire_discard_output();
	drops_snapshot();
	test->run();
	EXPECT_NOTHING_SENT();                  /* every frame sent was one the case expected */
	host_time_advance(SETTLE_NS);
	wire_discard_output();
	check_pool_full();
	printf("%s: %d failures\n", test->name, wire_failures);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <case>|all|list\n", argv[0]);
		return 2;
	}
	wire_shim_start();
	int total_failures = 0;
	bool found = false;
	for (unsigned table = 0; table < sizeof(tables) / sizeof(tables[0]); table++) {
		for (const struct wire_case *test = tables[table]; test->name; test++) {
			if (strcmp(argv[1], "list") == 0) {
				printf("%s\n", test->name);
				found = true;
			} else if (strcmp(argv[1], "all") == 0 || strcmp(argv[1], test->name) == 0) {
				run_case(test);
				total_failures += wire_failures;
				found = true;
			}
		}
	}
	if (!found) {
		fprintf(stderr, "no case %s\n", argv[1]);
		return 2;
	}
	return total_failures ? 1 : 0;
}
