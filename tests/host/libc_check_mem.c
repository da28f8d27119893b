/* libc_check_mem - keel_memcpy/memmove/memset/memcmp against byte-by-byte
 * reference models: every source and destination alignment 0..15, lengths
 * 0..300, overlapping moves in both directions at many distances, and a few
 * 64 KiB blocks. Guard bytes around each destination must stay untouched;
 * memcmp must have the sign of glibc's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_check.h"

#define MAX_LEN 300
#define ALIGNS 16
#define GUARD 64
#define REGION (GUARD + ALIGNS + MAX_LEN + GUARD)
#define LARGE_LEN (64 * 1024)
#define GUARD_BYTE 0xee

static unsigned char src_region[REGION];
static unsigned char dst_region[REGION];
static unsigned char expected_region[REGION];

static void fill_random(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)rng_next();
}

/* Reports the first byte where the destination differs from the model. */
static void compare_regions(const char *what, size_t a, size_t b, size_t len,
			    const unsigned char *actual,
			    const unsigned char *expected, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (actual[i] != expected[i]) {
			check_failed("%s(align/offset %zu, %zu, len %zu): byte %zu "
				     "is %#x, expected %#x", what, a, b, len, i,
				     actual[i], expected[i]);
			return;
		}
	}
}

static long check_memcpy(void)
{
	long cases = 0;

	fill_random(src_region, REGION);
	for (size_t sa = 0; sa < ALIGNS; sa++) {
		for (size_t da = 0; da < ALIGNS; da++) {
			for (size_t len = 0; len <= MAX_LEN; len++, cases++) {
				unsigned char *dst = dst_region + GUARD + da;
				const unsigned char *src = src_region + GUARD + sa;

				memset(dst_region, GUARD_BYTE, REGION);
				memset(expected_region, GUARD_BYTE, REGION);
				for (size_t i = 0; i < len; i++)
					expected_region[GUARD + da + i] = src[i];
				if (keel_memcpy(dst, src, len) != dst)
					check_failed("memcpy return value");
				compare_regions("memcpy", sa, da, len, dst_region,
						expected_region, REGION);
			}
		}
	}
	return cases;
}

static long check_memset(void)
{
	static const int fill_values[] = { 0, 0xff, 0x5a, -1, 0x1234, 0x80 };
	long cases = 0;

	for (size_t da = 0; da < ALIGNS; da++) {
		for (size_t len = 0; len <= MAX_LEN; len++) {
			for (size_t v = 0; v < 6; v++, cases++) {
				unsigned char *dst = dst_region + GUARD + da;

				memset(dst_region, GUARD_BYTE, REGION);
				memset(expected_region, GUARD_BYTE, REGION);
				for (size_t i = 0; i < len; i++)
					expected_region[GUARD + da + i] =
						(unsigned char)fill_values[v];
				if (keel_memset(dst, fill_values[v], len) != dst)
					check_failed("memset return value");
				compare_regions("memset", da, (size_t)fill_values[v],
						len, dst_region, expected_region,
						REGION);
			}
		}
	}
	return cases;
}

/* Moves within one buffer; the model copies through a temporary. */
static void check_one_move(size_t src_off, size_t dst_off, size_t len)
{
	unsigned char tmp[MAX_LEN];

	fill_random(dst_region, REGION);
	memcpy(expected_region, dst_region, REGION);
	for (size_t i = 0; i < len; i++)
		tmp[i] = expected_region[src_off + i];
	for (size_t i = 0; i < len; i++)
		expected_region[dst_off + i] = tmp[i];
	if (keel_memmove(dst_region + dst_off, dst_region + src_off, len) !=
	    dst_region + dst_off)
		check_failed("memmove return value");
	compare_regions("memmove", src_off, dst_off, len, dst_region,
			expected_region, REGION);
}

static long check_memmove(void)
{
	long cases = 0;

	for (size_t len = 0; len <= MAX_LEN; len++) {
		for (size_t sa = 0; sa < ALIGNS; sa++) {
			size_t src_off = GUARD + sa;
			long distances[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31,
					     63, (long)len - 1, (long)len,
					     (long)len + 1 };

			for (size_t d = 0; d < sizeof(distances) / sizeof(long); d++) {
				for (int dir = -1; dir <= 1; dir += 2, cases++) {
					long dst_off = (long)src_off + dir * distances[d];

					if (dst_off < 0 || dst_off + (long)len > REGION)
						continue;
					check_one_move(src_off, (size_t)dst_off, len);
				}
			}
		}
	}
	return cases;
}

static long check_memcmp(void)
{
	static unsigned char a_region[REGION], b_region[REGION];
	long cases = 0;

	for (size_t aa = 0; aa < ALIGNS; aa++) {
		for (size_t ba = 0; ba < ALIGNS; ba++) {
			for (size_t len = 0; len <= MAX_LEN; len++, cases++) {
				unsigned char *a = a_region + GUARD + aa;
				unsigned char *b = b_region + GUARD + ba;
				int expected, actual;

				fill_random(a, len);
				memcpy(b, a, len);
				/* bytes past len differ, and must be ignored */
				a[len] = 1, b[len] = 2;
				if (len > 0 && rng_chance(70))
					b[rng_below(len)] = (unsigned char)rng_next();
				expected = memcmp(a, b, len);
				actual = keel_memcmp(a, b, len);
				if (sign_of(expected) != sign_of(actual))
					check_failed("memcmp(align %zu, %zu, len %zu): "
						     "glibc %d, keel %d", aa, ba,
						     len, expected, actual);
			}
		}
	}
	return cases;
}

/* 64 KiB blocks: copy, fill, both overlap directions, compare at the end. */
static long check_large(void)
{
	size_t size = LARGE_LEN + 4096 + 64;
	unsigned char *buf = malloc(size), *model = malloc(size);
	unsigned char *tmp = malloc(LARGE_LEN + 7);
	static const size_t shifts[] = { 1, 8, 13, 4096 };
	long cases = 0;

	for (size_t s = 0; s < 4; s++) {
		for (int dir = -1; dir <= 1; dir += 2, cases++) {
			size_t len = LARGE_LEN + (s & 1 ? 7 : 0);
			size_t src_off = dir < 0 ? shifts[s] + 3 : 3;
			size_t dst_off = dir < 0 ? 3 : shifts[s] + 3;

			fill_random(buf, size);
			memcpy(model, buf, size);
			memcpy(tmp, model + src_off, len);
			memcpy(model + dst_off, tmp, len);
			keel_memmove(buf + dst_off, buf + src_off, len);
			compare_regions("memmove 64K", src_off, dst_off, len, buf,
					model, size);
		}
	}
	fill_random(buf, size);
	memcpy(model, buf, size);
	memcpy(model + 5, tmp, LARGE_LEN + 3);
	keel_memcpy(buf + 5, tmp, LARGE_LEN + 3);
	compare_regions("memcpy 64K", 0, 5, LARGE_LEN + 3, buf, model, size);
	memset(model + 1, 0x3c, LARGE_LEN);
	keel_memset(buf + 1, 0x3c, LARGE_LEN);
	compare_regions("memset 64K", 0, 1, LARGE_LEN, buf, model, size);
	memcpy(tmp, buf, LARGE_LEN);
	tmp[LARGE_LEN - 1] ^= 0x80;
	if (sign_of(keel_memcmp(buf, tmp, LARGE_LEN)) !=
	    sign_of(memcmp(buf, tmp, LARGE_LEN)))
		check_failed("memcmp 64K with last byte different");
	if (keel_memcmp(buf, buf + 0, LARGE_LEN) != 0)
		check_failed("memcmp 64K equal");
	free(buf);
	free(model);
	free(tmp);
	return cases + 4;
}

long check_mem(void)
{
	return check_memcpy() + check_memset() + check_memmove() +
	       check_memcmp() + check_large();
}
