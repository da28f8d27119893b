/* strto_parse.h - the shared core of strtol/strtoll/strtoul/strtoull.
 *
 * Each parses C11 syntax into a magnitude and a sign, then saturates to
 * [min, max] (signed) or [0, max] (unsigned, where a '-' negates modulo
 * 2^64 as C specifies) and sets errno = ERANGE when it had to. */
#ifndef KEEL_STRTO_PARSE_H
#define KEEL_STRTO_PARSE_H

long long __strto_signed(const char *nptr, char **endptr, int base,
			 long long min, long long max);
unsigned long long __strto_unsigned(const char *nptr, char **endptr,
				    int base, unsigned long long max);

#endif
