/* options.c - received IPv4 options judged and processed as Linux's
 * ip_options_compile does for the local host, and echoed as its
 * ip_options_echo does (contract in net/ipv4/options.h). The checks of
 * each option, in Linux's order, say which octet is bad: the offset returned
 * within the option (0 the type, 1 the length, 2 the pointer, 3 the
 * timestamp's overflow/flags byte), NO_PROBLEM when there is none. */
#include "net/ipv4/options.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/time/rtc.h"
#include "net/core/checksum.h"
#include "net/ipv4/devconf.h"
#include "net/wire/ipv4.h"


#define NO_PROBLEM (-1)
#define OPTION_TYPE 0
#define OPTION_LENGTH 1
#define OPTION_POINTER 2
#define OPTION_TIMESTAMP_FLAGS 3
#define ADDRESS_BYTES 4
#define MS_PER_DAY 86400000u
#define CIPSO_LENGTH_MIN 8        /* type, length, 4-byte DOI, a tag (RFC 1108's successor, FIPS 188) */

struct option_walk {
	uint8_t *header;
	be32 local;
	bool apply;                   /* false: judge only, change nothing */
	unsigned record_route, timestamp, source_route;   /* offsets of those seen; 0: none */
};

static void put_word(uint8_t *at, be32 value) { memcpy(at, &value, ADDRESS_BYTES); }

/* RFC 791 3.1: "the time in milliseconds since midnight UT". */
static be32 timestamp_now(void)
{
	int64_t now_ns = rtc_realtime_ns();
	uint64_t ms = now_ns > 0 ? (uint64_t)now_ns / 1000000u : 0;
	return htonl((uint32_t)(ms % MS_PER_DAY));
}

/* One hop recorded in a Timestamp option whose pointer has room for it:
 * returns how far the pointer moves (0: nothing recorded). Prespecified
 * (flag 3): only when the address in the slot is ours. Unknown flags:
 * nothing, as Linux for a datagram from the wire. */
static unsigned timestamp_record(uint8_t *option, be32 local)
{
	uint8_t *slot = option + option[OPTION_POINTER] - 1;
	switch (option[OPTION_TIMESTAMP_FLAGS] & 0xF) {
	case IPV4_TIMESTAMP_ONLY:
		put_word(slot, timestamp_now());
		return ADDRESS_BYTES;
	case IPV4_TIMESTAMP_AND_ADDRESS:
		put_word(slot, local);
		put_word(slot + ADDRESS_BYTES, timestamp_now());
		return 2 * ADDRESS_BYTES;
	case IPV4_TIMESTAMP_PRESPECIFIED:
		if (memcmp(slot, &local, ADDRESS_BYTES) != 0)
			return 0;
		put_word(slot + ADDRESS_BYTES, timestamp_now());
		return 2 * ADDRESS_BYTES;
	default:
		return 0;
	}
}

/* RFC 791 "Record Route": pointer >= 4; when it is within the option there
 * must be a whole slot at it, which we fill. */
static int record_route_input(struct option_walk *walk, uint8_t *option, unsigned length)
{
	if (walk->record_route)
		return OPTION_TYPE;                       /* RFC 791: at most once */
	if (length < 3)
		return OPTION_LENGTH;
	unsigned pointer = option[OPTION_POINTER];
	if (pointer < 4)
		return OPTION_POINTER;
	if (pointer <= length) {
		if (pointer + 3 > length)
			return OPTION_POINTER;
		if (walk->apply) {
			put_word(option + pointer - 1, walk->local);
			option[OPTION_POINTER] = (uint8_t)(pointer + ADDRESS_BYTES);
		}
	}
	walk->record_route = (unsigned)(option - walk->header);
	return NO_PROBLEM;
}

/* RFC 791 "Internet Timestamp": pointer >= 5; room for a whole entry (4
 * bytes, 8 with an address), else a full option whose overflow count (high
 * nibble) goes up by one, and a count already at 15 is an error. */
static int timestamp_input(struct option_walk *walk, uint8_t *option, unsigned length)
{
	if (walk->timestamp)
		return OPTION_TYPE;
	if (length < 4)
		return OPTION_LENGTH;
	unsigned pointer = option[OPTION_POINTER], flag = option[OPTION_TIMESTAMP_FLAGS] & 0xF;
	unsigned overflow = option[OPTION_TIMESTAMP_FLAGS] >> 4;
	if (pointer < 5)
		return OPTION_POINTER;
	walk->timestamp = (unsigned)(option - walk->header);
	if (pointer > length) {                           /* full */
		if (flag == IPV4_TIMESTAMP_PRESPECIFIED)
			return NO_PROBLEM;                /* the prespecified hops are all done */
		if (overflow == 15)
			return OPTION_TIMESTAMP_FLAGS;
		if (walk->apply)
			option[OPTION_TIMESTAMP_FLAGS] = (uint8_t)((overflow + 1) << 4 | flag);
		return NO_PROBLEM;
	}
	if (pointer + 3 > length)
		return OPTION_POINTER;
	bool with_address = flag == IPV4_TIMESTAMP_AND_ADDRESS || flag == IPV4_TIMESTAMP_PRESPECIFIED;
	if (with_address && pointer + 7 > length)
		return OPTION_POINTER;
	if (walk->apply)
		option[OPTION_POINTER] = (uint8_t)(pointer + timestamp_record(option, walk->local));
	return NO_PROBLEM;
}

/* LSRR / SSRR: pointer >= 4, one source route at most (RFC 1812 5.2.4.1). */
static int source_route_input(struct option_walk *walk, uint8_t *option, unsigned length)
{
	if (length < 3)
		return OPTION_LENGTH;
	if (option[OPTION_POINTER] < 4)
		return OPTION_POINTER;
	if (walk->source_route)
		return OPTION_TYPE;
	walk->source_route = (unsigned)(option - walk->header);
	return NO_PROBLEM;
}

static int option_input(struct option_walk *walk, uint8_t *option, unsigned length)
{
	switch (option[OPTION_TYPE]) {
	case IPV4_OPTION_RECORD_ROUTE:
		return record_route_input(walk, option, length);
	case IPV4_OPTION_TIMESTAMP:
		return timestamp_input(walk, option, length);
	case IPV4_OPTION_LOOSE_SOURCE_ROUTE:
	case IPV4_OPTION_STRICT_SOURCE_ROUTE:
		return source_route_input(walk, option, length);
	case IPV4_OPTION_ROUTER_ALERT:
		return length < 4 ? OPTION_LENGTH : NO_PROBLEM;   /* RFC 2113: 4 bytes */
	case IPV4_OPTION_CIPSO:
		/* Linux's cipso_v4_validate: no DOI is configured here, so
		 * every CIPSO option names an unknown one (its offset 2). */
		return length < CIPSO_LENGTH_MIN ? OPTION_LENGTH : OPTION_POINTER;
	default:
		return NO_PROBLEM;                        /* RFC 791: options not understood are ignored */
	}
}

/* Walks the options area: the bad octet's offset from the header start, or NO_PROBLEM. */
static int walk_options(struct option_walk *walk)
{
	unsigned end = ipv4_header_length((const struct ipv4_header *)walk->header);
	for (unsigned at = IPV4_HEADER_MIN_LENGTH; at < end;) {
		uint8_t *option = walk->header + at;
		if (option[OPTION_TYPE] == IPV4_OPTION_END)
			break;
		if (option[OPTION_TYPE] == IPV4_OPTION_NOP) {
			at++;
			continue;
		}
		if (end - at < 2)
			return (int)at;                   /* a type with no room for its length */
		unsigned length = option[OPTION_LENGTH];
		if (length < 2 || length > end - at)
			return (int)at;
		int problem = option_input(walk, option, length);
		if (problem != NO_PROBLEM)
			return (int)at + problem;
		at += length;
	}
	return NO_PROBLEM;
}

enum net_drop_reason ipv4_options_input(uint8_t *header, be32 local, const struct netdev *in, uint8_t *problem_pointer)
{
	struct option_walk judge = { .header = header, .local = local, .apply = false };
	int problem = walk_options(&judge);
	if (problem != NO_PROBLEM) {
		*problem_pointer = (uint8_t)problem;
		return NET_DROP_IP_BAD_OPTIONS;
	}
	if (judge.source_route) {
		const uint8_t *route = header + judge.source_route;
		bool used_up = route[OPTION_POINTER] > route[OPTION_LENGTH];
		if (!ipv4_devconf_accept_source_route(in) || !used_up)
			return NET_DROP_IP_SOURCE_ROUTE;  /* we never take a source route's next hop */
	}
	struct option_walk process = { .header = header, .local = local, .apply = true };
	walk_options(&process);
	struct ipv4_header *ip = (struct ipv4_header *)header;
	ip->header_checksum = 0;
	ip->header_checksum = internet_checksum(header, ipv4_header_length(ip));
	return NET_DROP_NONE;
}

/* The offset of the first option of type in a validated header, or 0. */
static unsigned find_option(const uint8_t *header, uint8_t type)
{
	unsigned end = ipv4_header_length((const struct ipv4_header *)header);
	for (unsigned at = IPV4_HEADER_MIN_LENGTH; at + 1 < end && header[at] != IPV4_OPTION_END;) {
		if (header[at] == IPV4_OPTION_NOP) {
			at++;
			continue;
		}
		if (header[at + 1] < 2 || header[at + 1] > end - at)
			return 0;
		if (header[at] == type)
			return at;
		at += header[at + 1];
	}
	return 0;
}

/* Our output hop in a copied option: false when the pointer leaves part
 * of a slot (ip_options_echo's -EINVAL). */
static bool echo_record(uint8_t *option, be32 local)
{
	unsigned length = option[OPTION_LENGTH], pointer = option[OPTION_POINTER];
	if (pointer > length)
		return true;                              /* full: carried back as it is */
	if (option[OPTION_TYPE] == IPV4_OPTION_RECORD_ROUTE) {
		if (pointer + 3 > length)
			return false;
		put_word(option + pointer - 1, local);
		option[OPTION_POINTER] = (uint8_t)(pointer + ADDRESS_BYTES);
		return true;
	}
	unsigned flag = option[OPTION_TIMESTAMP_FLAGS] & 0xF;
	if (flag != IPV4_TIMESTAMP_ONLY && flag != IPV4_TIMESTAMP_AND_ADDRESS && flag != IPV4_TIMESTAMP_PRESPECIFIED)
		return true;
	if (pointer + 3 > length || (flag == IPV4_TIMESTAMP_AND_ADDRESS && pointer + 7 > length))
		return false;
	if (flag == IPV4_TIMESTAMP_PRESPECIFIED && pointer + 7 > length)
		return true;
	option[OPTION_POINTER] = (uint8_t)(pointer + timestamp_record(option, local));
	return true;
}

int ipv4_options_echo(const uint8_t *header, be32 local, uint8_t *reply)
{
	static const uint8_t echoed[] = { IPV4_OPTION_RECORD_ROUTE, IPV4_OPTION_TIMESTAMP };   /* Linux's order */
	unsigned length = 0;
	for (unsigned i = 0; i < sizeof(echoed); i++) {
		unsigned at = find_option(header, echoed[i]);
		if (at == 0)
			continue;
		unsigned option_length = header[at + 1];
		memcpy(reply + length, header + at, option_length);
		if (!echo_record(reply + length, local))
			return -1;
		length += option_length;
	}
	while (length % 4)
		reply[length++] = IPV4_OPTION_END;
	return (int)length;
}
