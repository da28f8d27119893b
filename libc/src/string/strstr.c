/* strstr - first occurrence of needle in haystack (haystack itself for an
 * empty needle). Plain scan, O(len(haystack) * len(needle)) at worst: the
 * kernel searches short strings (command lines, headers). */
#include <string.h>

char *strstr(const char *haystack, const char *needle)
{
	size_t needle_len = strlen(needle);

	if (needle_len == 0)
		return (char *)haystack;
	for (; (haystack = strchr(haystack, needle[0])) != NULL; haystack++) {
		if (strncmp(haystack, needle, needle_len) == 0)
			return (char *)haystack;
	}
	return NULL;
}
