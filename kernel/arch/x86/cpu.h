/* cpu.h - thin wrappers over x86_64 instructions the kernel needs (port I/O,
 * MSRs, control registers, TSC, CPUID, interrupt flag). No policy here. */
#ifndef KEEL_CPU_H
#define KEEL_CPU_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value) { __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t value) { __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t value) { __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t low, high;
	__asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
	return ((uint64_t)high << 32) | low;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t low, high;
	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((uint64_t)high << 32) | low;
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
	__asm__ volatile("cpuid" : "=a"(*eax), "=b"(*ebx), "=c"(*ecx), "=d"(*edx) : "a"(leaf), "c"(subleaf));
}

#define DEFINE_READ_CR(n) static inline uint64_t read_cr##n(void) { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline void interrupts_enable(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void interrupts_disable(void) { __asm__ volatile("cli" : : : "memory"); }
static inline int interrupts_enabled(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; pop %0" : "=r"(flags));
	return (flags >> 9) & 1;
}
/* Saves the interrupt flag and disables; pair with interrupts_restore. */
static inline uint64_t interrupts_save(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}
static inline void interrupts_restore(uint64_t flags)
{
	if (flags & (1u << 9))
		interrupts_enable();
}

/* sti; hlt is atomic with respect to interrupts (SDM vol 2B, STI): an
 * interrupt arriving between the two still wakes the hlt. */
static inline void cpu_wait_for_interrupt(void) { __asm__ volatile("sti; hlt" : : : "memory"); }
static inline void cpu_pause(void) { __asm__ volatile("pause"); }
static inline void invlpg(uint64_t address) { __asm__ volatile("invlpg (%0)" : : "r"(address) : "memory"); }

/* Barriers: x86 is TSO, but DMA-coherent device memory and write-combining
 * need the fences the device specs ask for. */
static inline void memory_barrier(void) { __asm__ volatile("mfence" : : : "memory"); }
static inline void read_barrier(void) { __asm__ volatile("lfence" : : : "memory"); }
static inline void write_barrier(void) { __asm__ volatile("sfence" : : : "memory"); }
static inline void compiler_barrier(void) { __asm__ volatile("" : : : "memory"); }

#endif
