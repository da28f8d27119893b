/* strcmp, strncmp - compare strings as unsigned char, stopping at the first
 * difference or terminator (strncmp also after n bytes). */
#include <string.h>

int strcmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	while (*pa != '\0' && *pa == *pb)
		pa++, pb++;
	return *pa - *pb;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	for (; n > 0; pa++, pb++, n--) {
		if (*pa != *pb || *pa == '\0')
			return *pa - *pb;
	}
	return 0;
}
