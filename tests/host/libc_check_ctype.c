/* libc_check_ctype - every ctype function against glibc's "C" locale for
 * EOF and all 256 byte values (as unsigned char, the defined domain). */
#include <ctype.h>
#include <stdio.h>

#include "libc_check.h"

long check_ctype(void)
{
	static const struct {
		const char *name;
		int (*glibc)(int);
		int (*keel)(int);
		int exact; /* compare values, not just truth */
	} functions[] = {
		{ "isalnum", isalnum, keel_isalnum, 0 },
		{ "isalpha", isalpha, keel_isalpha, 0 },
		{ "isblank", isblank, keel_isblank, 0 },
		{ "iscntrl", iscntrl, keel_iscntrl, 0 },
		{ "isdigit", isdigit, keel_isdigit, 0 },
		{ "isgraph", isgraph, keel_isgraph, 0 },
		{ "islower", islower, keel_islower, 0 },
		{ "isprint", isprint, keel_isprint, 0 },
		{ "ispunct", ispunct, keel_ispunct, 0 },
		{ "isspace", isspace, keel_isspace, 0 },
		{ "isupper", isupper, keel_isupper, 0 },
		{ "isxdigit", isxdigit, keel_isxdigit, 0 },
		{ "tolower", tolower, keel_tolower, 1 },
		{ "toupper", toupper, keel_toupper, 1 },
	};
	long cases = 0;

	for (size_t f = 0; f < sizeof(functions) / sizeof(functions[0]); f++) {
		for (int c = EOF; c <= 255; c++, cases++) {
			int expected = functions[f].glibc(c);
			int actual = functions[f].keel(c);

			if (!functions[f].exact) {
				expected = expected != 0;
				actual = actual != 0;
			}
			if (expected != actual)
				check_failed("%s(%d): glibc %d, keel %d",
					     functions[f].name, c, expected, actual);
		}
	}
	return cases;
}
