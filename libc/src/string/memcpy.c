/* memcpy - copy n bytes between non-overlapping buffers.
 *
 * `rep movsq` moves the bulk 8 bytes per step and `rep movsb` the 0..7 tail
 * bytes. This is fast both on real CPUs (fast-string microcode) and under
 * QEMU TCG, where each rep iteration costs the same whatever its width.
 * Written in asm so gcc cannot turn it back into a call to memcpy. */
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *ret = dst;
	size_t qwords = n / 8;
	size_t tail = n % 8;

	__asm__ volatile("rep movsq\n\t"
			 "mov %[tail], %%rcx\n\t"
			 "rep movsb"
			 : "+D"(dst), "+S"(src), "+c"(qwords)
			 : [tail] "r"(tail)
			 : "memory");
	return ret;
}
