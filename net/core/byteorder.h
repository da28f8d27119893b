/* byteorder.h - network (big-endian) byte order in the stack. be16/be32
 * name fields that hold network-order values, so a reader sees which byte
 * order every header field and address is in; the conversions themselves
 * (htons, ntohs, htonl, ntohl) are the C library's <netinet/in.h>. */
#ifndef KEEL_NET_BYTEORDER_H
#define KEEL_NET_BYTEORDER_H

#include <netinet/in.h>
#include <stdint.h>

typedef uint16_t be16;
typedef uint32_t be32;

#endif
