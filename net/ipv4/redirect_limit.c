/* redirect_limit.c - how often forwarding may send ICMP redirects to one
 * host (net/ipv4/forward.h), as Linux's ip_rt_send_redirect: the first at
 * once, then each after twice the previous wait (20 ms, 40 ms, ...), at
 * most 9, then none until the host has sent nothing that needed one for
 * 20 s (ip_rt_redirect_load, _number, _silence). A host that ignores
 * redirects gets a handful, not one per datagram. Hosts live in a small
 * table that forgets the least recently redirected one when full. */
#include "net/ipv4/forward.h"

#include "kernel/time/clock.h"

#define REDIRECT_HOSTS 32
#define REDIRECT_LOAD_NS (20 * NSEC_PER_MSEC)
#define REDIRECT_NUMBER 9
#define REDIRECT_SILENCE_NS (REDIRECT_LOAD_NS << 10)

struct redirected_host {
	be32 address;
	unsigned sent;               /* redirects since the last silence */
	uint64_t last_ns;            /* last redirect sent, or last one wanted while silenced; 0: unused */
};

static struct redirected_host hosts[REDIRECT_HOSTS];

static struct redirected_host *host_entry(be32 address, uint64_t now_ns)
{
	struct redirected_host *oldest = &hosts[0];
	for (unsigned i = 0; i < REDIRECT_HOSTS; i++) {
		if (hosts[i].last_ns && hosts[i].address == address)
			return &hosts[i];
		if (hosts[i].last_ns < oldest->last_ns)
			oldest = &hosts[i];
	}
	*oldest = (struct redirected_host){ .address = address, .last_ns = now_ns ? now_ns : 1 };
	return oldest;
}

bool ipv4_redirect_allowed(be32 host, uint64_t now_ns)
{
	struct redirected_host *entry = host_entry(host, now_ns);
	if (now_ns - entry->last_ns > REDIRECT_SILENCE_NS)
		entry->sent = 0;                      /* it has been quiet: start over */
	if (entry->sent >= REDIRECT_NUMBER) {
		entry->last_ns = now_ns;              /* still wanting them keeps it silenced */
		return false;
	}
	if (entry->sent && now_ns - entry->last_ns < (REDIRECT_LOAD_NS << entry->sent))
		return false;
	entry->sent++;
	entry->last_ns = now_ns ? now_ns : 1;
	return true;
}

void ipv4_redirect_limit_reset(void)
{
	for (unsigned i = 0; i < REDIRECT_HOSTS; i++)
		hosts[i] = (struct redirected_host){ 0 };
}
