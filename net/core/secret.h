/* secret.h - boot-time secrets for the stack's keyed hashes (siphash.h):
 * TCP's ISNs, SYN cookies and timestamp offsets, IPv4's identification
 * counters. Each key comes from RDRAND when the CPU has it (Intel's DRNG
 * guide: retried on CF=0), otherwise from the TSC mixed through SipHash,
 * which is weak but differs from boot to boot. */
#ifndef KEEL_NET_SECRET_H
#define KEEL_NET_SECRET_H

#include "net/core/siphash.h"

/* Fills key with fresh secret bits. */
void net_secret_key(struct siphash_key *key);

#endif
