/* libc_check_printf - keel_snprintf/keel_vsnprintf against glibc.
 *
 * Random formats combine up to three conversions with random flags, widths,
 * precisions (literal or `*`), length modifiers and values at the edges of
 * each type, printed into random buffer sizes (including 0 with NULL, 1, and
 * exactly the output length). Return value and every byte written (plus a
 * guard zone past the size) must equal glibc's.
 *
 * Every argument is passed as a 64-bit integer: on x86_64 SysV, int, long,
 * and pointer arguments all occupy one 8-byte slot, and va_arg(ap, int)
 * reads the low half, so one call signature serves every format. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_check.h"

#define RANDOM_CASES 200000
#define MAX_SPECS 3
#define MAX_ARGS (MAX_SPECS * 3)
#define BUF_SIZE 32768
#define GUARD 64

struct printf_case {
	char fmt[256];
	uint64_t args[MAX_ARGS];
	int nargs;
};

static char long_text[400];

static const char *sample_string(void)
{
	static const char *const samples[] = {
		"", "a", "hello", "hello, world", "%d%s%%", "\x7f\xff\x80 hi",
		"tab\there", "0123456789abcdef", NULL, long_text,
	};

	return samples[rng_below(sizeof(samples) / sizeof(samples[0]))];
}

static int64_t sample_int32(void)
{
	static const int32_t edges[] = {
		0, 1, -1, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256, -128, -129,
		32767, 32768, -32768, -32769, 65535, 65536, INT_MAX, INT_MIN,
		INT_MAX - 1, INT_MIN + 1, 1000000, -1000000,
	};

	if (rng_chance(40))
		return edges[rng_below(sizeof(edges) / sizeof(edges[0]))];
	if (rng_chance(50))
		return (int32_t)rng_below(2001) - 1000;
	return (int32_t)(uint32_t)rng_next();
}

static uint64_t sample_int64(void)
{
	static const uint64_t edges[] = {
		0, 1, (uint64_t)-1, LLONG_MAX, (uint64_t)LLONG_MIN,
		(uint64_t)LLONG_MIN + 1, LLONG_MAX - 1, ULLONG_MAX - 1,
		UINT_MAX, (uint64_t)UINT_MAX + 1, (uint64_t)INT_MIN,
		INT_MAX, 0x8000000000000000ull >> 1, 01777777777777777777777ull,
		10000000000000000000ull, 9999999999999999999ull,
	};

	if (rng_chance(40))
		return edges[rng_below(sizeof(edges) / sizeof(edges[0]))];
	if (rng_chance(50))
		return (uint64_t)((int64_t)rng_below(2001) - 1000);
	/* random magnitude: shift away a random number of top bits */
	return rng_next() >> rng_below(64);
}

static void append(struct printf_case *c, const char *text)
{
	strncat(c->fmt, text, sizeof(c->fmt) - strlen(c->fmt) - 1);
}

static void append_literal(struct printf_case *c)
{
	static const char chars[] = "abc XYZ-+.0129\t\n:[]";
	char text[8];
	size_t n = rng_below(5);

	for (size_t i = 0; i < n; i++)
		text[i] = chars[rng_below(sizeof(chars) - 1)];
	text[n] = '\0';
	append(c, text);
	if (rng_chance(5))
		append(c, "%%");
}

static void append_flags(struct printf_case *c)
{
	static const char flags[] = "-+ #0";
	char text[8];
	size_t n = rng_chance(50) ? 0 : 1 + rng_below(4);

	for (size_t i = 0; i < n; i++)
		text[i] = flags[rng_below(sizeof(flags) - 1)];
	text[n] = '\0';
	append(c, text);
}

static int star_value(int small_max)
{
	if (rng_chance(4))
		return (rng_chance(50) ? -1 : 1) * (int)(100 + rng_below(4000));
	return (int)rng_below((uint64_t)small_max * 2 + 1) - small_max;
}

static void append_width(struct printf_case *c)
{
	char text[16];
	unsigned roll = (unsigned)rng_below(100);

	if (roll < 45)
		return;
	if (roll < 65) {
		append(c, "*");
		c->args[c->nargs++] = (uint64_t)(int64_t)star_value(40);
		return;
	}
	snprintf(text, sizeof(text), "%u",
		 roll < 96 ? 1 + (unsigned)rng_below(30)
			   : 100 + (unsigned)rng_below(4000));
	append(c, text);
}

static void append_precision(struct printf_case *c)
{
	char text[16];
	unsigned roll = (unsigned)rng_below(100);

	if (roll < 45)
		return;
	if (roll < 55) {
		append(c, ".");
	} else if (roll < 70) {
		append(c, ".*");
		c->args[c->nargs++] = (uint64_t)(int64_t)star_value(30);
	} else {
		snprintf(text, sizeof(text), ".%u",
			 roll < 97 ? (unsigned)rng_below(30)
				   : 100 + (unsigned)rng_below(3000));
		append(c, text);
	}
}

/* Appends a length modifier for an integer conversion and returns whether
 * the argument is 64-bit. */
static int append_length(struct printf_case *c)
{
	static const char *const lengths[] = {
		"", "", "", "hh", "h", "l", "ll", "z", "j", "t",
	};
	const char *length = lengths[rng_below(sizeof(lengths) /
					       sizeof(lengths[0]))];

	append(c, length);
	return length[0] != '\0' && length[0] != 'h';
}

static void append_conversion(struct printf_case *c)
{
	static const char conversions[] = "diuoxXcsp%";
	char conversion = conversions[rng_below(sizeof(conversions) - 1)];
	char text[2] = { conversion, '\0' };

	append(c, "%");
	append_flags(c);
	if (conversion == '%') {
		append(c, "%");
		return;
	}
	append_width(c);
	append_precision(c);
	switch (conversion) {
	case 'c':
		c->args[c->nargs++] = rng_chance(10) ? 0 : rng_below(256);
		break;
	case 's':
		c->args[c->nargs++] = (uint64_t)(uintptr_t)sample_string();
		break;
	case 'p':
		c->args[c->nargs++] = rng_chance(20) ? 0 : sample_int64();
		break;
	default:
		c->args[c->nargs++] = append_length(c) ? sample_int64()
						       : (uint64_t)sample_int32();
		break;
	}
	append(c, text);
}

static void generate_case(struct printf_case *c)
{
	int specs = 1 + (int)rng_below(MAX_SPECS);

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < specs; i++) {
		if (rng_chance(50))
			append_literal(c);
		append_conversion(c);
	}
	if (rng_chance(30))
		append_literal(c);
}

#define CALL_ALL_ARGS(fn, buf, size, c)                                      \
	fn(buf, size, (c)->fmt, (c)->args[0], (c)->args[1], (c)->args[2],     \
	   (c)->args[3], (c)->args[4], (c)->args[5], (c)->args[6],            \
	   (c)->args[7], (c)->args[8])

static char expected_buf[BUF_SIZE + GUARD];
static char actual_buf[BUF_SIZE + GUARD];

static size_t choose_size(int length)
{
	switch (rng_below(8)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return (size_t)length;
	case 4: return (size_t)length + 1;
	case 5: return rng_below((uint64_t)length + 2);
	default: return BUF_SIZE;
	}
}

static void run_case(const struct printf_case *c)
{
	int length = CALL_ALL_ARGS(snprintf, NULL, 0, c);
	size_t size = choose_size(length);
	int null_buf = size == 0 && rng_chance(50);
	size_t compared = size + GUARD;
	int expected, actual;

	if (length < 0 || (size_t)length >= BUF_SIZE) {
		check_failed("generator produced an unusable case %s",
			     escaped(c->fmt, strlen(c->fmt)));
		return;
	}
	memset(expected_buf, 0xa5, compared);
	memset(actual_buf, 0xa5, compared);
	expected = CALL_ALL_ARGS(snprintf, null_buf ? NULL : expected_buf,
				 size, c);
	actual = CALL_ALL_ARGS(keel_snprintf, null_buf ? NULL : actual_buf,
			       size, c);
	if (expected != actual ||
	    memcmp(expected_buf, actual_buf, compared) != 0) {
		size_t shown = size < (size_t)length + 1 ? size : (size_t)length + 1;

		check_failed("snprintf(size=%zu, \"%s\", %#llx, %#llx, %#llx, "
			     "%#llx, ...): glibc %d \"%s\", keel %d \"%s\"",
			     size, escaped(c->fmt, strlen(c->fmt)),
			     (unsigned long long)c->args[0],
			     (unsigned long long)c->args[1],
			     (unsigned long long)c->args[2],
			     (unsigned long long)c->args[3], expected,
			     escaped(expected_buf, shown), actual,
			     escaped(actual_buf, shown));
	}
}

/* Hand-picked formats, each with one 64-bit argument slot set. */
static long run_fixed_cases(void)
{
	static const struct {
		const char *fmt;
		uint64_t arg;
	} fixed[] = {
		{ "%d", (uint64_t)INT_MIN },	{ "%lld", (uint64_t)LLONG_MIN },
		{ "%.0d|", 0 },			{ "%#.0o|", 0 },
		{ "%#o", 0 },			{ "%#x", 0 },
		{ "%#.3o", 8 },			{ "%#5.0x|", 0 },
		{ "%-08d|", 42 },		{ "%+ d", 42 },
		{ "% +d", 42 },			{ "%08.3d", (uint64_t)-42 },
		{ "%5%|", 0 },			{ "%-5%|", 0 },
		{ "%y|", 0 },			{ "%hhd", 300 },
		{ "%hu", (uint64_t)-1 },	{ "%zu", (uint64_t)-1 },
		{ "%jd", (uint64_t)LLONG_MIN }, { "%td", (uint64_t)-5 },
		{ "%p", 0 },			{ "%20p|", 0 },
		{ "%-20p|", 0 },		{ "%.2p|", 0 },
		{ "%p", 0x1000 },		{ "%#018p", 0xdead },
		{ "%+p", 16 },			{ "% p", 16 },
		{ "%.10p", 0x1234 },		{ "%05s|", (uint64_t)"ab" },
		{ "%.3s|", (uint64_t)"abcdef" },
		{ "%s|", 0 },			{ "%.5s|", 0 },
		{ "%.6s|", 0 },			{ "%10s|", 0 },
		{ "%c", 0 },			{ "%-3c|", 'x' },
		{ "%05c|", 'x' },		{ "%lc", 'A' },
		{ "%ls", 0 },			{ "%.0s|", 0 },
		{ "%#X", 0xabc },		{ "%#10.4X", 0xabc },
		{ "%o", 01234567 },		{ "%llo", ULLONG_MAX },
		{ "%llx", ULLONG_MAX },		{ "%lli", (uint64_t)LLONG_MIN },
		{ "%3000d|", 1 },		{ "%.3000d|", 1 },
		{ "", 0 },			{ "%%", 0 },
	};
	struct printf_case c;
	size_t count = sizeof(fixed) / sizeof(fixed[0]);

	for (size_t i = 0; i < count; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.fmt, sizeof(c.fmt), "%s", fixed[i].fmt);
		c.args[0] = fixed[i].arg;
		run_case(&c);
	}
	return (long)count;
}

/* Width or precision beyond INT_MAX (a `*` width of INT_MIN cannot be
 * negated either): -1 with EOVERFLOW, like glibc. */
static long run_overflow_cases(void)
{
	static const struct {
		const char *fmt;
		uint64_t arg;
	} cases[] = {
		{ "%2147483648d", 0 },
		{ "%.2147483648d", 0 },
		{ "%99999999999999999999d", 0 },
		{ "%*d", (uint64_t)(int64_t)INT_MIN },
		{ "%.*d|", (uint64_t)(int64_t)INT_MIN }, /* negative: ignored */
	};
	char buf[16];
	size_t count = sizeof(cases) / sizeof(cases[0]);

	for (size_t i = 0; i < count; i++) {
		struct printf_case c = { .nargs = 1 };
		int expected, actual, expected_errno;

		snprintf(c.fmt, sizeof(c.fmt), "%s", cases[i].fmt);
		c.args[0] = cases[i].arg;
		c.args[1] = 1;
		errno = 0;
		expected = CALL_ALL_ARGS(snprintf, buf, sizeof(buf), &c);
		expected_errno = errno;
		keel_errno = 0;
		actual = CALL_ALL_ARGS(keel_snprintf, buf, sizeof(buf), &c);
		if (expected != actual || expected_errno != keel_errno)
			check_failed("\"%s\": glibc %d errno %d, keel %d errno %d",
				     cases[i].fmt, expected, expected_errno,
				     actual, keel_errno);
	}
	return (long)count;
}

static int via_keel_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int length;

	va_start(ap, fmt);
	length = keel_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return length;
}

/* keel's documented departures from glibc: no floating point, no %n, and
 * an incomplete specification at the end is printed. */
static long run_documented_differences(void)
{
	char buf[64];
	int stored = 1234;
	int length;

	length = keel_snprintf(buf, sizeof(buf), "[%5f|%d|%-3e|%g]", 1.5, 42,
			       2.5, 3.5);
	if (length != 16 || strcmp(buf, "[    ?|42|?  |?]") != 0)
		check_failed("%%f placeholder: got %d \"%s\"", length, buf);
	length = keel_snprintf(buf, sizeof(buf), "ab%nc%d", &stored, 7);
	if (length != 4 || strcmp(buf, "abc7") != 0 || stored != 1234)
		check_failed("%%n: got %d \"%s\", stored %d", length, buf, stored);
	length = via_keel_vsnprintf(buf, sizeof(buf), "%s-%d", "v", -3);
	if (length != 4 || strcmp(buf, "v--3") != 0)
		check_failed("vsnprintf: got %d \"%s\"", length, buf);
	/* glibc rejects a format ending inside a specification (-1); keel
	 * prints the incomplete specification as written instead. */
	length = keel_snprintf(buf, sizeof(buf), "abc%-0");
	if (length != 6 || strcmp(buf, "abc%-0") != 0)
		check_failed("truncated spec: got %d \"%s\"", length, buf);
	return 4;
}

long check_printf(void)
{
	long cases = 0;
	struct printf_case c;

	for (size_t i = 0; i < sizeof(long_text) - 1; i++)
		long_text[i] = (char)('A' + i % 26);
	cases += run_fixed_cases();
	cases += run_overflow_cases();
	cases += run_documented_differences();
	for (long i = 0; i < RANDOM_CASES; i++) {
		generate_case(&c);
		run_case(&c);
	}
	return cases + RANDOM_CASES;
}
