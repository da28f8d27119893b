/* tcp_siphash.h - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012): the keyed hash behind ISNs (RFC 6528), SYN
 * cookies (RFC 4987) and timestamp offsets (RFC 7323 5.4). */
#ifndef KEEL_NET_TCP_SIPHASH_H
#define KEEL_NET_TCP_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct tcp_siphash_key {
	uint64_t k0, k1;
};

uint64_t tcp_siphash(const struct tcp_siphash_key *key, const void *data, size_t length);

#endif
