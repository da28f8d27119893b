/* capture_filter.c - whether a frame matches a capture filter (contract
 * in net/core/capture_internal.h): tcpdump's "ip proto P and host H and
 * port N" on untagged IPv4 frames. As in tcpdump, a port matches only in a
 * TCP or UDP header, so never in an IPv4 fragment after the first (it
 * carries none, RFC 791 3.2); an empty filter matches every frame, ARP and
 * IPv6 included, a set field only IPv4 frames. The bytes come from any
 * frame on the wire: every length is checked against what is there. */
#include "net/core/capture_internal.h"

#include <string.h>

#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

bool capture_filter_is_empty(const struct capture_filter *filter)
{
	return filter->ip_protocol == 0 && filter->host == 0 && filter->port == 0;
}

/* TCP and UDP both begin with source then destination port (RFC 9293 3.1, RFC 768). */
static bool port_matches(uint16_t port, const uint8_t *transport, uint32_t length)
{
	if (length < 4)
		return false;
	uint16_t source = (uint16_t)(transport[0] << 8 | transport[1]);
	uint16_t destination = (uint16_t)(transport[2] << 8 | transport[3]);
	return source == port || destination == port;
}

bool capture_filter_match(const struct capture_filter *filter, const uint8_t *frame, uint32_t length)
{
	if (capture_filter_is_empty(filter))
		return true;
	struct ethernet_header ethernet;
	if (length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return false;
	memcpy(&ethernet, frame, sizeof(ethernet));
	if (ethernet.ethertype != htons(ETHERTYPE_IPV4))
		return false;
	struct ipv4_header ip;
	memcpy(&ip, frame + ETHERNET_HEADER_LENGTH, sizeof(ip));
	uint32_t header_length = ipv4_header_length(&ip);
	if (ipv4_version(&ip) != IPV4_VERSION || header_length < IPV4_HEADER_MIN_LENGTH)
		return false;
	if (filter->ip_protocol && ip.protocol != filter->ip_protocol)
		return false;
	if (filter->host && ip.source != filter->host && ip.destination != filter->host)
		return false;
	if (filter->port == 0)
		return true;
	if ((ip.protocol != IP_PROTOCOL_TCP && ip.protocol != IP_PROTOCOL_UDP) || ipv4_fragment_offset(&ip) != 0)
		return false;
	uint32_t transport = ETHERNET_HEADER_LENGTH + header_length;
	if (transport > length)
		return false;
	return port_matches(filter->port, frame + transport, length - transport);
}
