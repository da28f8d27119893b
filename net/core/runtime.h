/* runtime.h - net/core's part of starting and running the stack, called by
 * the bring-up (net/stack/net.c): the packet pool (`keel.pkts=`), every
 * registered driver's probe, then the stats timer and the work the kernel
 * loop (kernel/core/loop.h) does for the devices: NAPI polls, the transmit
 * backlog, and the short sleep of poll mode. */
#ifndef KEEL_NET_CORE_RUNTIME_H
#define KEEL_NET_CORE_RUNTIME_H

/* The packet pool, then the drivers' probes. Returns the number of devices
 * registered, or -1 when the pool cannot be allocated (no network). */
int net_core_init(void);
/* After the devices are open: the `keel.stats=` timer and shutdown/panic
 * printer, and the device work handed to the kernel loop. */
void net_core_start(void);

#endif
