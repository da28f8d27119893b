/* devconf.h - IPv4's per-device settings, Linux's net.ipv4.conf.{all,
 * default,<dev>}.* (struct ipv4_devconf, net/ipv4/devinet.c): forwarding,
 * rp_filter, send_redirects, accept_source_route. A device's values are
 * copied from `default` when the stack comes up (Linux: when the device
 * gets its in_device); `all` combines with the device's as Linux's
 * IN_DEV_* macros do:
 *   forwarding          the input device's own (IN_DEV_FORWARD); writing
 *                       net.ipv4.ip_forward or conf.all.forwarding sets
 *                       default and every device (devinet_forward's
 *                       inet_forward_change)
 *   rp_filter           max(all, dev)  (IN_DEV_MAXCONF)
 *   send_redirects      all || dev     (IN_DEV_ORCONF)
 *   accept_source_route all && dev     (IN_DEV_ANDCONF; default 1, all 0)
 * The per-device names come from sysctl templates (kernel/core/sysctl.h)
 * expanded over `default` and every registered netdev. */
#ifndef KEEL_NET_IPV4_DEVCONF_H
#define KEEL_NET_IPV4_DEVCONF_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/netdev.h"

/* One device's values (and default's). */
struct ipv4_devconf {
	int64_t forwarding, rp_filter, send_redirects, accept_source_route;
};

/* conf.all (net.ipv4.ip_forward is conf.all.forwarding). */
extern int64_t ipv4_ip_forward, ipv4_rp_filter, ipv4_send_redirects, ipv4_accept_source_route;

/* Every registered device takes `default`'s values now (net_init, after
 * the devices registered); a device first asked about later takes them then. */
void ipv4_devconf_init(void);
/* net.ipv4.ip_forward=value: all, default and every device (host tests too). */
void ipv4_forwarding_set_all(bool value);

/* dev's own values (conf.<dev>.*; NULL: default's), what the sysctls and
 * host tests write. */
struct ipv4_devconf *ipv4_devconf_of(const struct netdev *dev);

/* The effective settings for a datagram that arrived on in (NULL: all's). */
bool ipv4_devconf_forwarding(const struct netdev *in);
int64_t ipv4_devconf_rp_filter(const struct netdev *in);
bool ipv4_devconf_send_redirects(const struct netdev *in);
bool ipv4_devconf_accept_source_route(const struct netdev *in);

#endif
