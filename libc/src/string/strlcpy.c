/* strlcpy - BSD bounded copy: copies at most size-1 bytes, always
 * terminates when size > 0, returns strlen(src) so that a result >= size
 * tells the caller the copy was truncated. */
#include <string.h>

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t src_len = strlen(src);

	if (size > 0) {
		size_t copy_len = src_len < size - 1 ? src_len : size - 1;

		memcpy(dst, src, copy_len);
		dst[copy_len] = '\0';
	}
	return src_len;
}
