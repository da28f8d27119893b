/* checksum.c - the TCP checksum over the IPv4 pseudo-header (RFC 9293
 * 3.1): source, destination, zero, protocol, TCP length. Sums are in
 * memory order like net/core/checksum.c (RFC 1071 2(B): byte-order independent). */
#include "net/tcp/internal.h"

#include "net/core/checksum.h"
#include "net/wire/ipv4.h"

static uint16_t fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

be16 tcp_pseudo_header_sum(be32 source, be32 destination, uint32_t length)
{
	return ipv4_pseudo_header_sum(source, destination, IP_PROTOCOL_TCP, length);
}

/* A correct segment sums, with the pseudo-header, to all ones. */
bool tcp_checksum_valid(const void *segment, uint32_t length, be32 source, be32 destination)
{
	uint16_t segment_sum = (uint16_t)~internet_checksum(segment, length);
	return fold((uint64_t)segment_sum + tcp_pseudo_header_sum(source, destination, length)) == 0xFFFF;
}

/* With the pseudo-header sum in the field, the segment's own checksum is the answer. */
void tcp_checksum_fill(void *segment, uint32_t length, be32 source, be32 destination)
{
	struct tcp_header *header = segment;
	header->checksum = tcp_pseudo_header_sum(source, destination, length);
	header->checksum = internet_checksum(segment, length);
}
