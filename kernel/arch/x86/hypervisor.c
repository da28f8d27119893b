/* hypervisor.c - hypervisor identification (contract in hypervisor.h). */
#include "kernel/arch/x86/hypervisor.h"

#include <stdint.h>
#include <string.h>

#include "kernel/arch/x86/cpu.h"

#define CPUID_HYPERVISOR_LEAF 0x40000000u
#define CPUID_FEATURES_LEAF 1u
#define CPUID_ECX_HYPERVISOR (1u << 31)

/* 0: not looked yet, 1: reliable, 2: unreliable. */
static int fences_state;

/* The signature is EBX, ECX, EDX of leaf 0x40000000 (Intel SDM vol. 2A,
 * CPUID: leaves 0x40000000-0x4FFFFFFF are reserved for hypervisors; QEMU
 * target/i386 answers "TCGTCGTCGTCG" under TCG). Without the hypervisor
 * bit the leaf is not a hypervisor's and is not read. */
static bool running_under_tcg(void)
{
	uint32_t eax, ebx, ecx, edx;
	cpuid(CPUID_FEATURES_LEAF, 0, &eax, &ebx, &ecx, &edx);
	if (!(ecx & CPUID_ECX_HYPERVISOR))
		return false;
	cpuid(CPUID_HYPERVISOR_LEAF, 0, &eax, &ebx, &ecx, &edx);
	char signature[12];
	memcpy(signature, &ebx, 4);
	memcpy(signature + 4, &ecx, 4);
	memcpy(signature + 8, &edx, 4);
	return memcmp(signature, "TCGTCGTCGTCG", sizeof(signature)) == 0;
}

bool hypervisor_fences_unreliable(void)
{
	if (fences_state == 0)
		fences_state = running_under_tcg() ? 2 : 1;
	return fences_state == 2;
}
