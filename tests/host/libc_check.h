/* libc_check.h - shared pieces of the host test driver for keel's libc.
 *
 * The libc objects are built for the host with every symbol they define
 * renamed with a keel_ prefix (objcopy --redefine-syms, see test_libc.py),
 * so keel_snprintf and glibc's snprintf live side by side in one program.
 * Each check_* function compares one family against glibc (or a reference
 * model), reports mismatches through check_failed() and returns the number
 * of cases it ran. */
#ifndef KEEL_LIBC_CHECK_H
#define KEEL_LIBC_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* The keel libc under test. */
extern int keel_errno;
int keel_snprintf(char *buf, size_t size, const char *fmt, ...);
int keel_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
long keel_strtol(const char *nptr, char **endptr, int base);
long long keel_strtoll(const char *nptr, char **endptr, int base);
unsigned long keel_strtoul(const char *nptr, char **endptr, int base);
unsigned long long keel_strtoull(const char *nptr, char **endptr, int base);
int keel_atoi(const char *nptr);
long keel_atol(const char *nptr);
long long keel_atoll(const char *nptr);
int keel_abs(int n);
long keel_labs(long n);
long long keel_llabs(long long n);
void keel_qsort(void *base, size_t nmemb, size_t size,
		int (*compar)(const void *, const void *));
void *keel_bsearch(const void *key, const void *base, size_t nmemb,
		   size_t size, int (*compar)(const void *, const void *));
void *keel_memcpy(void *dst, const void *src, size_t n);
void *keel_memmove(void *dst, const void *src, size_t n);
void *keel_memset(void *dst, int c, size_t n);
int keel_memcmp(const void *a, const void *b, size_t n);
void *keel_memchr(const void *s, int c, size_t n);
size_t keel_strlen(const char *s);
size_t keel_strnlen(const char *s, size_t maxlen);
int keel_strcmp(const char *a, const char *b);
int keel_strncmp(const char *a, const char *b, size_t n);
int keel_strcasecmp(const char *a, const char *b);
int keel_strncasecmp(const char *a, const char *b, size_t n);
char *keel_strcpy(char *dst, const char *src);
char *keel_strncpy(char *dst, const char *src, size_t n);
size_t keel_strlcpy(char *dst, const char *src, size_t size);
char *keel_strcat(char *dst, const char *src);
char *keel_strncat(char *dst, const char *src, size_t n);
char *keel_strdup(const char *s);
char *keel_strchr(const char *s, int c);
char *keel_strrchr(const char *s, int c);
char *keel_strstr(const char *haystack, const char *needle);
size_t keel_strspn(const char *s, const char *accept);
size_t keel_strcspn(const char *s, const char *reject);
char *keel_strtok_r(char *s, const char *delim, char **saveptr);
char *keel_strerror(int errnum);
int keel_isalnum(int c);
int keel_isalpha(int c);
int keel_isblank(int c);
int keel_iscntrl(int c);
int keel_isdigit(int c);
int keel_isgraph(int c);
int keel_islower(int c);
int keel_isprint(int c);
int keel_ispunct(int c);
int keel_isspace(int c);
int keel_isupper(int c);
int keel_isxdigit(int c);
int keel_tolower(int c);
int keel_toupper(int c);

/* Deterministic generator (splitmix64) seeded once by main(). */
void rng_seed(uint64_t seed);
uint64_t rng_next(void);
uint64_t rng_below(uint64_t bound); /* uniform-ish in [0, bound) */
int rng_chance(unsigned percent);   /* true with about percent% odds */

/* Prints one mismatch (only the first few in full) and counts it. */
void check_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sign of an int as -1, 0 or 1. */
static inline int sign_of(long long v)
{
	return (v > 0) - (v < 0);
}

/* Renders bytes with C escapes into a static buffer, for failure output. */
const char *escaped(const char *bytes, size_t n);

long check_printf(void);
long check_strto(void);
long check_mem(void);
long check_string(void);
long check_ctype(void);
long check_sort(void);
long check_errno(void);

#endif
