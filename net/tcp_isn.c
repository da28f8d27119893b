/* tcp_isn.c - secrets and the numbers derived from them.
 *
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
 * with M a 4-microsecond clock and F SipHash-2-4 under a boot-time secret,
 * so ISNs of different connections are unpredictable while those of one
 * 4-tuple still increase (what TIME_WAIT recycling relies on). The same
 * construction gives each connection a random timestamp offset (RFC 7323
 * 5.4) under its own key. Secrets come from RDRAND when the CPU has it,
 * otherwise from the TSC mixed through SipHash (weak, but varying). */
#include "net/tcp_internal.h"

#include "kernel/clock.h"
#include "kernel/cpu.h"
#include "net/tcp_siphash.h"

#define CPUID_FEATURES 1
#define CPUID_ECX_RDRAND (1u << 30)
#define RDRAND_RETRIES 10              /* Intel's DRNG guide: retry a few times on CF=0 */
#define ISN_CLOCK_NS 4000              /* RFC 6528: M ticks every 4 microseconds */

static struct tcp_siphash_key isn_key, timestamp_key, random_key;
static uint64_t random_counter;
static bool secrets_ready;

static bool rdrand_available(void)
{
	uint32_t eax, ebx, ecx, edx;
	cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
	return ecx & CPUID_ECX_RDRAND;
}

static bool rdrand64(uint64_t *value)
{
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*value), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static uint64_t entropy_word(bool use_rdrand)
{
	uint64_t value;
	if (use_rdrand && rdrand64(&value))
		return value;
	/* The TSC's low bits at boot vary with firmware and emulator timing. */
	struct tcp_siphash_key mix = { rdtsc(), rdtsc() ^ 0x9E3779B97F4A7C15ull };
	uint64_t input[2] = { rdtsc(), random_counter++ };
	return tcp_siphash(&mix, input, sizeof(input));
}

void tcp_secrets_init(void)
{
	if (secrets_ready)
		return;
	bool use_rdrand = rdrand_available();
	struct tcp_siphash_key *keys[] = { &isn_key, &timestamp_key, &random_key };
	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		keys[i]->k0 = entropy_word(use_rdrand);
		keys[i]->k1 = entropy_word(use_rdrand);
	}
	secrets_ready = true;
}

struct four_tuple {
	be32 local_address, remote_address;
	be16 local_port, remote_port;
};

static uint64_t hash_tuple(const struct tcp_siphash_key *key, be32 local_address, be16 local_port,
			   be32 remote_address, be16 remote_port)
{
	struct four_tuple tuple = { local_address, remote_address, local_port, remote_port };
	return tcp_siphash(key, &tuple, sizeof(tuple));
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
	return tcp_siphash(&random_key, input, sizeof(input));
}
