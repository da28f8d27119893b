/* stdlib.h - number parsing, sorting and searching, plus the allocator and
 * abort(), which only are declared here: the kernel heap and panic code
 * implement them.
 *
 * strto* follow C11 exactly ("C" locale): leading white space, optional
 * sign, base 0 or 2..36 with an optional 0x/0X prefix for bases 0 and 16,
 * *endptr after the last digit (or nptr if there was none), and on overflow
 * the saturated value with errno = ERANGE. An invalid base gives 0, errno =
 * EINVAL and *endptr = nptr. errno is left alone on success.
 * qsort is an introsort: O(n log n) worst case, bounded stack, not stable. */
#ifndef KEEL_STDLIB_H
#define KEEL_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

long strtol(const char *restrict nptr, char **restrict endptr, int base);
long long strtoll(const char *restrict nptr, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
		      int base);
unsigned long long strtoull(const char *restrict nptr,
			    char **restrict endptr, int base);
int atoi(const char *nptr);
long atol(const char *nptr);
long long atoll(const char *nptr);

int abs(int n);
long labs(long n);
long long llabs(long long n);

void qsort(void *base, size_t nmemb, size_t size,
	   int (*compar)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*compar)(const void *, const void *));

/* Implemented by the kernel heap. */
void *malloc(size_t size) __attribute__((__malloc__, __alloc_size__(1)));
void *calloc(size_t nmemb, size_t size)
	__attribute__((__malloc__, __alloc_size__(1, 2)));
void *realloc(void *ptr, size_t size) __attribute__((__alloc_size__(2)));
void *aligned_alloc(size_t alignment, size_t size)
	__attribute__((__malloc__, __alloc_align__(1), __alloc_size__(2)));
void free(void *ptr);

/* Implemented by the kernel: stops the machine with a message. */
_Noreturn void abort(void);

#endif
