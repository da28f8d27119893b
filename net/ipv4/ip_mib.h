/* ip_mib.h - IPv4's SNMP counters (RFC 4293's ipSystemStats, Linux's
 * /proc/net/snmp "Ip:" and /proc/net/netstat "IpExt:"/"TcpExt:" rows),
 * named as `nstat` prints them. Counted where Linux counts them; printed as
 * one "ip:" line in the netdev stats block (keel.stats=). Only the counters
 * keel counts are here; the list grows with the code that counts. */
#ifndef KEEL_NET_IPV4_MIB_H
#define KEEL_NET_IPV4_MIB_H

#include <stdint.h>

#define IPV4_MIB_COUNTERS(X) \
	X(IPV4_MIB_FORW_DATAGRAMS, IpForwDatagrams)       /* forwarded (ip_forward_finish) */ \
	X(IPV4_MIB_IN_HDR_ERRORS, IpInHdrErrors)          /* forwarding: TTL expired, bad options */ \
	X(IPV4_MIB_IN_ADDR_ERRORS, IpInAddrErrors)        /* not ours and forwarding disabled */ \
	X(IPV4_MIB_IN_NO_ROUTES, IpExtInNoRoutes)         /* forwarding: no route to the destination */ \
	X(IPV4_MIB_OUT_NO_ROUTES, IpOutNoRoutes)          /* local output: no route */ \
	X(IPV4_MIB_FRAG_OKS, IpFragOKs)                   /* datagrams fragmented */ \
	X(IPV4_MIB_FRAG_FAILS, IpFragFails)               /* needed fragmenting and could not (DF, no buffer) */ \
	X(IPV4_MIB_FRAG_CREATES, IpFragCreates)           /* fragments made */ \
	X(IPV4_MIB_REVERSE_PATH_FILTER, TcpExtIPReversePathFilter) /* rp_filter drops (Linux files it under TcpExt) */ \
	X(IPV4_MIB_OUT_REDIRECTS, IcmpOutRedirects)       /* ICMP redirects sent (RFC 1812 5.2.7.2) */

enum ipv4_mib_counter {
#define IPV4_MIB_ENUM(constant, name) constant,
	IPV4_MIB_COUNTERS(IPV4_MIB_ENUM)
#undef IPV4_MIB_ENUM
	IPV4_MIB_COUNT
};

extern uint64_t ipv4_mib[IPV4_MIB_COUNT];

static inline void ipv4_mib_count(enum ipv4_mib_counter counter)
{
	ipv4_mib[counter]++;
}

static inline void ipv4_mib_add(enum ipv4_mib_counter counter, uint64_t amount)
{
	ipv4_mib[counter] += amount;
}

#endif
