/* conntrack_tuple.c - a packet's tuple (conntrack_entry.h): parsed from
 * the IPv4 header and the first bytes of TCP, UDP or ICMP, every length
 * checked here (the fuzzer sends anything), and inverted for the other
 * direction. Other protocols are tracked by addresses and protocol alone,
 * as Linux's generic tracker does. */
#include "net/netfilter/conntrack_entry.h"

#include <string.h>

#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"

/* RFC 792 / RFC 950: the query types and their answers. */
static int icmp_answer_type(uint8_t type)
{
	switch (type) {
	case ICMP_TYPE_ECHO_REQUEST: return ICMP_TYPE_ECHO_REPLY;
	case ICMP_TYPE_ECHO_REPLY: return ICMP_TYPE_ECHO_REQUEST;
	case 13: return 14;   /* timestamp */
	case 14: return 13;
	case 15: return 16;   /* information */
	case 16: return 15;
	case 17: return 18;   /* address mask */
	case 18: return 17;
	default: return -1;
	}
}

bool conntrack_icmp_is_request(uint8_t type)
{
	return type == ICMP_TYPE_ECHO_REQUEST || type == 13 || type == 15 || type == 17;
}

static bool parse_transport(struct conntrack_packet *packet, uint32_t available)
{
	struct conntrack_tuple *tuple = &packet->tuple;
	const uint8_t *transport = packet->transport;
	switch (tuple->protocol) {
	case IP_PROTOCOL_TCP:
	case IP_PROTOCOL_UDP:
		if (available < 4)
			return false;
		memcpy(&tuple->source_port, transport, 2);
		memcpy(&tuple->destination_port, transport + 2, 2);
		return true;
	case IP_PROTOCOL_ICMP:
		if (available < ICMP_HEADER_LENGTH)
			return false;
		tuple->icmp_type = transport[0];
		tuple->icmp_code = transport[1];
		/* Errors have no identifier: conntrack_core looks at the quote. */
		if (!icmp_type_is_error(tuple->icmp_type))
			memcpy(&tuple->source_port, transport + 4, 2);
		return true;
	default:
		return true;
	}
}

enum conntrack_parse_result conntrack_parse(uint8_t *network, uint32_t available, bool quoted,
					    struct conntrack_packet *packet)
{
	memset(packet, 0, sizeof(*packet));
	if (available < IPV4_HEADER_MIN_LENGTH)
		return CONNTRACK_MALFORMED;
	const struct ipv4_header *header = (const struct ipv4_header *)network;
	unsigned header_length = ipv4_header_length(header);
	unsigned total_length = ntohs(header->total_length);
	if (ipv4_version(header) != IPV4_VERSION || header_length < IPV4_HEADER_MIN_LENGTH ||
	    header_length > available || total_length < header_length)
		return CONNTRACK_MALFORMED;
	if (ipv4_fragment_offset(header) != 0)
		return quoted ? CONNTRACK_MALFORMED : CONNTRACK_NOT_TRACKABLE;
	packet->network = network;
	packet->transport = network + header_length;
	packet->transport_length = ntohs(header->total_length) - header_length;
	uint32_t in_buffer = available - header_length;
	packet->transport_available = in_buffer < packet->transport_length ? in_buffer : packet->transport_length;
	packet->tuple.source = header->source;
	packet->tuple.destination = header->destination;
	packet->tuple.protocol = header->protocol;
	if (quoted && packet->transport_available < ICMP_ERROR_QUOTED_DATA_MIN &&
	    (header->protocol == IP_PROTOCOL_TCP || header->protocol == IP_PROTOCOL_UDP ||
	     header->protocol == IP_PROTOCOL_ICMP))
		return CONNTRACK_MALFORMED;
	return parse_transport(packet, packet->transport_available) ? CONNTRACK_PARSED : CONNTRACK_MALFORMED;
}

bool conntrack_invert(const struct conntrack_tuple *tuple, struct conntrack_tuple *inverse)
{
	*inverse = (struct conntrack_tuple){
		.source = tuple->destination, .destination = tuple->source, .protocol = tuple->protocol,
	};
	switch (tuple->protocol) {
	case IP_PROTOCOL_TCP:
	case IP_PROTOCOL_UDP:
		inverse->source_port = tuple->destination_port;
		inverse->destination_port = tuple->source_port;
		return true;
	case IP_PROTOCOL_ICMP: {
		int answer = icmp_answer_type(tuple->icmp_type);
		if (answer < 0)
			return false;
		inverse->icmp_type = (uint8_t)answer;
		inverse->icmp_code = tuple->icmp_code;
		inverse->source_port = tuple->source_port;
		return true;
	}
	default:
		return true;
	}
}

bool conntrack_tuple_equal(const struct conntrack_tuple *a, const struct conntrack_tuple *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}
