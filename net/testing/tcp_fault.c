/* tcp_fault.c - random segment loss for tests (contract in tcp_fault.h). */
#include "net/testing/tcp_fault.h"

#include <stdint.h>

#include "kernel/core/cmdline.h"
#include "net/tcp/internal.h"

CMDLINE_KEY("keel.tcp.loss", "drop this many per mille of TCP segments in and out, at random (tests)");

#define PER_MILLE 1000u

static uint32_t loss_per_mille;

void tcp_fault_init(void)
{
	uint64_t value = cmdline_get_u64("keel.tcp.loss", 0);
	loss_per_mille = (uint32_t)(value > PER_MILLE ? PER_MILLE : value);
}

bool tcp_fault_drop(void)
{
	return loss_per_mille && tcp_random() % PER_MILLE < loss_per_mille;
}
