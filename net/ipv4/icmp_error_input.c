/* icmp_error_input.c - received ICMP error messages (RFC 792, RFC 1122
 * 3.2.2): destination unreachable, time exceeded and parameter problem
 * reach the transport whose datagram they quote; source quench is ignored
 * (RFC 6633: deprecated, as Linux does).
 *
 * Contract: the ICMP checksum was checked by icmp_input. Here the quote
 * must hold a whole IPv4 header (version 4, IHL >= 5) and at least 8 bytes
 * of the transport header after it (RFC 792; RFC 1122 3.2.2: "the
 * transport protocol ... MUST be passed the ... first 8 bytes"); then the
 * report goes to UDP or TCP by the quoted protocol number. Whatever is not
 * used is counted with a drop reason (net/core/drop.h). Nothing here ever sends
 * an ICMP message: no error about an error (RFC 1122 3.2.2). */
#include "net/ipv4/icmp.h"

#include "kernel/time/clock.h"
#include "net/core/drop.h"
#include "net/tcp/tcp.h"
#include "net/udp/udp.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* RFC 1191 5: a router that predates RFC 1191 sends 0 as the next-hop MTU;
 * the sender then guesses the next plateau below the datagram it sent. */
static uint16_t plateau_below(uint16_t total_length)
{
	static const uint16_t plateaus[] = { 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68 };
	for (unsigned i = 0; i < sizeof(plateaus) / sizeof(plateaus[0]); i++)
		if (plateaus[i] < total_length)
			return plateaus[i];
	return 68;                               /* RFC 791: every host takes 68 bytes */
}

/* The quote: a whole IPv4 header and 8 bytes after it, or the drop reason. */
static enum net_drop_reason check_quote(const uint8_t *quote, size_t length)
{
	const struct ipv4_header *quoted = (const struct ipv4_header *)quote;
	if (length < IPV4_HEADER_MIN_LENGTH || ipv4_version(quoted) != IPV4_VERSION ||
	    ipv4_header_length(quoted) < IPV4_HEADER_MIN_LENGTH ||
	    length < ipv4_header_length(quoted) + ICMP_ERROR_QUOTED_DATA_MIN)
		return NET_DROP_ICMP_ERROR_BAD_QUOTE;
	return NET_DROP_NONE;
}

static enum net_drop_reason dispatch(const struct icmp_error_report *report)
{
	switch (report->quoted->protocol) {
	case IP_PROTOCOL_UDP:
		return udp_icmp_error(report);
	case IP_PROTOCOL_TCP:
		return tcp_icmp_error(report);
	default:
		return NET_DROP_ICMP_ERROR_NO_HANDLER;  /* e.g. about our echo reply: nothing waits for it */
	}
}

void icmp_error_input(struct pkt *pkt)
{
	const struct icmp_header *icmp = (const struct icmp_header *)pkt->data;
	if (icmp->type == ICMP_TYPE_SOURCE_QUENCH) {
		net_drop(pkt, NET_DROP_ICMP_SOURCE_QUENCH);
		return;
	}
	if (icmp->type == ICMP_TYPE_DESTINATION_UNREACHABLE && icmp->code > ICMP_UNREACHABLE_CODE_MAX) {
		net_drop(pkt, NET_DROP_ICMP_ERROR_UNKNOWN_CODE);
		return;
	}
	const uint8_t *quote = pkt->data + ICMP_HEADER_LENGTH;
	size_t quote_length = pkt->length - ICMP_HEADER_LENGTH;
	enum net_drop_reason reason = check_quote(quote, quote_length);
	if (reason != NET_DROP_NONE) {
		net_drop(pkt, reason);
		return;
	}
	const struct ipv4_header *quoted = (const struct ipv4_header *)quote;
	struct icmp_error_report report = {
		.type = icmp->type,
		.code = icmp->code,
		.quoted = quoted,
		.transport = quote + ipv4_header_length(quoted),
		.transport_length = quote_length - ipv4_header_length(quoted),
		.now_ns = clock_monotonic_ns(),
	};
	if (icmp->type == ICMP_TYPE_DESTINATION_UNREACHABLE && icmp->code == ICMP_CODE_FRAGMENTATION_NEEDED) {
		report.next_hop_mtu = ntohs(icmp->sequence);
		if (report.next_hop_mtu == 0)
			report.next_hop_mtu = plateau_below(ntohs(quoted->total_length));
	}
	reason = dispatch(&report);
	if (reason != NET_DROP_NONE)
		net_drop(pkt, reason);
	else
		pkt_free(pkt);
}
