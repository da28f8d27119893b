/* strspn, strcspn - length of the prefix of s made only of bytes in accept /
 * of bytes not in reject. A 256-bit set makes each O(len(s) + len(set)). */
#include <stdint.h>
#include <string.h>

struct byte_set {
	uint64_t bits[4];
};

static void byte_set_fill(struct byte_set *set, const char *members)
{
	const unsigned char *m = (const unsigned char *)members;

	set->bits[0] = set->bits[1] = set->bits[2] = set->bits[3] = 0;
	for (; *m != '\0'; m++)
		set->bits[*m / 64] |= UINT64_C(1) << (*m % 64);
}

static int byte_set_has(const struct byte_set *set, unsigned char byte)
{
	return (set->bits[byte / 64] >> (byte % 64)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	struct byte_set set;
	size_t len = 0;

	byte_set_fill(&set, accept);
	while (s[len] != '\0' && byte_set_has(&set, (unsigned char)s[len]))
		len++;
	return len;
}

size_t strcspn(const char *s, const char *reject)
{
	struct byte_set set;
	size_t len = 0;

	byte_set_fill(&set, reject);
	while (s[len] != '\0' && !byte_set_has(&set, (unsigned char)s[len]))
		len++;
	return len;
}
