/* checksum.h - the Internet checksum (RFC 1071): the ones' complement of the
 * ones' complement sum of 16-bit words. Results are in memory (network) byte
 * order, ready to store in a header's checksum field; summing a header that
 * holds a correct checksum gives 0. Sums of pieces (a pseudo-header, a
 * header, a payload elsewhere) add up: accumulate ones_complement_sum()s in a
 * uint64_t and ones_complement_fold() the total; ~fold is the checksum. The
 * one fold and the one IPv4 pseudo-header sum of the stack and its drivers. */
#ifndef KEEL_NET_CHECKSUM_H
#define KEEL_NET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"

/* Checksum of length bytes at data (odd lengths padded with a zero byte). */
be16 internet_checksum(const void *data, size_t length);

/* The folded, not complemented, sum of length bytes (= ~internet_checksum):
 * pieces of even length sum to the sum of their concatenation. */
uint16_t ones_complement_sum(const void *data, size_t length);

/* Folds a 64-bit accumulation of 16-bit ones' complement sums into 16 bits
 * with end-around carries (RFC 1071 section 2(C)); not complemented. */
uint16_t ones_complement_fold(uint64_t sum);

/* RFC 1624 eqn. 3: the checksum after one 16-bit word of the summed data
 * changed from old_word to new_word (both as stored in memory). */
be16 internet_checksum_update(be16 checksum, be16 old_word, be16 new_word);

/* The folded (not complemented) sum of the IPv4 pseudo-header (RFC 9293
 * 3.1, RFC 768): source, destination, zero, protocol, length. What a
 * checksum-offloading device expects in the field before it sums the rest. */
be16 ipv4_pseudo_header_sum(be32 source, be32 destination, uint8_t protocol, uint32_t length);

#endif
