/* mib.h - the SNMP counters as Linux names them in /proc/net/snmp and
 * /proc/net/netstat (RFC 4293 IP-MIB, RFC 4022 TCP-MIB, RFC 4113 UDP-MIB;
 * the "TcpExt" ones are Linux's own), which `nstat` prints.
 *
 * A MIB value is either a counter the stack keeps for it (NET_MIB_COUNTERS
 * below, counted with net_mib_count where the event happens: IPv4, ICMP and
 * UDP had no counters of their own before), or one a layer already keeps
 * (TCP's tcp_counters), or the sum of drop reasons (IpInHdrErrors is every
 * header check that failed). Each layer declares its MIB entries once,
 * next to its code (net/<layer>/mib.c), in the order nstat prints them, with
 *
 *     NET_MIB_TABLE(tcp_mibs) = {
 *             NET_MIB("TcpActiveOpens", &tcp_counters[TCP_ACTIVE_OPENS]),
 *             NET_MIB_DROPS("TcpExtListenDrops", TCP_DROP_LISTEN_OVERFLOW, TCP_DROP_SYN_QUEUE_FULL),
 *     };
 *
 * and the linker collects them (section net_mibs); nstat needs no change
 * when a layer adds one (IpForwDatagrams is counted by forwarding). */
#ifndef KEEL_NET_MIB_H
#define KEEL_NET_MIB_H

#include <stdint.h>

#include "net/core/drop.h"

#define NET_MIB_COUNTERS(X) \
	X(NET_MIB_IP_IN_RECEIVES)        /* IPv4 datagrams handed up by a device (RFC 4293 ipSystemStatsInReceives) */ \
	X(NET_MIB_IP_IN_DELIVERS)        /* given to ICMP, UDP or TCP */ \
	X(NET_MIB_IP_OUT_REQUESTS)       /* datagrams the stack asked IPv4 to send */ \
	X(NET_MIB_ICMP_IN_MESSAGES) \
	X(NET_MIB_ICMP_IN_ECHOS) \
	X(NET_MIB_ICMP_OUT_MESSAGES) \
	X(NET_MIB_ICMP_OUT_ECHO_REPLIES) \
	X(NET_MIB_UDP_IN_DATAGRAMS)      /* delivered to a socket */ \
	X(NET_MIB_UDP_OUT_DATAGRAMS)

#define NET_MIB_ENUMERATOR(constant) constant,
enum net_mib_counter {
	NET_MIB_COUNTERS(NET_MIB_ENUMERATOR)
	NET_MIB_COUNTER_COUNT
};

extern uint64_t net_mib_counters[NET_MIB_COUNTER_COUNT];
static inline void net_mib_count(enum net_mib_counter counter) { net_mib_counters[counter]++; }

#define NET_MIB_DROPS_MAX 12

struct net_mib_entry {
	const char *name;                      /* "IpInReceives", Linux's spelling */
	const uint64_t *counter;               /* NULL: drops only */
	enum net_drop_reason drops[NET_MIB_DROPS_MAX];   /* added to it; NET_DROP_NONE ends the list */
};

/* One table per file: the entries of an array keep their order (the
 * linker concatenates the files' tables in link order). */
#define NET_MIB_TABLE(table_name)                                                                 \
	static const struct net_mib_entry table_name[] __attribute__((used, section("net_mibs"), aligned(8)))
#define NET_MIB(mib_name, counter_address) { mib_name, counter_address, { NET_DROP_NONE } }
#define NET_MIB_DROPS(mib_name, ...) { mib_name, NULL, { __VA_ARGS__, NET_DROP_NONE } }

uint64_t net_mib_value(const struct net_mib_entry *entry);

#endif
