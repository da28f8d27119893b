/* congestion.c - choosing an algorithm, the initial window, and slow
 * start, which every algorithm shares (RFC 5681 3.1, with RFC 3465's
 * appropriate byte counting, L = 2 * SMSS). */
#include "net/tcp/congestion.h"

#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "net/tcp/internal.h"

CMDLINE_KEY("keel.tcp.cc", "TCP congestion control: cubic (default, as Linux) or reno");

#define INITIAL_WINDOW_BYTES 14600u      /* RFC 6928: min(10*MSS, max(2*MSS, 14600)) */
#define SLOW_START_LIMIT_SEGMENTS 2      /* RFC 3465 L */

static const struct tcp_congestion_ops *const algorithms[] = { &tcp_cubic_ops, &tcp_reno_ops };
static const struct tcp_congestion_ops *default_algorithm;

const struct tcp_congestion_ops *tcp_congestion_find(const char *name)
{
	for (unsigned i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strcmp(algorithms[i]->name, name) == 0)
			return algorithms[i];
	return NULL;
}

const struct tcp_congestion_ops *tcp_congestion_default(void)
{
	if (default_algorithm)
		return default_algorithm;
	default_algorithm = &tcp_cubic_ops;
	const char *name = cmdline_get("keel.tcp.cc");
	if (name) {
		const struct tcp_congestion_ops *chosen = tcp_congestion_find(name);
		if (chosen)
			default_algorithm = chosen;
		else
			pr_warn("tcp: keel.tcp.cc=%s unknown (reno or cubic), using cubic\n", name);
	}
	return default_algorithm;
}

void tcp_congestion_init(struct tcp_sock *tcb, const struct tcp_congestion_ops *ops)
{
	tcb->congestion = ops ? ops : tcp_congestion_default();
	uint32_t two = 2 * tcb->mss;
	uint32_t ten = TCP_INITIAL_WINDOW_SEGMENTS * tcb->mss;
	uint32_t floor = two > INITIAL_WINDOW_BYTES ? two : INITIAL_WINDOW_BYTES;
	tcb->cwnd = ten < floor ? ten : floor;
	tcb->ssthresh = UINT32_MAX / 2;                /* "arbitrarily high" (RFC 5681 3.1) */
	tcb->bytes_acked = 0;
	tcb->congestion->init(tcb);
}

void tcp_congestion_on_ack(struct tcp_sock *tcb, uint32_t acked, uint64_t now_ns)
{
	/* Growth only while the window is used (RFC 7661's spirit): an
	 * application-limited sender keeps what it has. */
	if (tcp_flight_size(tcb) + acked + tcb->mss < tcb->cwnd / 2)
		return;
	if (tcb->cwnd < tcb->ssthresh) {
		uint32_t limit = SLOW_START_LIMIT_SEGMENTS * tcb->mss;
		tcb->cwnd += acked < limit ? acked : limit;
		return;
	}
	tcb->congestion->avoid(tcb, acked, now_ns);
}
