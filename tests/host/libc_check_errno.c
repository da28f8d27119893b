/* libc_check_errno - keel_strerror against glibc for every code keel's
 * errno.h defines (the list is generated from that header by test_libc.py
 * into errno_list.h as X(NAME, value) lines). The numeric values themselves
 * are checked at compile time against the host's <errno.h>. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libc_check.h"

#define X(name, value) _Static_assert(name == value, #name " is not Linux's");
#include "errno_list.h"
#undef X

long check_errno(void)
{
	static const struct {
		const char *name;
		int value;
	} codes[] = {
#define X(name, value) { #name, value },
#include "errno_list.h"
#undef X
	};
	long cases = 0;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++, cases++) {
		const char *expected = strerror(codes[i].value);
		const char *actual = keel_strerror(codes[i].value);

		if (strcmp(expected, actual) != 0)
			check_failed("strerror(%s): glibc \"%s\", keel \"%s\"",
				     codes[i].name, expected, actual);
	}
	if (strcmp(keel_strerror(0), "Success") != 0 ||
	    strcmp(keel_strerror(-1), "Unknown error") != 0 ||
	    strcmp(keel_strerror(4095), "Unknown error") != 0)
		check_failed("strerror of 0 / -1 / 4095");
	return cases + 3;
}
