/* tcp_host_shim.h - the kernel as net/tcp_*.c sees it, for host tests:
 * a fake monotonic clock and timer queue driven by the test, an
 * ipv4_output that captures segments, one configured interface, and the
 * socket layer's sock_allocate/sock_wake. */
#ifndef KEEL_TESTS_TCP_HOST_SHIM_H
#define KEEL_TESTS_TCP_HOST_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/netdev.h"
#include "tests/host/host_time_shim.h"

#define SHIM_LOCAL_ADDRESS 0x0100000Au    /* 10.0.0.1 in network order */
#define SHIM_REMOTE_ADDRESS 0x0200000Au   /* 10.0.0.2 */
#define SHIM_CAPTURE_MAX 512
#define SHIM_SEGMENT_MAX 2048
#define SHIM_HELD_MAX 512

struct shim_segment {
	be32 source, destination;
	uint8_t bytes[SHIM_SEGMENT_MAX];  /* the TCP header and payload, checksum completed */
	unsigned length;
	bool checksum_ok;
};

extern struct netdev shim_device;
extern unsigned shim_super_segments;   /* TSO pkts TCP built (cut by net/core/gso.c before capture) */
extern unsigned shim_oversized_chains; /* of them, with more buffers than shim_device.tx_max_buffers */
extern const char *shim_cmdline[][2];   /* key/value pairs, NULL-terminated */

void shim_reset(void);
/* hold: captured pkts are kept, as a driver keeps them until their
 * descriptors are reclaimed, instead of freed (TCP small queues see their
 * bytes below them); shim_give_back frees the oldest count of them. */
void shim_hold_output(bool hold);
unsigned shim_held(void);
void shim_give_back(unsigned count);
/* Captured output segments not yet taken. */
unsigned shim_pending(void);
/* The oldest captured segment not yet taken, or NULL. */
const struct shim_segment *shim_take(void);
void shim_discard_output(void);
/* How many sock_wake calls a sock got. */
uint32_t shim_wakes(const void *sk);
/* Declares [start, start + length) immutable (kernel/core/image.h): TCP may send it by reference. */
void shim_set_immutable(const void *start, size_t length);
/* Sets a command-line key for tcp_init's readers (before the first TCP call). */
void shim_set_cmdline(const char *key, const char *value);

#endif
