/* libc_check_sort - keel_qsort and keel_bsearch.
 *
 * qsort runs on arrays of many shapes (random, all equal, sorted, reverse,
 * few distinct keys, organ pipe, sawtooth) and sizes (0, 1, 2, ..., 20000)
 * with element sizes 4, 8, 12 and 3 bytes. Each element carries a unique id
 * and its key, so the result must be ordered by key AND be a permutation of
 * the input with every element intact. Comparisons are counted to catch
 * quadratic behaviour; McIlroy's "killer adversary" comparator forces any
 * pure quicksort quadratic, so it exercises the heapsort fallback. bsearch
 * must find every present key and no absent one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc_check.h"

enum shape {
	SHAPE_RANDOM, SHAPE_EQUAL, SHAPE_SORTED, SHAPE_REVERSE, SHAPE_FEW_KEYS,
	SHAPE_ORGAN_PIPE, SHAPE_SAWTOOTH, SHAPE_COUNT,
};

/* Elements of `size` bytes; byte layout: key (up to 4 bytes, big-endian so
 * that the 3-byte case still compares numerically), then id padding. */
struct layout {
	size_t size;
	size_t key_bytes;
};

static const struct layout layouts[] = {
	{ 4, 2 }, { 8, 4 }, { 12, 4 }, { 3, 1 },
};

static size_t current_key_bytes;
static long comparisons;

static uint32_t get_key(const unsigned char *e)
{
	uint32_t key = 0;

	for (size_t i = 0; i < current_key_bytes; i++)
		key = key << 8 | e[i];
	return key;
}

static int compare_keys(const void *a, const void *b)
{
	uint32_t ka = get_key(a), kb = get_key(b);

	comparisons++;
	return (ka > kb) - (ka < kb);
}

static uint32_t shape_key(enum shape shape, size_t i, size_t n, uint32_t max)
{
	switch (shape) {
	case SHAPE_EQUAL: return (uint32_t)(7 % (max + 1ull));
	case SHAPE_SORTED: return (uint32_t)(i * (uint64_t)max / (n ? n : 1));
	case SHAPE_REVERSE:
		return (uint32_t)((n - i) * (uint64_t)max / (n ? n : 1));
	case SHAPE_FEW_KEYS: return (uint32_t)rng_below(4);
	case SHAPE_ORGAN_PIPE:
		return (uint32_t)((i < n / 2 ? i : n - i) % (max + 1ull));
	case SHAPE_SAWTOOTH: return (uint32_t)(i % 17);
	default: return (uint32_t)rng_below(max + 1ull);
	}
}

/* Writes key (big-endian) then the id into the rest of the element. */
static void make_element(unsigned char *e, const struct layout *l,
			 uint32_t key, uint32_t id)
{
	for (size_t i = 0; i < l->key_bytes; i++)
		e[i] = (unsigned char)(key >> (8 * (l->key_bytes - 1 - i)));
	for (size_t i = l->key_bytes; i < l->size; i++)
		e[i] = (unsigned char)(id >> (8 * ((i - l->key_bytes) % 4)));
}

/* Orders whole elements bytewise: sorting input and output this way (with
 * glibc) and comparing proves the output is a permutation of the input. */
static size_t whole_size;

static int compare_whole(const void *a, const void *b)
{
	return memcmp(a, b, whole_size);
}

static void check_one_sort(const struct layout *l, enum shape shape, size_t n)
{
	uint32_t max_key = l->key_bytes >= 4 ? UINT32_MAX
					     : (1u << (8 * l->key_bytes)) - 1;
	unsigned char *data = malloc(n * l->size + 1);
	unsigned char *original = malloc(n * l->size + 1);
	double bound = 8.0 * (double)n * (log2((double)n + 1) + 1) + 64;

	for (size_t i = 0; i < n; i++)
		make_element(data + i * l->size, l,
			     shape_key(shape, i, n, max_key), (uint32_t)i);
	memcpy(original, data, n * l->size);
	current_key_bytes = l->key_bytes;
	comparisons = 0;
	keel_qsort(data, n, l->size, compare_keys);
	if ((double)comparisons > bound)
		check_failed("qsort(size %zu, shape %d, n %zu): %ld comparisons",
			     l->size, shape, n, comparisons);
	for (size_t i = 1; i < n; i++) {
		if (compare_keys(data + (i - 1) * l->size, data + i * l->size) > 0) {
			check_failed("qsort(size %zu, shape %d, n %zu): out of order "
				     "at %zu", l->size, shape, n, i);
			break;
		}
	}
	whole_size = l->size;
	qsort(original, n, l->size, compare_whole);
	qsort(data, n, l->size, compare_whole);
	if (n > 0 && memcmp(original, data, n * l->size) != 0)
		check_failed("qsort(size %zu, shape %d, n %zu): not a permutation "
			     "of the input", l->size, shape, n);
	free(data);
	free(original);
}

/* M. D. McIlroy, "A Killer Adversary for Quicksort" (1999): elements are
 * indices whose values are decided lazily, always so that the pivot
 * candidate turns out small. Unfrozen values ("gas") compare above all
 * frozen ones. */
static int *adversary_value;
static int adversary_gas, adversary_solid, adversary_candidate;

static int compare_adversary(const void *px, const void *py)
{
	int x = *(const int *)px, y = *(const int *)py;

	comparisons++;
	if (adversary_value[x] == adversary_gas &&
	    adversary_value[y] == adversary_gas)
		adversary_value[x == adversary_candidate ? x : y] =
			adversary_solid++;
	if (adversary_value[x] == adversary_gas)
		adversary_candidate = x;
	else if (adversary_value[y] == adversary_gas)
		adversary_candidate = y;
	return (adversary_value[x] > adversary_value[y]) -
	       (adversary_value[x] < adversary_value[y]);
}

static long check_adversary(void)
{
	static const int sizes[] = { 100, 1000, 5000, 20000 };
	long cases = 0;

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++, cases++) {
		int n = sizes[s];
		int *items = malloc((size_t)n * sizeof(int));
		double bound = 8.0 * n * (log2((double)n) + 1);

		adversary_value = malloc((size_t)n * sizeof(int));
		adversary_gas = n;
		adversary_solid = 0;
		adversary_candidate = 0;
		for (int i = 0; i < n; i++) {
			items[i] = i;
			adversary_value[i] = adversary_gas;
		}
		comparisons = 0;
		keel_qsort(items, (size_t)n, sizeof(int), compare_adversary);
		if ((double)comparisons > bound)
			check_failed("qsort adversary n %d: %ld comparisons (bound "
				     "%.0f): quadratic", n, comparisons, bound);
		for (int i = 1; i < n; i++) {
			if (adversary_value[items[i - 1]] > adversary_value[items[i]]) {
				check_failed("qsort adversary n %d: out of order at %d",
					     n, i);
				break;
			}
		}
		free(items);
		free(adversary_value);
	}
	return cases;
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static long check_bsearch(void)
{
	long cases = 0;

	for (size_t n = 0; n < 200; n++) {
		int *array = malloc((n + 1) * sizeof(int));

		for (size_t i = 0; i < n; i++)
			array[i] = (int)(2 * i + (i > n / 2)); /* even, one gap */
		for (int key = -2; key <= (int)(2 * n + 2); key++, cases++) {
			int *found = keel_bsearch(&key, array, n, sizeof(int),
						  compare_ints);
			int *expected = bsearch(&key, array, n, sizeof(int),
						compare_ints);

			if ((found == NULL) != (expected == NULL) ||
			    (found != NULL && *found != key))
				check_failed("bsearch(n %zu, key %d): keel %p, "
					     "glibc %p", n, key, (void *)found,
					     (void *)expected);
		}
		free(array);
	}
	return cases;
}

long check_sort(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 16, 17, 31, 32, 33, 64,
		100, 127, 257, 1000, 1023, 4096, 20000,
	};
	long cases = 0;

	for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
		for (int shape = 0; shape < SHAPE_COUNT; shape++) {
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]);
			     s++, cases++)
				check_one_sort(&layouts[l], shape, sizes[s]);
			for (int r = 0; r < 20; r++, cases++)
				check_one_sort(&layouts[l], shape, rng_below(300));
		}
	}
	return cases + check_adversary() + check_bsearch();
}
