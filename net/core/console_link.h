/* console_link.h - the link-level console views (net/core/console_link.c):
 * `ip [-s] link`, `ip link set`, `cat /proc/net/dev`, `ethtool -S|-k|-g|-i`,
 * `cat /proc/meminfo`, printed as iproute2, Linux's procfs and ethtool print
 * them. The functions here are what other views reuse: `ip addr`
 * (net/ipv4) takes its device word as `ip link show` does and starts each
 * device with the link lines, and the netdev stats block prints the
 * /proc/net/dev table. */
#ifndef KEEL_NET_CONSOLE_LINK_H
#define KEEL_NET_CONSOLE_LINK_H

#include <stdbool.h>

#include "kernel/console/command.h"
#include "net/core/netdev.h"

/* "1: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc ... qlen 1000"
 * and the "    link/ether ..." line; with_mode adds iproute2's "mode DEFAULT"
 * (ip link prints it, ip addr does not). */
void netdev_console_print_link(struct console_output *out, const struct netdev *dev, bool with_mode);
/* The device word of iproute2's "[show [dev] NAME]" (`ip link show`, `ip
 * addr`): options ('-...') and the keywords show, list and dev are skipped,
 * the last other word names the device. Returns 0 with *dev that device, or
 * NULL when no word names one (every device); 1 when no device has the name,
 * after iproute2's complaint. */
int netdev_console_named_device(struct console_output *out, int argc, char **argv, struct netdev **dev);
/* Linux's /proc/net/dev: two header lines, one row per device. */
void netdev_console_print_proc_net_dev(struct console_output *out);

#endif
