/* siphash.c - SipHash-2-4, written from the paper's section 2: two
 * compression rounds per 8-byte little-endian word, four finalization
 * rounds; the last word carries the length in its top byte. */
#include "net/core/siphash.h"

#include <string.h>

static inline uint64_t rotate_left(uint64_t value, unsigned bits) { return value << bits | value >> (64 - bits); }

struct siphash_state {
	uint64_t v0, v1, v2, v3;
};

static void sip_round(struct siphash_state *s)
{
	s->v0 += s->v1; s->v1 = rotate_left(s->v1, 13); s->v1 ^= s->v0; s->v0 = rotate_left(s->v0, 32);
	s->v2 += s->v3; s->v3 = rotate_left(s->v3, 16); s->v3 ^= s->v2;
	s->v0 += s->v3; s->v3 = rotate_left(s->v3, 21); s->v3 ^= s->v0;
	s->v2 += s->v1; s->v1 = rotate_left(s->v1, 17); s->v1 ^= s->v2; s->v2 = rotate_left(s->v2, 32);
}

static void compress(struct siphash_state *s, uint64_t word)
{
	s->v3 ^= word;
	sip_round(s);
	sip_round(s);
	s->v0 ^= word;
}

uint64_t siphash_2_4(const struct siphash_key *key, const void *data, size_t length)
{
	/* "somepseudorandomlygeneratedbytes", the paper's initialization constants. */
	struct siphash_state s = {
		key->k0 ^ 0x736f6d6570736575ull, key->k1 ^ 0x646f72616e646f6dull,
		key->k0 ^ 0x6c7967656e657261ull, key->k1 ^ 0x7465646279746573ull,
	};
	const uint8_t *bytes = data;
	size_t whole = length - length % 8;
	for (size_t i = 0; i < whole; i += 8) {
		uint64_t word;
		memcpy(&word, bytes + i, 8);  /* little-endian load on x86 */
		compress(&s, word);
	}
	uint64_t last = (uint64_t)(length & 0xFF) << 56;
	for (size_t i = whole; i < length; i++)
		last |= (uint64_t)bytes[i] << (8 * (i - whole));
	compress(&s, last);
	s.v2 ^= 0xFF;
	for (int i = 0; i < 4; i++)
		sip_round(&s);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
