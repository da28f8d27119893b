/* siphash.h - SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012): the keyed hash behind TCP's ISNs (RFC 6528), SYN
 * cookies (RFC 4987) and timestamp offsets (RFC 7323 5.4), and IPv4's
 * per-destination identification counters (net/ipv4/output.c). Keys come
 * from net_secret_key (net/core/secret.h). */
#ifndef KEEL_NET_SIPHASH_H
#define KEEL_NET_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0, k1;
};

uint64_t siphash_2_4(const struct siphash_key *key, const void *data, size_t length);

#endif
