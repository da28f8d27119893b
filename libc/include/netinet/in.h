/* netinet/in.h - IPv4 socket addresses, protocol numbers (POSIX, Linux
 * values) and the byte-order conversions htons/ntohs/htonl/ntohl. Self-
 * contained: the stack uses these (net/core/byteorder.h), never the reverse. */
#ifndef KEEL_NETINET_IN_H
#define KEEL_NETINET_IN_H

#include <stdint.h>
#include <sys/socket.h>

typedef uint16_t in_port_t;
typedef uint32_t in_addr_t;

struct in_addr {
	in_addr_t s_addr;  /* network byte order */
};

struct sockaddr_in {
	sa_family_t sin_family;  /* AF_INET */
	in_port_t sin_port;      /* network byte order */
	struct in_addr sin_addr;
	unsigned char sin_zero[8];
};

#define IPPROTO_IP   0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17

/* Host byte order, as in POSIX: wrap them in htonl(). */
#define INADDR_ANY       ((in_addr_t)0x00000000)
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE      ((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK  ((in_addr_t)0x7f000001)

#define INET_ADDRSTRLEN 16

/* Host (little-endian x86_64) to network (big-endian) byte order and back. */
static inline uint16_t htons(uint16_t value) { return __builtin_bswap16(value); }
static inline uint16_t ntohs(uint16_t value) { return __builtin_bswap16(value); }
static inline uint32_t htonl(uint32_t value) { return __builtin_bswap32(value); }
static inline uint32_t ntohl(uint32_t value) { return __builtin_bswap32(value); }

/* Level IPPROTO_IP options (Linux values). */
#define IP_TOS 1
#define IP_TTL 2

#endif
