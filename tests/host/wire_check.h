/* wire_check.h - what the cases of tests/host/wire_check_*.c share: the
 * case tables, and assertions made from outside the stack: which drop
 * reasons were counted (net_drop_count, net/core/drop.h) and which frames
 * went out on eth0, compared byte for byte with literal frames. */
#ifndef KEEL_TESTS_WIRE_CHECK_H
#define KEEL_TESTS_WIRE_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "net/core/drop.h"

struct wire_case {
	const char *name;
	void (*run)(void);
};

/* One table per protocol file, ended by { NULL, NULL }. */
extern const struct wire_case wire_arp_cases[];
extern const struct wire_case wire_ipv4_cases[];
extern const struct wire_case wire_ipv4_options_cases[];
extern const struct wire_case wire_icmp_cases[];
extern const struct wire_case wire_udp_cases[];
extern const struct wire_case wire_forward_cases[];

extern int wire_failures;

#define EXPECT(condition)                                                                         \
	do {                                                                                      \
		if (!(condition)) {                                                               \
			printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #condition);              \
			wire_failures++;                                                          \
		}                                                                                 \
	} while (0)

#define EXPECT_EQ(actual, expected)                                                               \
	do {                                                                                      \
		long long actual_value = (long long)(actual), expected_value = (long long)(expected); \
		if (actual_value != expected_value) {                                             \
			printf("FAIL: %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
			       #actual, actual_value, #expected, expected_value);                 \
			wire_failures++;                                                          \
		}                                                                                 \
	} while (0)

/* Hands a literal frame (an array) to the stack as eth0's driver would. */
#define INJECT(frame) wire_receive(frame, sizeof(frame))

/* Since the case began (or the last drop check): exactly these reasons
 * were counted, once each, and no other. */
#define EXPECT_DROPS(...)                                                                         \
	expect_drops(__FILE__, __LINE__, (const enum net_drop_reason[]){ __VA_ARGS__ },           \
		     sizeof((const enum net_drop_reason[]){ __VA_ARGS__ }) / sizeof(enum net_drop_reason))
#define EXPECT_NO_DROPS() expect_drops(__FILE__, __LINE__, NULL, 0)
void expect_drops(const char *file, int line, const enum net_drop_reason *reasons, unsigned count);
/* Forgets the drops counted so far (the next check starts from now). */
void drops_snapshot(void);

/* How a sent frame is compared with the literal one. */
enum frame_comparison {
	FRAME_EXACT,
	/* Every byte but the IPv4 identification (a per-destination secret
	 * counter, RFC 6864, net/ipv4/output.c) and the header checksum that
	 * covers it; the checksum is verified on the sent frame instead. */
	FRAME_EXCEPT_IPV4_IDENTIFICATION,
};

/* The next frame sent is expected (its length and bytes). */
#define EXPECT_SENT(frame, comparison) expect_sent(__FILE__, __LINE__, frame, sizeof(frame), comparison)
void expect_sent(const char *file, int line, const uint8_t *expected, unsigned length,
		 enum frame_comparison comparison);
/* Nothing (more) was sent. */
#define EXPECT_NOTHING_SENT() expect_nothing_sent(__FILE__, __LINE__)
void expect_nothing_sent(const char *file, int line);

/* The peer (10.99.0.1, 02:00:00:00:00:01) asks for our MAC, so that our
 * answers to it need no ARP round; its ARP reply is taken and the drop
 * counters snapshot. */
void peer_resolved(void);

#endif
