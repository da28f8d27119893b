/* secret.c - random keys for the stack (contract in net/core/secret.h). */
#include "net/core/secret.h"

#include <stdbool.h>

#include "kernel/arch/x86/cpu.h"

#define CPUID_FEATURES 1
#define CPUID_ECX_RDRAND (1u << 30)
#define RDRAND_RETRIES 10
#define GOLDEN_RATIO_64 0x9E3779B97F4A7C15ull  /* any odd constant keeps the two key halves apart */

static bool rdrand_available(void)
{
	static int available = -1;
	if (available < 0) {
		uint32_t eax, ebx, ecx, edx;
		cpuid(CPUID_FEATURES, 0, &eax, &ebx, &ecx, &edx);
		available = (ecx & CPUID_ECX_RDRAND) != 0;
	}
	return available;
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

static uint64_t entropy_word(void)
{
	static uint64_t counter;
	uint64_t value;
	if (rdrand_available() && rdrand64(&value))
		return value;
	/* The TSC's low bits at boot vary with firmware and emulator timing. */
	struct siphash_key mix = { rdtsc(), rdtsc() ^ GOLDEN_RATIO_64 };
	uint64_t input[2] = { rdtsc(), counter++ };
	return siphash_2_4(&mix, input, sizeof(input));
}

void net_secret_key(struct siphash_key *key)
{
	key->k0 = entropy_word();
	key->k1 = entropy_word();
}
