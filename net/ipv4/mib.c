/* mib.c - IPv4's and ICMP's SNMP counters under Linux's nstat names
 * (RFC 4293 IP-MIB; registry in net/core/mib.h): the ones IPv4 counts
 * (here and in ip_mib.h, the forwarding and fragmentation counters the
 * stats block's "ip:" line prints) and the drop reasons each Linux counter
 * stands for. */
#include "net/core/mib.h"
#include "net/ipv4/ip_mib.h"

NET_MIB_TABLE(ipv4_mibs) = {
	NET_MIB("IpInReceives", &net_mib_counters[NET_MIB_IP_IN_RECEIVES]),
	NET_MIB_DROPS("IpInHdrErrors", NET_DROP_IP_TOO_SHORT, NET_DROP_IP_BAD_VERSION, NET_DROP_IP_BAD_IHL,
		      NET_DROP_IP_HEADER_TRUNCATED, NET_DROP_IP_BAD_CHECKSUM, NET_DROP_IP_BAD_TOTAL_LENGTH, NET_DROP_IP_TTL_ZERO,
		      NET_DROP_IP_BAD_OPTIONS, NET_DROP_IP_SOURCE_ROUTE, NET_DROP_IP_TTL_EXPIRED),
	NET_MIB_DROPS("IpInAddrErrors", NET_DROP_IP_NOT_FOR_US, NET_DROP_IP_MARTIAN_SOURCE, NET_DROP_IP_MARTIAN_DESTINATION,
		      NET_DROP_IP_FORWARD_DISABLED),
	NET_MIB("IpForwDatagrams", &ipv4_mib[IPV4_MIB_FORW_DATAGRAMS]),
	NET_MIB("IpExtInNoRoutes", &ipv4_mib[IPV4_MIB_IN_NO_ROUTES]),
	NET_MIB("IpFragOKs", &ipv4_mib[IPV4_MIB_FRAG_OKS]),
	NET_MIB("IpFragCreates", &ipv4_mib[IPV4_MIB_FRAG_CREATES]),
	NET_MIB("TcpExtIPReversePathFilter", &ipv4_mib[IPV4_MIB_REVERSE_PATH_FILTER]),
	NET_MIB("IcmpOutRedirects", &ipv4_mib[IPV4_MIB_OUT_REDIRECTS]),
	NET_MIB_DROPS("IpInUnknownProtos", NET_DROP_IP_UNKNOWN_PROTOCOL),
	NET_MIB("IpInDelivers", &net_mib_counters[NET_MIB_IP_IN_DELIVERS]),
	NET_MIB("IpOutRequests", &net_mib_counters[NET_MIB_IP_OUT_REQUESTS]),
	NET_MIB("IpOutNoRoutes", &ipv4_mib[IPV4_MIB_OUT_NO_ROUTES]),
	NET_MIB_DROPS("IpReasmTimeout", NET_DROP_IP_REASSEMBLY_TIMEOUT),
	NET_MIB_DROPS("IpReasmFails", NET_DROP_IP_BAD_FRAGMENT, NET_DROP_IP_REASSEMBLY_TOO_BIG, NET_DROP_IP_REASSEMBLY_OVERLAP,
		      NET_DROP_IP_REASSEMBLY_TIMEOUT, NET_DROP_IP_REASSEMBLY_MEMORY, NET_DROP_IP_REASSEMBLY_NO_BUFFER),
	NET_MIB("IpFragFails", &ipv4_mib[IPV4_MIB_FRAG_FAILS]),
	NET_MIB_DROPS("IpInTruncatedPkts", NET_DROP_IP_TRUNCATED),
	NET_MIB_DROPS("IpInCsumErrors", NET_DROP_IP_BAD_CHECKSUM),
	NET_MIB("IcmpInMsgs", &net_mib_counters[NET_MIB_ICMP_IN_MESSAGES]),
	NET_MIB_DROPS("IcmpInErrors", NET_DROP_ICMP_TRUNCATED, NET_DROP_ICMP_BAD_CHECKSUM),
	NET_MIB_DROPS("IcmpInCsumErrors", NET_DROP_ICMP_BAD_CHECKSUM),
	NET_MIB("IcmpInEchos", &net_mib_counters[NET_MIB_ICMP_IN_ECHOS]),
	NET_MIB("IcmpOutMsgs", &net_mib_counters[NET_MIB_ICMP_OUT_MESSAGES]),
	NET_MIB("IcmpOutEchoReps", &net_mib_counters[NET_MIB_ICMP_OUT_ECHO_REPLIES]),
	NET_MIB_DROPS("IcmpOutRateLimitGlobal", NET_DROP_ICMP_ERROR_RATE_LIMITED),
};
