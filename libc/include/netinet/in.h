/* netinet/in.h - IPv4 socket addresses and protocol numbers (POSIX, Linux
 * values). htons/ntohs/htonl/ntohl come from the stack's own byte-order
 * header, so the kernel and apps share one definition. */
#ifndef KEEL_NETINET_IN_H
#define KEEL_NETINET_IN_H

#include <stdint.h>
#include <sys/socket.h>

#include "net/core/byteorder.h"

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

/* Level IPPROTO_IP options (Linux values). */
#define IP_TOS 1
#define IP_TTL 2

#endif
