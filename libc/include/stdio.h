/* stdio.h - formatting into memory; there are no streams (the kernel has
 * printk, built on vsnprintf).
 *
 * snprintf/vsnprintf follow C99: they return the length the full output
 * would have, write at most size-1 bytes plus a NUL (nothing when size is 0,
 * so buf may then be NULL), and return -1 with errno = EOVERFLOW if that
 * length or a field width exceeds INT_MAX.
 * Supported: flags - + space # 0; width and precision, also as `*`; length
 * hh h l ll z j t; conversions d i u o x X c s p %. Output matches glibc,
 * including "(null)" for a NULL %s and "(nil)" for a NULL %p.
 * Not supported, because the kernel is built without floating point:
 * %f %F %e %E %g %G %a %A print "?" (padded to the width) WITHOUT consuming
 * the argument; a double travels in an SSE register, so later integer
 * arguments still line up, but a long double (%Lf) would misalign them.
 * %n consumes its pointer and stores nothing. An unknown conversion is
 * printed as written (e.g. "%y"). %lc and %ls print like %c and %s. */
#ifndef KEEL_STDIO_H
#define KEEL_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap) __attribute__((__format__(__printf__, 3, 0)));

/* Console output for applications (libc/src/stdio/printf.c): the formatted
 * text goes to the system console in one write per call. */
int printf(const char *restrict fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));
int puts(const char *text);

#endif
