/* icmp_ratelimit.c - ICMP error rate limits as Linux applies them
 * (net/ipv4/icmp.c, Documentation/networking/ip-sysctl.rst):
 *  - only types in net.ipv4.icmp_ratemask are limited (default 0x1818:
 *    destination unreachable, source quench, time exceeded, parameter
 *    problem), and never fragmentation needed (path MTU discovery needs it);
 *  - a global token bucket: net.ipv4.icmp_msgs_per_sec tokens a second, at
 *    most net.ipv4.icmp_msgs_burst saved up;
 *  - per destination: one token every net.ipv4.icmp_ratelimit ms, at most 6
 *    saved up (Linux's XRLIM_BURST_FACTOR); a destination not seen before
 *    starts with a full burst. Destinations live in a small table that
 *    forgets the least recently limited one when full. */
#include "net/ipv4/icmp.h"

#include "kernel/core/sysctl.h"
#include "kernel/time/clock.h"
#include "net/wire/icmp.h"

#define RATELIMIT_BURST_FACTOR 6
#define RATELIMIT_DESTINATIONS 64

static int64_t icmp_ratelimit_ms = 1000;
SYSCTL_INTEGER("net.ipv4.icmp_ratelimit", icmp_ratelimit_ms, 0, 3600000);
static int64_t icmp_ratemask = 0x1818;
SYSCTL_INTEGER("net.ipv4.icmp_ratemask", icmp_ratemask, 0, 0x7FFFF);
static int64_t icmp_msgs_per_sec = 1000;
SYSCTL_INTEGER("net.ipv4.icmp_msgs_per_sec", icmp_msgs_per_sec, 0, 1000000);
static int64_t icmp_msgs_burst = 50;
SYSCTL_INTEGER("net.ipv4.icmp_msgs_burst", icmp_msgs_burst, 0, 1000000);

struct destination_bucket {
	be32 destination;
	uint64_t tokens_ns;           /* saved-up time, one token per icmp_ratelimit_ms */
	uint64_t last_ns;             /* 0: slot unused */
};

static struct destination_bucket destinations[RATELIMIT_DESTINATIONS];
/* Global bucket in thousandths of a message, to count fractions of a token. */
static uint64_t global_credit_milli;
static uint64_t global_last_ns;
static bool global_started;

void icmp_ratelimit_reset(void)
{
	for (unsigned i = 0; i < RATELIMIT_DESTINATIONS; i++)
		destinations[i] = (struct destination_bucket){ 0 };
	global_started = false;
}

static bool global_allow(uint64_t now_ns)
{
	uint64_t burst_milli = (uint64_t)icmp_msgs_burst * 1000;
	if (icmp_msgs_per_sec == 0)
		return true;                 /* Linux: 0 switches the global limit off */
	if (!global_started) {
		global_started = true;
		global_credit_milli = burst_milli;
	} else {
		uint64_t elapsed_ns = now_ns - global_last_ns;
		if (elapsed_ns > 10 * NSEC_PER_SEC)
			elapsed_ns = 10 * NSEC_PER_SEC;   /* long enough to refill any burst, no overflow */
		global_credit_milli += elapsed_ns * (uint64_t)icmp_msgs_per_sec / NSEC_PER_MSEC;
		if (global_credit_milli > burst_milli)
			global_credit_milli = burst_milli;
	}
	global_last_ns = now_ns;
	if (global_credit_milli < 1000)
		return false;
	global_credit_milli -= 1000;
	return true;
}

static struct destination_bucket *find_bucket(be32 destination, uint64_t now_ns, uint64_t burst_ns)
{
	struct destination_bucket *oldest = &destinations[0];
	for (unsigned i = 0; i < RATELIMIT_DESTINATIONS; i++) {
		struct destination_bucket *bucket = &destinations[i];
		if (bucket->last_ns && bucket->destination == destination)
			return bucket;
		if (bucket->last_ns < oldest->last_ns)
			oldest = bucket;
	}
	*oldest = (struct destination_bucket){ destination, burst_ns, now_ns };
	return oldest;
}

static bool destination_allow(be32 destination, uint64_t now_ns)
{
	uint64_t interval_ns = (uint64_t)icmp_ratelimit_ms * NSEC_PER_MSEC;
	if (interval_ns == 0)
		return true;
	uint64_t burst_ns = RATELIMIT_BURST_FACTOR * interval_ns;
	struct destination_bucket *bucket = find_bucket(destination, now_ns, burst_ns);
	bucket->tokens_ns += now_ns - bucket->last_ns;
	bucket->last_ns = now_ns ? now_ns : 1;
	if (bucket->tokens_ns > burst_ns)
		bucket->tokens_ns = burst_ns;
	if (bucket->tokens_ns < interval_ns)
		return false;
	bucket->tokens_ns -= interval_ns;
	return true;
}

bool icmp_ratelimit_allow(be32 destination, uint8_t type, uint8_t code, uint64_t now_ns)
{
	if (type > 18 || !((1ull << type) & (uint64_t)icmp_ratemask))
		return true;
	if (type == ICMP_TYPE_DESTINATION_UNREACHABLE && code == ICMP_CODE_FRAGMENTATION_NEEDED)
		return true;
	return global_allow(now_ns) && destination_allow(destination, now_ns);
}
