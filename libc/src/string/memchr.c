/* memchr - first byte equal to (unsigned char)c in s[0, n), or NULL. */
#include <string.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; p++, n--) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}
