/* pkt_pool.h - inside the packet pool (net/core/pkt.c): the free list works on
 * memory handed to it, so the kernel (net/core/pkt_pool.c, pmm pages) and the host
 * unit test (tests/host, malloc) share the same code. */
#ifndef KEEL_NET_PKT_POOL_H
#define KEEL_NET_PKT_POOL_H

#include <stdint.h>

#include "net/core/pkt.h"

/* Makes the pool count pkts: buffers holds count * PKT_BUFFER_SIZE bytes,
 * descriptors count entries, in_use count flags. Replaces any earlier pool. */
void pkt_pool_attach(uint8_t *buffers, struct pkt *descriptors, uint8_t *in_use, unsigned count);

#endif
