/* strto_parse - shared core of the strto* functions (see strto_parse.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "strto_parse.h"

struct parsed_number {
	unsigned long long magnitude; /* valid unless overflow */
	bool negative;
	bool overflow;                /* magnitude exceeded ULLONG_MAX */
};

/* 0..35 for a digit or letter, 36 (no base accepts it) for anything else. */
static unsigned digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A' + 10);
	return 36;
}

/* Returns false (and sets *endptr to nptr) if there are no digits. */
static bool parse_number(const char *nptr, char **endptr, int base,
			 struct parsed_number *out)
{
	const char *s = nptr;
	const char *digits;
	unsigned long long value = 0;

	out->negative = false;
	out->overflow = false;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-')
		out->negative = *s++ == '-';
	/* "0x" counts as a prefix only if a hex digit follows; otherwise the
	 * "0" alone is the number and *endptr points at the 'x'. */
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (digits = s;; s++) {
		unsigned digit = digit_value(*s);

		if (digit >= (unsigned)base)
			break;
		if (value > (ULLONG_MAX - digit) / (unsigned)base)
			out->overflow = true;
		else
			value = value * (unsigned)base + digit;
	}
	out->magnitude = value;
	if (endptr != NULL)
		*endptr = (char *)(s == digits ? nptr : s);
	return s != digits;
}

static bool base_is_valid(const char *nptr, char **endptr, int base)
{
	if (base == 0 || (base >= 2 && base <= 36))
		return true;
	errno = EINVAL;
	if (endptr != NULL)
		*endptr = (char *)nptr;
	return false;
}

long long __strto_signed(const char *nptr, char **endptr, int base,
			 long long min, long long max)
{
	struct parsed_number num;
	unsigned long long limit;

	if (!base_is_valid(nptr, endptr, base) ||
	    !parse_number(nptr, endptr, base, &num))
		return 0;
	/* |min| computed without overflowing: -(min + 1) + 1. */
	limit = num.negative ? (unsigned long long)-(min + 1) + 1
			     : (unsigned long long)max;
	if (num.overflow || num.magnitude > limit) {
		errno = ERANGE;
		return num.negative ? min : max;
	}
	if (num.negative && num.magnitude != 0) /* -(m - 1) - 1: no overflow */
		return -(long long)(num.magnitude - 1) - 1;
	return (long long)num.magnitude;
}

unsigned long long __strto_unsigned(const char *nptr, char **endptr,
				    int base, unsigned long long max)
{
	struct parsed_number num;

	if (!base_is_valid(nptr, endptr, base) ||
	    !parse_number(nptr, endptr, base, &num))
		return 0;
	if (num.overflow || num.magnitude > max) {
		errno = ERANGE;
		return max;
	}
	/* C: "if the subject sequence begins with a minus sign, the value
	 * resulting from the conversion is negated (in the return type)". */
	return num.negative ? (max - num.magnitude + 1) & max : num.magnitude;
}
