/* vsnprintf - C99 formatted output into a bounded buffer (see stdio.h for
 * the supported conversions). This file parses each conversion
 * specification and fetches its arguments; format_integer.c renders them. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* Reads a decimal field width or precision; false if it exceeds INT_MAX. */
static bool parse_decimal(const char **fmt, int *out)
{
	long long value = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		if (value <= INT_MAX)
			value = value * 10 + (**fmt - '0');
	}
	if (value > INT_MAX)
		return false;
	*out = (int)value;
	return true;
}

static const char *parse_flags(const char *p, struct format_spec *spec)
{
	for (;; p++) {
		switch (*p) {
		case '-': spec->left_align = true; break;
		case '+': spec->force_sign = true; break;
		case ' ': spec->space_sign = true; break;
		case '#': spec->alternate = true; break;
		case '0': spec->zero_pad = true; break;
		default: return p;
		}
	}
}

static const char *parse_length(const char *p, enum length_modifier *length)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			*length = LENGTH_HH;
			return p + 2;
		}
		*length = LENGTH_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			*length = LENGTH_LL;
			return p + 2;
		}
		*length = LENGTH_L;
		return p + 1;
	case 'z': *length = LENGTH_Z; return p + 1;
	case 'j': *length = LENGTH_J; return p + 1;
	case 't': *length = LENGTH_T; return p + 1;
	case 'L': *length = LENGTH_LONG_DOUBLE; return p + 1;
	default: *length = LENGTH_NONE; return p;
	}
}

/* Parses the specification after a '%' up to and including the conversion
 * character (not past a terminating NUL), taking `*` values from ap.
 * Returns false if the width or precision does not fit in an int. */
static bool parse_spec(const char **fmt, va_list *ap, struct format_spec *spec)
{
	const char *p = *fmt;

	*spec = (struct format_spec){ .precision = -1 };
	p = parse_flags(p, spec);
	if (*p == '*') {
		int width = va_arg(*ap, int);

		p++;
		if (width == INT_MIN)
			return false;
		if (width < 0) { /* C: a negative `*` width means '-' */
			spec->left_align = true;
			width = -width;
		}
		spec->width = width;
	} else if (!parse_decimal(&p, &spec->width)) {
		return false;
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int precision = va_arg(*ap, int);

			p++;
			spec->precision = precision < 0 ? -1 : precision;
		} else if (!parse_decimal(&p, &spec->precision)) {
			return false;
		}
	}
	p = parse_length(p, &spec->length);
	spec->conversion = *p;
	if (*p != '\0')
		p++;
	*fmt = p;
	return true;
}

static long long fetch_signed(va_list *ap, enum length_modifier length)
{
	switch (length) {
	case LENGTH_HH: return (signed char)va_arg(*ap, int);
	case LENGTH_H: return (short)va_arg(*ap, int);
	case LENGTH_L: return va_arg(*ap, long);
	case LENGTH_LL: return va_arg(*ap, long long);
	case LENGTH_Z: return va_arg(*ap, long); /* signed size_t on LP64 */
	case LENGTH_J: return va_arg(*ap, intmax_t);
	case LENGTH_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(va_list *ap,
					 enum length_modifier length)
{
	switch (length) {
	case LENGTH_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LENGTH_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LENGTH_L: return va_arg(*ap, unsigned long);
	case LENGTH_LL: return va_arg(*ap, unsigned long long);
	case LENGTH_Z: return va_arg(*ap, size_t);
	case LENGTH_J: return va_arg(*ap, uintmax_t);
	case LENGTH_T: return (size_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static void format_signed(struct format_sink *sink,
			  const struct format_spec *spec, va_list *ap)
{
	long long value = fetch_signed(ap, spec->length);
	/* 0 - (unsigned) avoids overflow for LLONG_MIN. */
	unsigned long long magnitude = value < 0 ? 0 - (unsigned long long)value
						 : (unsigned long long)value;

	__format_integer(sink, spec, magnitude, value < 0, true, 10);
}

static void format_string(struct format_sink *sink,
			  const struct format_spec *spec, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);

	/* glibc prints "(null)" only if the precision leaves room for all
	 * of it, and nothing otherwise. */
	if (s == NULL)
		s = spec->precision < 0 || spec->precision >= 6 ? "(null)" : "";
	__format_padded_text(sink, spec, s,
			     spec->precision < 0
				     ? strlen(s)
				     : strnlen(s, (size_t)spec->precision));
}

/* Like glibc: "(nil)" for NULL, else as %#lx (the '+' and ' ' flags too). */
static void format_pointer(struct format_sink *sink,
			   const struct format_spec *spec, va_list *ap)
{
	const void *pointer = va_arg(*ap, const void *);
	struct format_spec hex = *spec;

	if (pointer == NULL) {
		__format_padded_text(sink, spec, "(nil)", 5);
		return;
	}
	hex.alternate = true;
	__format_integer(sink, &hex, (uintptr_t)pointer, false, true, 16);
}

/* Formats the conversion starting at **fmt (a '%') and advances *fmt past
 * it. Returns false on a width or precision above INT_MAX. */
static bool format_conversion(struct format_sink *sink, const char **fmt,
			      va_list *ap)
{
	const char *start = *fmt;
	struct format_spec spec;
	char c;

	*fmt += 1;
	if (!parse_spec(fmt, ap, &spec))
		return false;
	switch (spec.conversion) {
	case 'd': case 'i':
		format_signed(sink, &spec, ap);
		break;
	case 'u':
		__format_integer(sink, &spec, fetch_unsigned(ap, spec.length),
				 false, false, 10);
		break;
	case 'o':
		__format_integer(sink, &spec, fetch_unsigned(ap, spec.length),
				 false, false, 8);
		break;
	case 'x': case 'X':
		__format_integer(sink, &spec, fetch_unsigned(ap, spec.length),
				 false, false, 16);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		__format_padded_text(sink, &spec, &c, 1);
		break;
	case 's':
		format_string(sink, &spec, ap);
		break;
	case 'p':
		format_pointer(sink, &spec, ap);
		break;
	case '%':
		sink_put(sink, '%');
		break;
	case 'n': /* unsupported: consume the pointer, store nothing */
		(void)va_arg(*ap, void *);
		break;
	case 'f': case 'F': case 'e': case 'E':
	case 'g': case 'G': case 'a': case 'A':
		/* No floating point in the kernel; the double stays unread. */
		__format_padded_text(sink, &spec, "?", 1);
		break;
	default: /* unknown or truncated specification: print it as is */
		sink_write(sink, start, (size_t)(*fmt - start));
		break;
	}
	return true;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
	      va_list ap)
{
	struct format_sink sink = { .buf = buf, .size = size, .length = 0 };
	const char *cursor = fmt;
	bool fits_int = true;
	va_list args;

	/* A copy, so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*cursor != '\0' && fits_int) {
		if (*cursor == '%')
			fits_int = format_conversion(&sink, &cursor, &args);
		else
			sink_put(&sink, *cursor++);
	}
	va_end(args);
	if (size > 0)
		buf[sink.length < size ? sink.length : size - 1] = '\0';
	if (!fits_int || sink.length > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)sink.length;
}
