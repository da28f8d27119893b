/* memset - fill n bytes with (unsigned char)c.
 *
 * The byte is replicated into a 64-bit pattern for `rep stosq` over the
 * bulk; `rep stosb` writes the 0..7 tail bytes. Asm, so gcc cannot turn it
 * into a call to memset. */
#include <stdint.h>
#include <string.h>

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	uint64_t pattern = (uint8_t)c * UINT64_C(0x0101010101010101);
	size_t qwords = n / 8;
	size_t tail = n % 8;

	__asm__ volatile("rep stosq\n\t"
			 "mov %[tail], %%rcx\n\t"
			 "rep stosb"
			 : "+D"(dst), "+c"(qwords)
			 : "a"(pattern), [tail] "r"(tail)
			 : "memory");
	return ret;
}
