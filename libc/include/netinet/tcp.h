/* netinet/tcp.h - level IPPROTO_TCP socket options (Linux values). The
 * socket layer passes them to the TCP protocol unchanged. */
#ifndef KEEL_NETINET_TCP_H
#define KEEL_NETINET_TCP_H

#define TCP_NODELAY      1   /* int: disable Nagle's algorithm (RFC 9293 3.7.4) */
#define TCP_MAXSEG       2
#define TCP_CORK         3
#define TCP_KEEPIDLE     4   /* int seconds before the first keepalive probe */
#define TCP_KEEPINTVL    5   /* int seconds between probes */
#define TCP_KEEPCNT      6   /* probes before the connection is dropped */
#define TCP_SYNCNT       7
#define TCP_LINGER2      8
#define TCP_DEFER_ACCEPT 9
#define TCP_WINDOW_CLAMP 10
#define TCP_INFO         11
#define TCP_QUICKACK     12
#define TCP_CONGESTION   13  /* char[]: "reno", "cubic" */
#define TCP_USER_TIMEOUT 18

#endif
