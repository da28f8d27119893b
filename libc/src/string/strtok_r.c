/* strtok_r - split a string into tokens separated by bytes of delim.
 *
 * The first call passes the string, later calls pass NULL and the same
 * saveptr. Each token is terminated in place; NULL means no tokens remain.
 * *saveptr ends exactly where glibc leaves it. */
#include <string.h>

char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict saveptr)
{
	char *end;

	if (s == NULL)
		s = *saveptr;
	if (s == NULL)
		return NULL;
	s += strspn(s, delim);
	if (*s == '\0') {
		*saveptr = s;
		return NULL;
	}
	end = s + strcspn(s, delim);
	if (*end == '\0') {
		*saveptr = end;
		return s;
	}
	*end = '\0';
	*saveptr = end + 1;
	return s;
}
