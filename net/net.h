/* net.h - bringing the network up: the kernel calls these after PCI
 * enumeration (kernel/core/main.c). Running it is the kernel loop's job
 * (kernel/core/loop.h): net_init hands it the devices' work. */
#ifndef KEEL_NET_NET_H
#define KEEL_NET_NET_H

/* Packet pool, addresses from `ip=`, then every registered driver's probe
 * (NETDEV_DRIVER in net/core/netdev_driver.h) and open, then the protocols
 * and the in-stack services (NET_SERVICE in net/core/service.h). Prints
 * each device. With ip=dhcp it returns once the address is leased, or after
 * keel.dhcp.timeout= seconds (net/dhcp/dhcp.h): the app starts after it. */
void net_init(void);
/* Prints "keel: ready" for an image without an app (with an app, its first
 * wait on a bound socket prints it, net/socket/wait.c), with " (no network)"
 * when the stack could not start. */
void net_announce_ready(void);

#endif
