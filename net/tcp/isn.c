/* isn.c - secrets and the numbers derived from them.
 *
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 * with M a 4-microsecond clock and F SipHash-2-4 under a boot-time secret,
 * so ISNs of different connections are unpredictable while those of one
 * 4-tuple still increase (what TIME_WAIT recycling relies on). The same
 * construction gives each connection a random timestamp offset (RFC 7323
 * 5.4) under its own key. The keys come from net/core/secret.h. */
#include "net/tcp/internal.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/time/clock.h"
#include "net/core/secret.h"
#include "net/core/siphash.h"

#define ISN_CLOCK_NS 4000              /* RFC 6528: M ticks every 4 microseconds */

static struct siphash_key isn_key, timestamp_key, random_key;
static uint64_t random_counter;
static bool secrets_ready;

void tcp_secrets_init(void)
{
	if (secrets_ready)
		return;
	net_secret_key(&isn_key);
	net_secret_key(&timestamp_key);
	net_secret_key(&random_key);
	secrets_ready = true;
}

struct four_tuple {
	be32 local_address, remote_address;
	be16 local_port, remote_port;
};

static uint64_t hash_tuple(const struct siphash_key *key, be32 local_address, be16 local_port,
			   be32 remote_address, be16 remote_port)
{
	struct four_tuple tuple = { local_address, remote_address, local_port, remote_port };
	return siphash_2_4(key, &tuple, sizeof(tuple));
}

uint32_t tcp_isn(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port, uint64_t now_ns)
{
	tcp_secrets_init();
	uint32_t clock = (uint32_t)(now_ns / ISN_CLOCK_NS);
	return clock + (uint32_t)hash_tuple(&isn_key, local_address, local_port, remote_address, remote_port);
}

uint32_t tcp_ts_offset(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port)
{
	tcp_secrets_init();
	return (uint32_t)hash_tuple(&timestamp_key, local_address, local_port, remote_address, remote_port);
}

uint64_t tcp_random(void)
{
	tcp_secrets_init();
	uint64_t input[2] = { random_counter++, rdtsc() };
	return siphash_2_4(&random_key, input, sizeof(input));
}
