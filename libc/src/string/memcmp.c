/* memcmp - compare n bytes as unsigned char; the sign of the result is that
 * of the first differing byte pair.
 *
 * When both pointers share their alignment modulo 8, the common prefix is
 * skipped a qword at a time; the first unequal qword is then resolved byte
 * by byte. Never reads outside [0, n) of either buffer. */
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((__may_alias__)) word_alias;

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a;
	const unsigned char *pb = b;

	if ((((uintptr_t)pa ^ (uintptr_t)pb) & 7) == 0) {
		while (n > 0 && ((uintptr_t)pa & 7) != 0) {
			if (*pa != *pb)
				return *pa - *pb;
			pa++, pb++, n--;
		}
		while (n >= 8 && *(const word_alias *)pa ==
					 *(const word_alias *)pb) {
			pa += 8, pb += 8, n -= 8;
		}
	}
	for (; n > 0; pa++, pb++, n--) {
		if (*pa != *pb)
			return *pa - *pb;
	}
	return 0;
}
