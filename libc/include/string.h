/* string.h - byte-string and memory functions with C11 semantics.
 *
 * memcpy/memset/memmove use `rep movs`/`rep stos` for the bulk (8 bytes per
 * step, then the tail bytes); memmove copies backward with DF set when the
 * destination overlaps the end of the source, so interrupt entry code must
 * `cld` before calling C (the SysV ABI requires DF=0 at calls anyway).
 * strdup allocates with the kernel's malloc. strlcpy is the BSD function.
 * strerror returns Linux/glibc messages, "Unknown error" otherwise. */
#ifndef KEEL_STRING_H
#define KEEL_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
char *strdup(const char *s);

char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strtok_r(char *restrict s, const char *restrict delim,
	       char **restrict saveptr);

char *strerror(int errnum);

#endif
