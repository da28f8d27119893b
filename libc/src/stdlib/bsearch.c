/* bsearch - find key in an array sorted by compar; any matching element may
 * be returned, NULL if none matches. */
#include <stdlib.h>

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*compar)(const void *, const void *))
{
	const char *lo = base;

	while (nmemb > 0) {
		const char *mid = lo + (nmemb / 2) * size;
		int order = compar(key, mid);

		if (order == 0)
			return (void *)mid;
		if (order > 0) {
			lo = mid + size;
			nmemb -= nmemb / 2 + 1;
		} else {
			nmemb /= 2;
		}
	}
	return NULL;
}
