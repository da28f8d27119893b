/* strlen, strnlen - length of a string; strnlen reads at most maxlen bytes.
 * Byte loops: a word-at-a-time scan would read past the terminator, which
 * the host ASan tests (rightly) reject. */
#include <string.h>

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t len = 0;

	while (len < maxlen && s[len] != '\0')
		len++;
	return len;
}
