/* checksum.c - RFC 1071 Internet checksum, summed 8 bytes at a time.
 *
 * The sum is computed on little-endian words: RFC 1071 section 2(B) shows
 * the ones' complement sum is byte-order independent, so the folded result,
 * stored as is, is already in network byte order. */
#include "net/core/checksum.h"

#include <string.h>

/* Adds a 64-bit load as two 32-bit halves: a 64-bit accumulator cannot
 * overflow before 2^31 such additions, far beyond any packet. */
static uint64_t sum_words(const uint8_t *bytes, size_t length)
{
	uint64_t sum = 0;
	for (; length >= 8; bytes += 8, length -= 8) {
		uint64_t chunk;
		memcpy(&chunk, bytes, 8);
		sum += (chunk & 0xFFFFFFFFu) + (chunk >> 32);
	}
	if (length >= 4) {
		uint32_t chunk;
		memcpy(&chunk, bytes, 4);
		sum += chunk;
		bytes += 4;
		length -= 4;
	}
	if (length >= 2) {
		uint16_t chunk;
		memcpy(&chunk, bytes, 2);
		sum += chunk;
		bytes += 2;
		length -= 2;
	}
	if (length)
		sum += bytes[0]; /* low byte in memory order: the zero pad goes after it */
	return sum;
}

uint16_t ones_complement_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t ones_complement_sum(const void *data, size_t length)
{
	return ones_complement_fold(sum_words(data, length));
}

be16 internet_checksum(const void *data, size_t length)
{
	return (be16)~ones_complement_sum(data, length);
}

be16 internet_checksum_update(be16 checksum, be16 old_word, be16 new_word)
{
	uint64_t sum = (uint16_t)~checksum + (uint16_t)~old_word + (uint64_t)new_word;
	return (be16)~ones_complement_fold(sum);
}

be16 ipv4_pseudo_header_sum(be32 source, be32 destination, uint8_t protocol, uint32_t length)
{
	uint64_t sum = (uint64_t)(source & 0xFFFF) + (source >> 16) + (destination & 0xFFFF) + (destination >> 16) +
		       htons(protocol) + htons((uint16_t)length);
	return ones_complement_fold(sum);
}
