/* libc_check_strto - keel_strto{l,ll,ul,ull} against glibc: value, endptr
 * offset and errno for hand-picked edge strings and random strings over an
 * alphabet of digits, letters, signs, spaces and "0x", in bases 0, 2..36.
 * Also atoi/atol/atoll and abs/labs/llabs. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_check.h"

#define RANDOM_CASES 100000

static const char *const edge_strings[] = {
	"", "-", "+", " ", "  -", "+-1", "-+1", "0", "-0", "+0", "00", "0x",
	"0X", "0x1", "0xg", "0Xf", "  -0x", " -0x10", "+0x7fffffffffffffff",
	"x1", "0b101", "1e5", "\t\n\v\f\r 42", "\t\n\v\f\r-42z", "\x80" "1",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616",
	"99999999999999999999999999999999", "-99999999999999999999999999",
	"0x8000000000000000", "-0x8000000000000000", "-0x8000000000000001",
	"0xffffffffffffffff", "0x10000000000000000", "-0xffffffffffffffff",
	"0777777777777777777777", "01777777777777777777777",
	"02000000000000000000000", "zzzzzzzzzzzzz", "-zzzzzzzzzzzz",
	"1y2p0ij32e8e7", "1y2p0ij32e8e8", "-1y2p0ij32e8e8", "3w5e11264sgsf",
	"3w5e11264sgsg",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"10000000000000000000000000000000000000000000000000000000000000000",
	"2147483647", "2147483648", "-2147483648", "-2147483649",
	"4294967295", "4294967296", "  +000000000000000000000000000000000123",
};

static const int bases[] = { 0, 2, 8, 10, 16, 36 };

static void compare_one(const char *s, int base)
{
	char *glibc_end, *keel_end;
	int glibc_errno, keel_errno_seen;

#define COMPARE(fn, type, pf)                                                 \
	do {                                                                  \
		errno = 0;                                                    \
		type expected = fn(s, &glibc_end, base);                      \
		glibc_errno = errno;                                          \
		keel_errno = 0;                                               \
		type actual = keel_##fn(s, &keel_end, base);                  \
		keel_errno_seen = keel_errno;                                 \
		if (expected != actual || glibc_end != keel_end ||            \
		    glibc_errno != keel_errno_seen)                           \
			check_failed(#fn "(\"%s\", base %d): glibc " pf       \
				     " end +%td errno %d, keel " pf           \
				     " end +%td errno %d",                    \
				     escaped(s, strlen(s)), base, expected,   \
				     glibc_end - s, glibc_errno, actual,      \
				     keel_end - s, keel_errno_seen);          \
	} while (0)

	COMPARE(strtol, long, "%ld");
	COMPARE(strtoll, long long, "%lld");
	COMPARE(strtoul, unsigned long, "%lu");
	COMPARE(strtoull, unsigned long long, "%llu");
#undef COMPARE
}

static void random_string(char *out, size_t cap)
{
	static const char *const pieces[] = {
		"0", "1", "7", "8", "9", "5", "a", "f", "g", "z", "Z", "F", "x",
		"X", "0x", "0X", "-", "+", " ", "\t", "00", "99999", "ffff",
	};
	size_t n = rng_below(12);

	out[0] = '\0';
	/* occasionally a long run of digits, to reach overflow */
	if (rng_chance(20)) {
		static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
		size_t digits = 10 + rng_below(20);
		size_t len = 0;

		if (rng_chance(50))
			out[len++] = '-';
		for (size_t i = 0; i < digits; i++)
			out[len++] = alphabet[rng_below(rng_chance(50) ? 10 : 36)];
		out[len] = '\0';
		return;
	}
	for (size_t i = 0; i < n && strlen(out) + 8 < cap; i++)
		strcat(out, pieces[rng_below(sizeof(pieces) / sizeof(pieces[0]))]);
}

static long check_invalid_bases(void)
{
	static const int invalid[] = { 1, 37, -1, 100 };

	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		char *end = NULL;
		long value;

		keel_errno = 0;
		value = keel_strtol("123", &end, invalid[i]);
		errno = 0;
		long expected = strtol("123", NULL, invalid[i]);
		if (value != expected || keel_errno != errno ||
		    keel_errno != EINVAL)
			check_failed("strtol base %d: keel %ld errno %d, glibc "
				     "%ld errno %d", invalid[i], value, keel_errno,
				     expected, errno);
	}
	return 4;
}

static long check_ato_and_abs(void)
{
	static const char *const inputs[] = {
		"42", "  -17abc", "2147483648", "-2147483649",
		"9223372036854775808", "", "+", "0x10",
	};
	static const long long values[] = {
		0, 1, -1, INT_MAX, INT_MIN + 1, LLONG_MAX, LLONG_MIN + 1, 12345,
	};
	long cases = 0;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++, cases++) {
		if (keel_atoi(inputs[i]) != atoi(inputs[i]) ||
		    keel_atol(inputs[i]) != atol(inputs[i]) ||
		    keel_atoll(inputs[i]) != atoll(inputs[i]))
			check_failed("ato*(\"%s\") differs", inputs[i]);
	}
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++, cases++) {
		long long v = values[i];

		if ((v >= INT_MIN + 1 && v <= INT_MAX &&
		     keel_abs((int)v) != abs((int)v)) ||
		    keel_labs((long)v) != labs((long)v) ||
		    keel_llabs(v) != llabs(v))
			check_failed("abs family differs for %lld", v);
	}
	return cases;
}

long check_strto(void)
{
	long cases = 0;
	char s[128];

	for (size_t i = 0; i < sizeof(edge_strings) / sizeof(edge_strings[0]); i++) {
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++, cases++)
			compare_one(edge_strings[i], bases[b]);
		for (int base = 2; base <= 36; base++, cases++)
			compare_one(edge_strings[i], base);
	}
	for (long i = 0; i < RANDOM_CASES; i++, cases++) {
		int base = rng_chance(60) ? bases[rng_below(6)]
					  : 2 + (int)rng_below(35);

		random_string(s, sizeof(s));
		compare_one(s, base);
	}
	cases += check_invalid_bases();
	cases += check_ato_and_abs();
	return cases;
}
