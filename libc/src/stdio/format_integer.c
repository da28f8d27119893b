/* __format_integer, __format_padded_text - render one converted value
 * into the sink (see format.h). Layout of an integer field:
 *
 *   [spaces][sign][0x][precision/zero-pad zeros][digits][spaces if '-']
 */
#include "format.h"

static size_t to_digits(char *out_end, unsigned long long value,
			unsigned base, bool upper)
{
	const char *digit_chars = upper ? "0123456789ABCDEF"
					: "0123456789abcdef";
	char *p = out_end;

	while (value != 0) {
		*--p = digit_chars[value % base];
		value /= base;
	}
	return (size_t)(out_end - p);
}

static size_t field_padding(const struct format_spec *spec, size_t used)
{
	return (size_t)spec->width > used ? (size_t)spec->width - used : 0;
}

void __format_integer(struct format_sink *sink,
		      const struct format_spec *spec,
		      unsigned long long magnitude, bool negative,
		      bool is_signed, unsigned base)
{
	char digits[24]; /* 22 octal digits hold 64 bits */
	size_t digit_count = to_digits(digits + sizeof(digits), magnitude, base,
				       spec->conversion == 'X');
	size_t precision = spec->precision < 0 ? 1 : (size_t)spec->precision;
	size_t zeros = precision > digit_count ? precision - digit_count : 0;
	char sign = 0;
	const char *radix_prefix = "";
	size_t radix_prefix_len;
	size_t used, pad;

	if (negative)
		sign = '-';
	else if (is_signed && spec->force_sign)
		sign = '+';
	else if (is_signed && spec->space_sign)
		sign = ' ';
	/* 0 gets no 0x prefix (C says so; glibc agrees). */
	if (base == 16 && spec->alternate && magnitude != 0)
		radix_prefix = spec->conversion == 'X' ? "0X" : "0x";
	/* %#o: the first digit printed must be a 0. Nonzero magnitudes never
	 * start with one, and 0 prints as a zero from `zeros` if at all. */
	if (base == 8 && spec->alternate && zeros == 0)
		zeros = 1;

	radix_prefix_len = radix_prefix[0] == '\0' ? 0 : 2;
	used = (sign != 0) + radix_prefix_len + zeros + digit_count;
	if (spec->zero_pad && !spec->left_align && spec->precision < 0) {
		size_t fill = field_padding(spec, used);

		zeros += fill;
		used += fill;
	}
	pad = field_padding(spec, used);
	if (!spec->left_align)
		sink_pad(sink, ' ', pad);
	if (sign != 0)
		sink_put(sink, sign);
	sink_write(sink, radix_prefix, radix_prefix_len);
	sink_pad(sink, '0', zeros);
	sink_write(sink, digits + sizeof(digits) - digit_count, digit_count);
	if (spec->left_align)
		sink_pad(sink, ' ', pad);
}

void __format_padded_text(struct format_sink *sink,
			  const struct format_spec *spec, const char *s,
			  size_t n)
{
	size_t pad = field_padding(spec, n);

	if (!spec->left_align)
		sink_pad(sink, ' ', pad);
	sink_write(sink, s, n);
	if (spec->left_align)
		sink_pad(sink, ' ', pad);
}
