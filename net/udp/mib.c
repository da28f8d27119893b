/* mib.c - UDP's SNMP counters under Linux's nstat names (RFC 4113 UDP-MIB;
 * registry in net/core/mib.h). */
#include "net/core/mib.h"

NET_MIB_TABLE(udp_mibs) = {
	NET_MIB("UdpInDatagrams", &net_mib_counters[NET_MIB_UDP_IN_DATAGRAMS]),
	NET_MIB_DROPS("UdpNoPorts", NET_DROP_UDP_NO_SOCKET),
	NET_MIB_DROPS("UdpInErrors", NET_DROP_UDP_TRUNCATED, NET_DROP_UDP_BAD_LENGTH, NET_DROP_UDP_BAD_CHECKSUM,
		      NET_DROP_UDP_RECEIVE_BUFFER_FULL, NET_DROP_UDP_NO_MEMORY),
	NET_MIB("UdpOutDatagrams", &net_mib_counters[NET_MIB_UDP_OUT_DATAGRAMS]),
	NET_MIB_DROPS("UdpRcvbufErrors", NET_DROP_UDP_RECEIVE_BUFFER_FULL),
	NET_MIB_DROPS("UdpInCsumErrors", NET_DROP_UDP_BAD_CHECKSUM),
};
