/* net.h - bringing the network up and running it: the kernel calls these
 * after PCI enumeration. */
#ifndef KEEL_NET_NET_H
#define KEEL_NET_NET_H

/* Packet pool, addresses from `ip=`, then every registered driver's probe
 * (NETDEV_DRIVER in net/core/netdev_driver.h) and open. Prints each device. */
void net_init(void);
/* The net loop: poll devices, run timers, run the application's work, idle.
 * Never returns. */
__attribute__((noreturn)) void net_main_loop(void);

#endif
