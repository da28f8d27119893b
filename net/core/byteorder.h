/* byteorder.h - network (big-endian) byte order on little-endian x86_64.
 * be16/be32 name fields that hold network-order values, so a reader sees
 * which byte order every header field and address is in. */
#ifndef KEEL_NET_BYTEORDER_H
#define KEEL_NET_BYTEORDER_H

#include <stdint.h>

typedef uint16_t be16;
typedef uint32_t be32;

static inline uint16_t ntohs(be16 value) { return __builtin_bswap16(value); }
static inline be16 htons(uint16_t value) { return __builtin_bswap16(value); }
static inline uint32_t ntohl(be32 value) { return __builtin_bswap32(value); }
static inline be32 htonl(uint32_t value) { return __builtin_bswap32(value); }

#endif
