/* console_link.h - the link-level console views (net/core/console_link.c):
 * `ip [-s] link`, `ip link set`, `cat /proc/net/dev`, `ethtool -S|-k|-g|-i`,
 * `cat /proc/meminfo`, printed as iproute2, Linux's procfs and ethtool print
 * them. The two functions here are what other views reuse: `ip addr`
 * (net/ipv4) starts each device with the link lines, and the netdev stats
 * block prints the /proc/net/dev table. */
#ifndef KEEL_NET_CONSOLE_LINK_H
#define KEEL_NET_CONSOLE_LINK_H

#include <stdbool.h>

#include "kernel/console/command.h"
#include "net/core/netdev.h"

/* "1: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc ... qlen 1000"
 * and the "    link/ether ..." line; with_mode adds iproute2's "mode DEFAULT"
 * (ip link prints it, ip addr does not). */
void netdev_console_print_link(struct console_output *out, const struct netdev *dev, bool with_mode);
/* Linux's /proc/net/dev: two header lines, one row per device. */
void netdev_console_print_proc_net_dev(struct console_output *out);

#endif
