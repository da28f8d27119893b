/* netdev_internal.h - what the net core's own files share about devices
 * (drivers use net/core/netdev.h and net/core/netdev_driver.h only). */
#ifndef KEEL_NET_NETDEV_INTERNAL_H
#define KEEL_NET_NETDEV_INTERNAL_H

#include <stdbool.h>

#include "net/core/netdev.h"

/* Whether an interrupt scheduled a device's poll (call with interrupts off
 * to decide whether to halt); whether any device is in poll mode (polled on
 * every iteration, idling on a short timer). */
bool netdev_poll_scheduled_any(void);
bool netdev_poll_mode_any(void);
/* Whether any device's qdisc holds frames waiting for ring room (the idle loop then
 * sleeps only briefly: a finished descriptor raises no interrupt of its own
 * on every device). */
bool netdev_tx_backlog_any(void);
/* The device's transmit queue (net/core/netdev_queue.c, qdisc.h): a frame
 * into the root qdisc (or past it, when empty and the ring has room);
 * the qdisc's frames into the ring while it has room (returns how many). */
int netdev_queue_transmit(struct netdev *dev, struct pkt *pkt);
unsigned netdev_queue_run(struct netdev *dev);
/* Byte queue limits (netdev_bql.c): fresh state at registration; whether
 * pkt may go to the driver now (its ring has room, asked through
 * tx_ready, and the byte queue limit has not stopped the queue). */
void netdev_tx_queue_limits_init(struct netdev *dev);
bool netdev_tx_queue_may_send(struct netdev *dev, const struct pkt *pkt);
/* keel.stats= timer and the panic/shutdown notifier. */
void netdev_stats_init(void);

#endif
