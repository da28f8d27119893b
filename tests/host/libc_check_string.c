/* libc_check_string - keel's str* functions and memchr against glibc on
 * generated strings over small alphabets (so that matches, shared prefixes
 * and case-insensitive ties are common) that include bytes >= 0x80, and on
 * every byte value as a search character. strlcpy, absent from this glibc,
 * is checked against a model of its BSD definition. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libc_check.h"

#define RANDOM_CASES 30000
#define MAX_STR 48
#define GUARD 32
#define GUARD_BYTE 0x77

static const char alphabet_mixed[] = "abcAB:, \t\x80\xff\xe9z";
static const char alphabet_ab[] = "ab";

static size_t random_string(char *out, size_t max_len, const char *alphabet)
{
	size_t len = rng_below(max_len + 1);
	size_t alphabet_len = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rng_below(alphabet_len)];
	out[len] = '\0';
	return len;
}

/* Second string: often a copy of the first, then perturbed. */
static void related_string(char *out, const char *first, const char *alphabet)
{
	if (rng_chance(60)) {
		strcpy(out, first);
		if (out[0] != '\0' && rng_chance(60))
			out[rng_below(strlen(out))] =
				alphabet[rng_below(strlen(alphabet))];
		if (rng_chance(20))
			out[rng_below(strlen(out) + 1)] = '\0';
	} else {
		random_string(out, MAX_STR, alphabet);
	}
}

static long offset_or_null(const char *base, const char *p)
{
	return p == NULL ? -1 : (long)(p - base);
}

static void check_compare_pair(const char *a, const char *b)
{
	size_t n = rng_below(MAX_STR + 2);

#define SAME_SIGN(expr_glibc, expr_keel, name)                                \
	if (sign_of(expr_glibc) != sign_of(expr_keel))                        \
		check_failed(name "(\"%s\", \"%s\", n=%zu): glibc %d, keel %d", \
			     escaped(a, strlen(a)), escaped(b, strlen(b)), n, \
			     expr_glibc, expr_keel)
	SAME_SIGN(strcmp(a, b), keel_strcmp(a, b), "strcmp");
	SAME_SIGN(strncmp(a, b, n), keel_strncmp(a, b, n), "strncmp");
	SAME_SIGN(strcasecmp(a, b), keel_strcasecmp(a, b), "strcasecmp");
	SAME_SIGN(strncasecmp(a, b, n), keel_strncasecmp(a, b, n),
		  "strncasecmp");
#undef SAME_SIGN
}

static void check_search(const char *s, size_t len, int c)
{
	size_t n = rng_below(len + 2);
	long expected, actual;

#define SAME_OFFSET(call_glibc, call_keel, name)                              \
	expected = offset_or_null(s, call_glibc);                             \
	actual = offset_or_null(s, call_keel);                                \
	if (expected != actual)                                               \
		check_failed(name "(\"%s\", %#x, n=%zu): glibc %ld, keel %ld", \
			     escaped(s, len), c, n, expected, actual)
	SAME_OFFSET(strchr(s, c), keel_strchr(s, c), "strchr");
	SAME_OFFSET(strrchr(s, c), keel_strrchr(s, c), "strrchr");
	SAME_OFFSET(memchr(s, c, n), keel_memchr(s, c, n), "memchr");
#undef SAME_OFFSET
}

static void check_lengths_and_spans(const char *s, const char *set)
{
	size_t maxlen = rng_below(MAX_STR + 2);

	if (strlen(s) != keel_strlen(s) ||
	    strnlen(s, maxlen) != keel_strnlen(s, maxlen) ||
	    strspn(s, set) != keel_strspn(s, set) ||
	    strcspn(s, set) != keel_strcspn(s, set))
		check_failed("strlen/strnlen(%zu)/strspn/strcspn(\"%s\", \"%s\"): "
			     "glibc %zu %zu %zu %zu, keel %zu %zu %zu %zu", maxlen,
			     escaped(s, strlen(s)), escaped(set, strlen(set)),
			     strlen(s), strnlen(s, maxlen), strspn(s, set),
			     strcspn(s, set), keel_strlen(s),
			     keel_strnlen(s, maxlen), keel_strspn(s, set),
			     keel_strcspn(s, set));
}

static void check_strstr(const char *haystack, const char *needle)
{
	long expected = offset_or_null(haystack, strstr(haystack, needle));
	long actual = offset_or_null(haystack, keel_strstr(haystack, needle));

	if (expected != actual)
		check_failed("strstr(\"%s\", \"%s\"): glibc %ld, keel %ld",
			     escaped(haystack, strlen(haystack)),
			     escaped(needle, strlen(needle)), expected, actual);
}

static size_t model_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t copy = len < size - 1 ? len : size - 1;

		memcpy(dst, src, copy);
		dst[copy] = '\0';
	}
	return len;
}

/* Runs one copying function on identical guarded buffers for glibc (or the
 * model) and keel, then compares the whole buffers and returned values. */
static void check_copies(const char *prefix, const char *src)
{
	char expected[GUARD + 2 * MAX_STR + 2 + GUARD];
	char actual[sizeof(expected)];
	char *e = expected + GUARD, *a = actual + GUARD;
	size_t n = rng_below(MAX_STR + 1);
	size_t rv_e, rv_a;

#define RESET()                                                               \
	do {                                                                  \
		memset(expected, GUARD_BYTE, sizeof(expected));               \
		memset(actual, GUARD_BYTE, sizeof(actual));                   \
		strcpy(e, prefix);                                            \
		strcpy(a, prefix);                                            \
	} while (0)
#define VERIFY(name, same_return)                                             \
	if (!(same_return) || memcmp(expected, actual, sizeof(expected)) != 0) \
		check_failed(name "(\"%s\", \"%s\", n=%zu) differs",           \
			     escaped(prefix, strlen(prefix)),                 \
			     escaped(src, strlen(src)), n)
	RESET();
	VERIFY("strcpy", strcpy(e, src) - e == keel_strcpy(a, src) - a);
	RESET();
	VERIFY("strncpy", strncpy(e, src, n) - e == keel_strncpy(a, src, n) - a);
	RESET();
	VERIFY("strcat", strcat(e, src) - e == keel_strcat(a, src) - a);
	RESET();
	VERIFY("strncat", strncat(e, src, n) - e == keel_strncat(a, src, n) - a);
	RESET();
	rv_e = model_strlcpy(e, src, n);
	rv_a = keel_strlcpy(a, src, n);
	VERIFY("strlcpy", rv_e == rv_a);
#undef RESET
#undef VERIFY
}

static void check_strdup(const char *s)
{
	char *copy = keel_strdup(s);

	if (copy == NULL || copy == s || strcmp(copy, s) != 0)
		check_failed("strdup(\"%s\")", escaped(s, strlen(s)));
	free(copy); /* from glibc's malloc: keel_strdup calls plain malloc */
}

/* Tokenizes copies of s with glibc and keel, comparing each token and the
 * position saveptr is left at. */
static void check_strtok(const char *s, const char *delim)
{
	char glibc_copy[MAX_STR + 1], keel_copy[MAX_STR + 1];
	char *glibc_save = NULL, *keel_save = NULL;
	char *glibc_tok, *keel_tok;
	int first = 1;

	memset(glibc_copy, 0, sizeof(glibc_copy));
	memset(keel_copy, 0, sizeof(keel_copy));
	strcpy(glibc_copy, s);
	strcpy(keel_copy, s);
	do {
		glibc_tok = strtok_r(first ? glibc_copy : NULL, delim, &glibc_save);
		keel_tok = keel_strtok_r(first ? keel_copy : NULL, delim, &keel_save);
		first = 0;
		if (offset_or_null(glibc_copy, glibc_tok) !=
			    offset_or_null(keel_copy, keel_tok) ||
		    glibc_save - glibc_copy != keel_save - keel_copy ||
		    memcmp(glibc_copy, keel_copy, sizeof(glibc_copy)) != 0) {
			check_failed("strtok_r(\"%s\", \"%s\") diverges",
				     escaped(s, strlen(s)),
				     escaped(delim, strlen(delim)));
			return;
		}
	} while (glibc_tok != NULL);
}

/* All 255 non-NUL byte values in one string, searched for every value. */
static long check_all_bytes(void)
{
	char all[256];
	long cases = 0;

	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);
	all[255] = '\0';
	for (int c = -300; c < 600; c++, cases++) {
		check_search(all, 255, c);
		check_lengths_and_spans(all + (c & 0xff), "\x01\x80\xff");
	}
	return cases;
}

long check_string(void)
{
	char a[MAX_STR + 1], b[MAX_STR + 1], set[8];
	long cases = check_all_bytes();

	for (long i = 0; i < RANDOM_CASES; i++, cases++) {
		const char *alphabet = rng_chance(30) ? alphabet_ab : alphabet_mixed;
		size_t len = random_string(a, MAX_STR, alphabet);
		int c = (unsigned char)alphabet[rng_below(strlen(alphabet))];

		related_string(b, a, alphabet);
		random_string(set, 4, alphabet);
		check_compare_pair(a, b);
		check_search(a, len, rng_chance(80) ? c : (int)rng_below(512) - 256);
		check_lengths_and_spans(a, set);
		check_strstr(a, rng_chance(50) ? b : set);
		random_string(b, MAX_STR, alphabet);
		check_copies(rng_chance(50) ? "" : set, b);
		check_strdup(a);
		check_strtok(a, set);
	}
	return cases;
}
