/* memmove - copy n bytes between buffers that may overlap.
 *
 * A forward copy is safe unless dst starts inside [src, src + n); then the
 * copy runs backward (DF=1): first the n % 8 top bytes, then the qwords
 * below them, highest first. Reads of each step are never below a byte an
 * earlier step wrote, whatever the distance. DF is cleared again before
 * returning, as the ABI requires. */
#include <stdint.h>
#include <string.h>

static void copy_backward(unsigned char *dst, const unsigned char *src,
			  size_t n)
{
	const unsigned char *src_last = src + n - 1;
	unsigned char *dst_last = dst + n - 1;
	size_t tail = n % 8;
	size_t qwords = n / 8;

	/* After `rep movsb` with DF=1 the pointers sit one below the last byte
	 * copied; the next qword ends there, so it starts 7 bytes lower. */
	__asm__ volatile("std\n\t"
			 "rep movsb\n\t"
			 "sub $7, %%rsi\n\t"
			 "sub $7, %%rdi\n\t"
			 "mov %[qwords], %%rcx\n\t"
			 "rep movsq\n\t"
			 "cld"
			 : "+D"(dst_last), "+S"(src_last), "+c"(tail)
			 : [qwords] "r"(qwords)
			 : "memory", "cc");
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst;
	uintptr_t s = (uintptr_t)src;

	if (n == 0 || d == s)
		return dst;
	if (d - s >= n) /* dst below src, or past its end: unsigned wrap */
		return memcpy(dst, src, n);
	copy_backward(dst, src, n);
	return dst;
}
