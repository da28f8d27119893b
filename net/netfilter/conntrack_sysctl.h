/* conntrack_sysctl.h - connection tracking's tunables, with Linux's names
 * and defaults (Documentation/networking/nf_conntrack-sysctl.rst), set as
 * sysctl.net.netfilter.<name>=<value> (kernel/core/sysctl.h). Timeouts are
 * in seconds. Declared in conntrack_protocols.c and conntrack_hooks.c. */
#ifndef KEEL_NET_NETFILTER_CONNTRACK_SYSCTL_H
#define KEEL_NET_NETFILTER_CONNTRACK_SYSCTL_H

#include <stdint.h>

extern int64_t nf_conntrack_max;
extern int64_t nf_conntrack_checksum;
extern int64_t nf_conntrack_tcp_loose;
extern int64_t nf_conntrack_tcp_be_liberal;
extern int64_t nf_conntrack_tcp_timeout_unacknowledged;
extern int64_t nf_conntrack_udp_timeout;
extern int64_t nf_conntrack_udp_timeout_stream;
extern int64_t nf_conntrack_icmp_timeout;
extern int64_t nf_conntrack_generic_timeout;

/* nf_conntrack_tcp_timeout_<state> for a CONNTRACK_TCP_* state. */
int64_t conntrack_tcp_timeout_seconds(unsigned state);

#endif
