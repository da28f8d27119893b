/* tcp_fault.c - fault injection for tests (like smoltcp's fault injector):
 * `keel.tcp.loss=<per mille>` drops that share of TCP segments at random, in
 * both directions, so loss recovery can be exercised on a perfect link. Off
 * (0) by default; the drops are counted (tcp_fault_injected). A service
 * (net/core/service.h): it plugs into TCP's tcp_lose_segment hook at start,
 * only when asked to. */
#include <stdbool.h>
#include <stdint.h>

#include "kernel/core/cmdline.h"
#include "net/core/service.h"
#include "net/tcp/internal.h"

CMDLINE_KEY("keel.tcp.loss", "drop this many per mille of TCP segments in and out, at random (tests)");

#define PER_MILLE 1000u

static uint32_t loss_per_mille;

static bool segment_lost(void)
{
	return tcp_random() % PER_MILLE < loss_per_mille;
}

static void tcp_fault_start(void)
{
	uint64_t value = cmdline_get_u64("keel.tcp.loss", 0);
	loss_per_mille = (uint32_t)(value > PER_MILLE ? PER_MILLE : value);
	if (loss_per_mille)
		tcp_lose_segment = segment_lost;
}

NET_SERVICE("tcp fault injection", tcp_fault_start);
