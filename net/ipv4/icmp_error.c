/* icmp_error.c - the ICMP error messages a host must send (RFC 1122
 * 3.2.2): port unreachable (UDP), fragmentation needed with the next-hop
 * MTU (RFC 1191), reassembly time exceeded, parameter problem about
 * malformed options (RFC 792, RFC 1122 3.2.2.5). Each quotes the offending
 * datagram's IP header and as much of its data as keeps the error within
 * 576 bytes (RFC 1812 4.3.2.3, what Linux does; RFC 792 asks for 8 bytes
 * at least), and carries back its Record Route and Timestamp options as
 * Linux's icmp_send does (the quote shrinking by their length). */
#include "net/ipv4/icmp.h"

#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/mib.h"
#include "net/ipv4/options.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

/* RFC 1812 4.3.2.7: precedence 6 (internetwork control) for ICMP errors, as Linux. */
#define IPV4_TOS_INTERNETWORK_CONTROL 0xC0
#define IPV4_TOS_KEEP_MASK 0x1E

static bool is_multicast(be32 address) { return (ntohl(address) >> 28) == 0xE; }

/* RFC 1122 3.2.2 / 3.2.1.3: the source must name one host. */
static bool source_is_single_host(const struct net_interface *interface, be32 source)
{
	uint32_t value = ntohl(source);
	if (value == 0 || (value >> 24) == 0 || (value >> 24) == 127 || (value >> 28) >= 0xE)
		return false;                         /* this network, loopback, multicast, class E, broadcast */
	return !net_interface_is_broadcast(interface, source);
}

/* RFC 1122 3.2.2: "An ICMP error message MUST NOT be sent as the result of receiving ..." */
static bool error_allowed(const struct net_interface *interface, const struct ipv4_header *header, size_t available,
			  uint8_t link_flags)
{
	unsigned header_length = ipv4_header_length(header);
	if (link_flags & (PKT_FLAG_BROADCAST | PKT_FLAG_MULTICAST))
		return false;                         /* a link-layer broadcast or multicast */
	if (is_multicast(header->destination) || net_interface_is_broadcast(interface, header->destination))
		return false;                         /* an IP broadcast or multicast */
	if (ipv4_fragment_offset(header) != 0)
		return false;                         /* a fragment other than the first */
	if (!source_is_single_host(interface, header->source))
		return false;
	if (header->protocol == IP_PROTOCOL_ICMP) {
		if (available <= header_length)
			return false;                 /* cannot tell it is not an error: err on silence */
		if (icmp_type_is_error(((const uint8_t *)header)[header_length]))
			return false;                 /* an ICMP error message */
	}
	return true;
}

/* What an error says besides its quote. */
struct error_message {
	uint8_t type, code;
	/* The second word (RFC 792), host order: the next-hop MTU in its low
	 * half (RFC 1191 4), a parameter problem's pointer in its top byte. */
	uint32_t info;
	/* The offending datagram's Record Route / Timestamp carried back, as
	 * Linux's icmp_send does (ip_options_echo, net/ipv4/options.c). */
	uint8_t options[IPV4_OPTIONS_MAX_LENGTH];
	unsigned options_length;
};

/* The ICMP message alone (header, then the quote), in a fresh pkt. */
static struct pkt *build_message(const struct ipv4_header *header, size_t quoted_length, const struct error_message *message)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		net_drop(NULL, NET_DROP_NO_BUFFER);
		return NULL;
	}
	struct icmp_header *icmp = (struct icmp_header *)pkt_put(pkt, (uint32_t)(ICMP_HEADER_LENGTH + quoted_length));
	*icmp = (struct icmp_header){ .type = message->type, .code = message->code,
				   .identifier = htons((uint16_t)(message->info >> 16)),
				   .sequence = htons((uint16_t)message->info) };
	memcpy(icmp + 1, header, quoted_length);
	icmp->checksum = internet_checksum(icmp, ICMP_HEADER_LENGTH + quoted_length);
	return pkt;
}

/* How much of the offending datagram an error quotes: all of it up to 576
 * bytes of error (RFC 1812 4.3.2.3). */
static size_t quote_length(const struct ipv4_header *header, size_t available, unsigned options_length)
{
	size_t quoted_length = ntohs(header->total_length);
	if (quoted_length > available)
		quoted_length = available;
	size_t quote_max = ICMP_ERROR_LENGTH_MAX - IPV4_HEADER_MIN_LENGTH - options_length - ICMP_HEADER_LENGTH;
	return quoted_length > quote_max ? quote_max : quoted_length;
}

struct pkt *icmp_error_message(const uint8_t *offending, size_t available, uint8_t type, uint8_t code)
{
	const struct ipv4_header *header = (const struct ipv4_header *)offending;
	if (available < IPV4_HEADER_MIN_LENGTH || available < ipv4_header_length(header))
		return NULL;
	struct error_message message = { .type = type, .code = code };
	return build_message(header, quote_length(header, available, 0), &message);
}

static void build_and_send(struct net_interface *interface, const struct ipv4_header *header, size_t quoted_length,
			   const struct error_message *message)
{
	struct pkt *pkt = build_message(header, quoted_length, message);
	if (pkt == NULL)
		return;
	/* From the address the datagram was sent to when it is ours, else the interface's. */
	be32 source = header->destination == interface->address ? header->destination : interface->address;
	struct ipv4_output_options options = {
		.type_of_service = (uint8_t)((header->type_of_service & IPV4_TOS_KEEP_MASK) | IPV4_TOS_INTERNETWORK_CONTROL),
		.options = message->options_length ? message->options : NULL,
		.options_length = (uint8_t)message->options_length,
	};
	net_mib_count(NET_MIB_ICMP_OUT_MESSAGES);
	ipv4_output_with_options(pkt, source, header->source, IP_PROTOCOL_ICMP, &options);
}

/* echo_options: false for a parameter problem about malformed options,
 * which are not to be read again. */
static void send_error(struct net_interface *interface, const uint8_t *offending, size_t available, uint8_t link_flags,
		       struct error_message *message, bool echo_options)
{
	const struct ipv4_header *header = (const struct ipv4_header *)offending;
	if (interface == NULL || available < IPV4_HEADER_MIN_LENGTH || available < ipv4_header_length(header) ||
	    !error_allowed(interface, header, available, link_flags)) {
		net_drop(NULL, NET_DROP_ICMP_ERROR_NOT_ALLOWED);
		return;
	}
	if (!icmp_ratelimit_allow(header->source, message->type, message->code, clock_monotonic_ns())) {
		net_drop(NULL, NET_DROP_ICMP_ERROR_RATE_LIMITED);
		return;
	}
	message->options_length = 0;
	if (echo_options && ipv4_header_length(header) > IPV4_HEADER_MIN_LENGTH) {
		int length = ipv4_options_echo(offending, interface->address, message->options);
		if (length < 0) {
			net_drop(NULL, NET_DROP_ICMP_ECHO_OPTIONS);
			return;
		}
		message->options_length = (unsigned)length;
	}
	build_and_send(interface, header, quote_length(header, available, message->options_length), message);
}

void icmp_error_send(struct net_interface *interface, const uint8_t *offending, size_t available, uint8_t link_flags,
		     uint8_t type, uint8_t code, uint16_t next_hop_mtu)
{
	struct error_message message = { .type = type, .code = code, .info = next_hop_mtu };
	send_error(interface, offending, available, link_flags, &message, true);
}

void icmp_parameter_problem_send(struct net_interface *interface, const uint8_t *offending, size_t available,
				 uint8_t link_flags, uint8_t pointer)
{
	struct error_message message = { .type = ICMP_TYPE_PARAMETER_PROBLEM, .info = (uint32_t)pointer << 24 };
	send_error(interface, offending, available, link_flags, &message, false);
}

void icmp_redirect_send(struct net_interface *interface, const uint8_t *offending, size_t available, uint8_t link_flags,
			be32 gateway)
{
	/* RFC 792: the gateway's address is the second word; host redirects
	 * only (RFC 1812 5.2.7.2: network redirects SHOULD NOT be sent). */
	struct error_message message = { .type = ICMP_TYPE_REDIRECT, .code = ICMP_CODE_REDIRECT_HOST, .info = ntohl(gateway) };
	send_error(interface, offending, available, link_flags, &message, true);
}
