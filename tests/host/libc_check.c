/* libc_check - host test driver for keel's libc: `libc_check CATEGORY`
 * runs one family of comparisons against glibc and exits non-zero on any
 * mismatch. The seed is printed; KEEL_TEST_SEED=<n> reproduces a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_check.h"

#define FAILURES_SHOWN 25
#define DEFAULT_SEED 0x6b65656c6c696263ull /* "keellibc" */

static uint64_t rng_state;
static long failure_count;

void rng_seed(uint64_t seed)
{
	rng_state = seed;
}

uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(uint64_t bound)
{
	return bound == 0 ? 0 : rng_next() % bound;
}

int rng_chance(unsigned percent)
{
	return rng_below(100) < percent;
}

void check_failed(const char *fmt, ...)
{
	va_list ap;

	if (++failure_count > FAILURES_SHOWN) {
		if (failure_count == FAILURES_SHOWN + 1)
			printf("FAIL: (further mismatches not shown)\n");
		return;
	}
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

const char *escaped(const char *bytes, size_t n)
{
	static char out[4][2048];
	static int which;
	char *o = out[which++ % 4];
	size_t len = 0;

	for (size_t i = 0; i < n && len + 8 < sizeof(out[0]); i++) {
		unsigned char c = (unsigned char)bytes[i];

		if (c == '\\' || c == '"')
			len += (size_t)sprintf(o + len, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			o[len++] = (char)c;
		else
			len += (size_t)sprintf(o + len, "\\x%02x", c);
	}
	o[len] = '\0';
	return o;
}

static const struct {
	const char *name;
	long (*run)(void);
} categories[] = {
	{ "printf", check_printf }, { "strto", check_strto },
	{ "mem", check_mem },       { "string", check_string },
	{ "ctype", check_ctype },   { "sort", check_sort },
	{ "errno", check_errno },
};

int main(int argc, char **argv)
{
	const char *seed_text = getenv("KEEL_TEST_SEED");
	uint64_t seed = seed_text ? strtoull(seed_text, NULL, 0) : DEFAULT_SEED;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CATEGORY\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
		long cases;

		if (strcmp(argv[1], categories[i].name) != 0)
			continue;
		printf("%s: seed %llu (set KEEL_TEST_SEED to reproduce)\n",
		       argv[1], (unsigned long long)seed);
		rng_seed(seed);
		cases = categories[i].run();
		printf("%s: %ld cases, %ld mismatches\n", argv[1], cases,
		       failure_count);
		return failure_count == 0 ? 0 : 1;
	}
	fprintf(stderr, "unknown category %s\n", argv[1]);
	return 2;
}
