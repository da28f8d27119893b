/* forward.h - IPv4 forwarding (RFC 1812 5.2-5.3; Linux's
 * ip_route_input_slow then ip_forward): what ipv4_input does with a valid
 * datagram that is not for one of our addresses. The decision (martians,
 * net.ipv4.ip_forward, the route, rp_filter, source routes, TTL, MTU) is a
 * checklist with one drop reason per check; a datagram that passes leaves
 * in the very pkt it arrived in (no copy), its TTL decremented and its
 * header checksum updated incrementally (RFC 1624), through netfilter's
 * FORWARD and POST_ROUTING hooks, fragmented only when it has no DF and
 * does not fit the egress MTU.
 *
 * Tunables, as Linux's: net.ipv4.ip_forward (default 0),
 * net.ipv4.conf.{all,default,<dev>}.forwarding, .rp_filter (0 default as
 * Linux's kernel, 1 strict, 2 loose), .send_redirects (1 as Linux),
 * .accept_source_route: how all's and the input device's combine is in
 * net/ipv4/devconf.h. */
#ifndef KEEL_NET_IPV4_FORWARD_H
#define KEEL_NET_IPV4_FORWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/ipv4/interface.h"

/* The sysctls above: net/ipv4/devconf.h (per device too). */
#include "net/ipv4/devconf.h"

/* pkt->data = the IPv4 header of a datagram ipv4_input checked (version,
 * IHL, checksum, lengths, TTL != 0) and found for none of our addresses;
 * in is the device it arrived on. Forwards or drops it. Consumes pkt. */
void ipv4_forward(struct netdev *in, struct pkt *pkt);

/* Whether an ICMP redirect may go to host now (redirect_limit.c, Linux's
 * backoff); counts the one it allows. */
bool ipv4_redirect_allowed(be32 host, uint64_t now_ns);
/* Forgets every host (host tests). */
void ipv4_redirect_limit_reset(void);

/* The pure part of the decision, for host tests: why a datagram from
 * source to destination that arrived on in_interface must not be forwarded
 * (martians, forwarding disabled), or NET_DROP_NONE. */
enum net_drop_reason ipv4_forward_admit(const struct net_interface *in_interface, be32 source, be32 destination);

#endif
