/* checksum.c - the TCP checksum over the IPv4 pseudo-header (RFC 9293
 * 3.1): source, destination, zero, protocol, TCP length. The sums and the
 * pseudo-header are net/core/checksum.c's (memory order, RFC 1071 2(B)). */
#include "net/tcp/internal.h"

#include "net/core/checksum.h"
#include "net/wire/ipv4.h"

/* A correct segment sums, with the pseudo-header, to all ones. */
bool tcp_checksum_valid(const void *segment, uint32_t length, be32 source, be32 destination)
{
	uint64_t sum = (uint64_t)ones_complement_sum(segment, length) +
		       ipv4_pseudo_header_sum(source, destination, IP_PROTOCOL_TCP, length);
	return ones_complement_fold(sum) == 0xFFFF;
}

/* With the pseudo-header sum in the field, the segment's own checksum is the answer. */
void tcp_checksum_fill(void *segment, uint32_t length, be32 source, be32 destination)
{
	struct tcp_header *header = segment;
	header->checksum = ipv4_pseudo_header_sum(source, destination, IP_PROTOCOL_TCP, length);
	header->checksum = internet_checksum(segment, length);
}
