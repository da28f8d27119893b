/* host_check.h - what the host-side unit test drivers share: CHECK(), which
 * counts a failure and goes on, and the kernel's panic() turned into an
 * abort. One file of each test binary includes it plainly (failures and
 * panic() are defined there); a driver of several files includes it from the
 * others with HOST_CHECK_SHARED defined (declarations only, one count). */
#ifndef KEEL_TESTS_HOST_CHECK_H
#define KEEL_TESTS_HOST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef HOST_CHECK_SHARED
extern int failures;
#else
int failures;
#endif

#define CHECK(condition)                                                                  \
	do {                                                                              \
		if (!(condition)) {                                                       \
			printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #condition);      \
			failures++;                                                       \
		}                                                                         \
	} while (0)

void panic(const char *format, ...);
#ifndef HOST_CHECK_SHARED
void panic(const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	printf("panic: ");
	vprintf(format, arguments);
	printf("\n");
	va_end(arguments);
	fflush(stdout);
	abort();
}
#endif

#endif
