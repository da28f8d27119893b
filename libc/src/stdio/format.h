/* format.h - internals shared by the printf family: the bounded output sink
 * and one parsed conversion specification.
 *
 * The sink counts every byte the full output would have (the C99 return
 * value) but stores only the first size-1; vsnprintf adds the NUL. */
#ifndef KEEL_STDIO_FORMAT_H
#define KEEL_STDIO_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct format_sink {
	char *buf;     /* may be NULL when size is 0 */
	size_t size;   /* capacity of buf, including the NUL */
	size_t length; /* bytes produced so far, stored or not */
};

enum length_modifier {
	LENGTH_NONE,
	LENGTH_HH,
	LENGTH_H,
	LENGTH_L,
	LENGTH_LL,
	LENGTH_Z,
	LENGTH_J,
	LENGTH_T,
	LENGTH_LONG_DOUBLE, /* 'L': accepted, but floats are not supported */
};

struct format_spec {
	bool left_align;   /* '-' */
	bool force_sign;   /* '+' */
	bool space_sign;   /* ' ' */
	bool alternate;    /* '#' */
	bool zero_pad;     /* '0' */
	int width;         /* >= 0 */
	int precision;     /* -1 when absent */
	enum length_modifier length;
	char conversion;
};

static inline void sink_put(struct format_sink *sink, char c)
{
	if (sink->length + 1 < sink->size)
		sink->buf[sink->length] = c;
	sink->length++;
}

static inline void sink_write(struct format_sink *sink, const char *s,
			      size_t n)
{
	while (n-- > 0)
		sink_put(sink, *s++);
}

static inline void sink_pad(struct format_sink *sink, char c, size_t n)
{
	while (n-- > 0)
		sink_put(sink, c);
}

/* Prints a magnitude in base 8, 10 or 16 with the sign, prefix, precision
 * and padding rules of %d %u %o %x %X %p (glibc's behaviour for the flags
 * C leaves undefined). is_signed allows the '+' and ' ' flags. */
void __format_integer(struct format_sink *sink,
		      const struct format_spec *spec,
		      unsigned long long magnitude, bool negative,
		      bool is_signed, unsigned base);

/* Prints n bytes of s padded to the width with spaces (also with '0'). */
void __format_padded_text(struct format_sink *sink,
			  const struct format_spec *spec, const char *s,
			  size_t n);

#endif
