/* arpa/inet.h - conversions between IPv4 addresses and their text form
 * (POSIX). inet_pton accepts exactly four decimal parts of 0-255 with no
 * leading zeros (as glibc); inet_ntop writes "a.b.c.d". Only AF_INET:
 * other families fail with EAFNOSUPPORT. */
#ifndef KEEL_ARPA_INET_H
#define KEEL_ARPA_INET_H

#include <netinet/in.h>

/* 1 on success, 0 when text is not an address, -1 (errno) for a bad family. */
int inet_pton(int family, const char *restrict text, void *restrict address);
/* text, or NULL with errno = ENOSPC when size is too small. */
const char *inet_ntop(int family, const void *restrict address, char *restrict text, socklen_t size);
/* The address in network order, or INADDR_NONE when text is not one. */
in_addr_t inet_addr(const char *text);

#endif
