/* strcasecmp, strncasecmp - compare strings ignoring ASCII case; the result
 * is the difference of the first unequal pair after tolower(). */
#include <ctype.h>
#include <string.h>

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, (size_t)-1);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *)a;
	const unsigned char *pb = (const unsigned char *)b;

	for (; n > 0; pa++, pb++, n--) {
		int ca = tolower(*pa);
		int cb = tolower(*pb);

		if (ca != cb || ca == '\0')
			return ca - cb;
	}
	return 0;
}
