/* icmp.c - ICMP (RFC 792): checks the message checksum, passes received
 * errors on to net/ipv4/icmp_error_input.c, and answers echo requests in place:
 * the request's buffer becomes the reply (type changed, checksum updated
 * incrementally, addresses swapped), no copy, carrying back the request's
 * Record Route and Timestamp options (net/ipv4/options.c). Replies go
 * without DF, fragmented when the request was (as Linux's ICMP socket,
 * IP_PMTUDISC_DONT): a reassembled request larger than a pkt is answered
 * from its heap buffer. */
#include "net/ipv4/icmp.h"

#include <stdlib.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/mib.h"
#include "net/ipv4/ipv4.h"
#include "net/ipv4/options.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* The checksum covers the type byte as the high half of the first word:
 * RFC 1624 lets the reply reuse the request's checksum. */
static be16 type_code_word(const struct icmp_header *header)
{
	return htons((uint16_t)(header->type << 8 | header->code));
}

/* The reply's IP options: the request's Record Route and Timestamp carried
 * back with our hop recorded (net/ipv4/options.c, as Linux's icmp_reply ->
 * ip_options_echo); false when they cannot be (no reply then, as Linux). */
static bool reply_options(const uint8_t *request_header, be32 local, uint8_t *options,
			  struct ipv4_output_options *output)
{
	/* No DF: fragmented when larger than the route MTU, as Linux's ICMP socket (IP_PMTUDISC_DONT). */
	*output = (struct ipv4_output_options){ .dont_fragment = false };
	if (ipv4_header_length((const struct ipv4_header *)request_header) == IPV4_HEADER_MIN_LENGTH)
		return true;
	int length = ipv4_options_echo(request_header, local, options);
	if (length < 0)
		return false;
	output->options = length ? options : NULL;
	output->options_length = (uint8_t)length;
	return true;
}

/* Type 8 becomes 0; RFC 1624 lets the checksum follow without a full sum. */
static void make_reply(struct icmp_header *icmp)
{
	be16 old_word = type_code_word(icmp);
	icmp->type = ICMP_TYPE_ECHO_REPLY;
	icmp->checksum = internet_checksum_update(icmp->checksum, old_word, type_code_word(icmp));
}

/* In place: the request's pkt is the reply (its options are copied out
 * first, since the reply's header is written over the request's). */
static void echo_reply(struct net_interface *interface, struct pkt *pkt, struct icmp_header *icmp)
{
	const struct ipv4_header *request = (const struct ipv4_header *)pkt_network_header(pkt);
	be32 requester = request->source;
	uint8_t options[IPV4_OPTIONS_MAX_LENGTH];
	struct ipv4_output_options output;
	if (!reply_options((const uint8_t *)request, interface->address, options, &output)) {
		net_drop(pkt, NET_DROP_ICMP_ECHO_OPTIONS);
		return;
	}
	make_reply(icmp);
	net_mib_count(NET_MIB_ICMP_OUT_MESSAGES);
	net_mib_count(NET_MIB_ICMP_OUT_ECHO_REPLIES);
	pkt->flags = 0;
	ipv4_output_with_options(pkt, interface->address, requester, IP_PROTOCOL_ICMP, &output);
}

/* What icmp_input and echo_reply do, for a reassembled request in a heap
 * buffer: the reply goes out from that buffer, fragmented (net/ipv4/fragment.c),
 * each byte copied once into the fragments' pkts. */
void icmp_input_large(struct ipv4_large_datagram *datagram)
{
	const struct ipv4_header *ip = (const struct ipv4_header *)datagram->buffer;
	struct icmp_header *icmp = (struct icmp_header *)(datagram->buffer + datagram->header_length);
	size_t length = datagram->length - datagram->header_length;
	uint8_t options[IPV4_OPTIONS_MAX_LENGTH];
	struct ipv4_output_options output;
	enum net_drop_reason reason = NET_DROP_NONE;
	if (length < ICMP_HEADER_LENGTH)
		reason = NET_DROP_ICMP_TRUNCATED;
	else if (internet_checksum(icmp, length) != 0)
		reason = NET_DROP_ICMP_BAD_CHECKSUM;
	else if (icmp->type != ICMP_TYPE_ECHO_REQUEST)
		reason = NET_DROP_ICMP_UNHANDLED_TYPE;
	else if ((datagram->link_flags & PKT_FLAG_BROADCAST) || ip->destination != datagram->interface->address)
		reason = NET_DROP_ICMP_BROADCAST_ECHO;
	else if (!reply_options(datagram->buffer, datagram->interface->address, options, &output))
		reason = NET_DROP_ICMP_ECHO_OPTIONS;
	if (length >= ICMP_HEADER_LENGTH && reason != NET_DROP_ICMP_BAD_CHECKSUM) {
		net_mib_count(NET_MIB_ICMP_IN_MESSAGES);
		if (icmp->type == ICMP_TYPE_ECHO_REQUEST)
			net_mib_count(NET_MIB_ICMP_IN_ECHOS);
	}
	if (reason == NET_DROP_NONE) {
		net_mib_count(NET_MIB_ICMP_OUT_MESSAGES);
		net_mib_count(NET_MIB_ICMP_OUT_ECHO_REPLIES);
		make_reply(icmp);
		ipv4_output_buffer(icmp, ICMP_HEADER_LENGTH, icmp + 1, length - ICMP_HEADER_LENGTH,
				   datagram->interface->address, ip->source, IP_PROTOCOL_ICMP, &output);
	} else {
		net_drop(NULL, reason);
	}
	free(datagram->buffer);
}

void icmp_input(struct net_interface *interface, struct pkt *pkt)
{
	struct icmp_header *icmp = icmp_header_view(pkt);
	if (icmp == NULL) {
		net_drop(pkt, NET_DROP_ICMP_TRUNCATED);
		return;
	}
	/* Verified in software always: NICs' receive checksum offloads cover TCP and UDP, not ICMP. */
	if (internet_checksum(pkt->data, pkt->length) != 0) {
		net_drop(pkt, NET_DROP_ICMP_BAD_CHECKSUM);
		return;
	}
	net_mib_count(NET_MIB_ICMP_IN_MESSAGES);
	if (icmp->type == ICMP_TYPE_ECHO_REQUEST)
		net_mib_count(NET_MIB_ICMP_IN_ECHOS);
	switch (icmp->type) {
	case ICMP_TYPE_DESTINATION_UNREACHABLE:
	case ICMP_TYPE_SOURCE_QUENCH:
	case ICMP_TYPE_TIME_EXCEEDED:
	case ICMP_TYPE_PARAMETER_PROBLEM:
		icmp_error_input(pkt);       /* to the transport (net/ipv4/icmp_error_input.c) */
		return;
	default:
		break;
	}
	/* Any code: RFC 792 defines only 0, and Linux answers the others
	 * too, echoing the code (scanners probe with code 9 to tell stacks apart). */
	if (icmp->type != ICMP_TYPE_ECHO_REQUEST) {
		net_drop(pkt, NET_DROP_ICMP_UNHANDLED_TYPE);
		return;
	}
	/* RFC 1122 3.2.2.6 allows ignoring echo to broadcast; Linux does by default. */
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt_network_header(pkt);
	if ((pkt->flags & PKT_FLAG_BROADCAST) || ip->destination != interface->address) {
		net_drop(pkt, NET_DROP_ICMP_BROADCAST_ECHO);
		return;
	}
	echo_reply(interface, pkt, icmp);
}
