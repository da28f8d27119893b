/* qsort - introsort: quicksort with a median-of-three pivot, heapsort once
 * the partitioning depth exceeds 2*log2(n) (so the worst case stays
 * O(n log n)), and insertion sort for small ranges.
 *
 * Stack use is bounded: we recurse only into the smaller partition and loop
 * on the larger, so the recursion is at most log2(n) deep. Not stable. */
#include <stdint.h>
#include <stdlib.h>

typedef int (*compare_fn)(const void *, const void *);

enum { INSERTION_SORT_MAX = 12 };

static void swap_elements(char *a, char *b, size_t size)
{
	if (a == b)
		return;
	/* __builtin_memcpy of 8 bytes compiles to plain loads and stores. */
	for (; size >= sizeof(uint64_t); size -= 8, a += 8, b += 8) {
		uint64_t tmp;

		__builtin_memcpy(&tmp, a, 8);
		__builtin_memcpy(a, b, 8);
		__builtin_memcpy(b, &tmp, 8);
	}
	for (; size > 0; size--, a++, b++) {
		char tmp = *a;

		*a = *b;
		*b = tmp;
	}
}

static void insertion_sort(char *base, size_t n, size_t size, compare_fn cmp)
{
	for (size_t i = 1; i < n; i++) {
		for (char *p = base + i * size;
		     p > base && cmp(p - size, p) > 0; p -= size)
			swap_elements(p - size, p, size);
	}
}

/* Restores the max-heap property of base[0, n) below node `root`. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
		      compare_fn cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_elements(base + root * size, base + child * size, size);
		root = child;
	}
}

static void heap_sort(char *base, size_t n, size_t size, compare_fn cmp)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(base, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_elements(base, base + end * size, size);
		sift_down(base, 0, end, size, cmp);
	}
}

static void order_pair(char *a, char *b, size_t size, compare_fn cmp)
{
	if (cmp(a, b) > 0)
		swap_elements(a, b, size);
}

/* Partitions base[0, n), n > 2, around a median-of-three pivot and returns
 * the pivot's final index: before it nothing is greater, after it nothing
 * is smaller. Equal keys stop both scans, so runs of equal elements split
 * evenly instead of degrading to O(n^2). */
static size_t partition(char *base, size_t n, size_t size, compare_fn cmp)
{
	char *mid = base + (n / 2) * size;
	char *last = base + (n - 1) * size;
	size_t i = 1;
	size_t j = n - 1;

	order_pair(base, mid, size, cmp);
	order_pair(mid, last, size, cmp);
	order_pair(base, mid, size, cmp);
	swap_elements(base, mid, size); /* pivot lives at base[0] */
	for (;;) {
		while (i <= j && cmp(base + i * size, base) < 0)
			i++;
		while (i <= j && cmp(base + j * size, base) > 0)
			j--;
		if (i >= j)
			break;
		swap_elements(base + i * size, base + j * size, size);
		i++;
		j--;
	}
	swap_elements(base, base + j * size, size);
	return j;
}

static void intro_sort(char *base, size_t n, size_t size, compare_fn cmp,
		       unsigned depth_budget)
{
	while (n > INSERTION_SORT_MAX) {
		size_t pivot, left_n, right_n;
		char *right;

		if (depth_budget == 0) {
			heap_sort(base, n, size, cmp);
			return;
		}
		depth_budget--;
		pivot = partition(base, n, size, cmp);
		left_n = pivot;
		right_n = n - pivot - 1;
		right = base + (pivot + 1) * size;
		if (left_n < right_n) {
			intro_sort(base, left_n, size, cmp, depth_budget);
			base = right;
			n = right_n;
		} else {
			intro_sort(right, right_n, size, cmp, depth_budget);
			n = left_n;
		}
	}
	insertion_sort(base, n, size, cmp);
}

void qsort(void *base, size_t nmemb, size_t size, compare_fn compar)
{
	unsigned log2_n = 0;

	if (nmemb < 2 || size == 0)
		return;
	for (size_t n = nmemb; n > 1; n >>= 1)
		log2_n++;
	intro_sort(base, nmemb, size, compar, 2 * log2_n);
}
