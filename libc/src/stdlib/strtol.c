/* strtol, strtoll, strtoul, strtoull, atoi, atol, atoll - text to integers
 * with C11 semantics (see stdlib.h); the work is in strto_parse.c. */
#include <limits.h>
#include <stdlib.h>

#include "strto_parse.h"

long strtol(const char *restrict nptr, char **restrict endptr, int base)
{
	return (long)__strto_signed(nptr, endptr, base, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *restrict nptr, char **restrict endptr, int base)
{
	return __strto_signed(nptr, endptr, base, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
		      int base)
{
	return (unsigned long)__strto_unsigned(nptr, endptr, base, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict nptr,
			    char **restrict endptr, int base)
{
	return __strto_unsigned(nptr, endptr, base, ULLONG_MAX);
}

/* Like glibc, atoi truncates strtol's result rather than saturating to int. */
int atoi(const char *nptr)
{
	return (int)strtol(nptr, NULL, 10);
}

long atol(const char *nptr)
{
	return strtol(nptr, NULL, 10);
}

long long atoll(const char *nptr)
{
	return strtoll(nptr, NULL, 10);
}
