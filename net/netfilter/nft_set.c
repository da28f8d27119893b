/* nft_set.c - set lookup in O(1) or O(log n), never by scanning: a set of
 * single values becomes an open-addressing hash table (load at most 1/2);
 * a set with prefixes or ranges becomes its intervals sorted and merged,
 * searched by bisection. Built once when the set is loaded; read-only
 * afterwards. */
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft_internal.h"

/* A multiplicative hash (Knuth's 2^32 / golden ratio): the values are
 * addresses and ports written by the administrator, not chosen by a peer,
 * so a keyed hash is not needed to keep the table balanced. */
static uint32_t value_hash(uint32_t value) { return value * 2654435761u; }

static int build_hash(struct nft_set *set)
{
	uint32_t slots = 8;
	while (slots < set->element_count * 2)
		slots *= 2;
	set->hash_slots = calloc(slots, sizeof(uint32_t));
	if (set->hash_slots == NULL)
		return -1;
	set->hash_mask = slots - 1;
	for (uint32_t i = 0; i < set->element_count; i++) {
		uint32_t value = set->elements[i].low;
		for (uint32_t slot = value_hash(value) & set->hash_mask;; slot = (slot + 1) & set->hash_mask) {
			if (set->hash_slots[slot] == 0) {
				set->hash_slots[slot] = value + 1;
				break;
			}
			if (set->hash_slots[slot] == value + 1)
				break;
		}
	}
	return 0;
}

static int compare_low(const void *a, const void *b)
{
	const struct nft_element *left = a, *right = b;
	return left->low < right->low ? -1 : left->low > right->low;
}

static int build_intervals(struct nft_set *set)
{
	set->intervals = malloc(set->element_count * sizeof(struct nft_element) + 1);
	if (set->intervals == NULL)
		return -1;
	memcpy(set->intervals, set->elements, set->element_count * sizeof(struct nft_element));
	qsort(set->intervals, set->element_count, sizeof(struct nft_element), compare_low);
	uint32_t merged = 0;
	for (uint32_t i = 0; i < set->element_count; i++) {
		struct nft_element *last = merged ? &set->intervals[merged - 1] : NULL;
		const struct nft_element *next = &set->intervals[i];
		if (last && (last->high == UINT32_MAX || next->low <= last->high + 1)) {
			if (next->high > last->high)
				last->high = next->high;
		} else {
			set->intervals[merged++] = *next;
		}
	}
	set->interval_count = merged;
	return 0;
}

int nft_set_build_index(struct nft_set *set)
{
	bool values_only = true;
	for (uint32_t i = 0; i < set->element_count; i++)
		if (set->elements[i].low != set->elements[i].high || set->elements[i].low == UINT32_MAX)
			values_only = false;
	return values_only ? build_hash(set) : build_intervals(set);
}

bool nft_set_contains(const struct nft_set *set, uint32_t value)
{
	if (set->hash_slots) {
		for (uint32_t slot = value_hash(value) & set->hash_mask;; slot = (slot + 1) & set->hash_mask) {
			if (set->hash_slots[slot] == 0)
				return false;
			if (set->hash_slots[slot] == value + 1)
				return true;
		}
	}
	uint32_t low = 0, high = set->interval_count;
	while (low < high) {
		uint32_t middle = low + (high - low) / 2;
		const struct nft_element *interval = &set->intervals[middle];
		if (value < interval->low)
			high = middle;
		else if (value > interval->high)
			low = middle + 1;
		else
			return true;
	}
	return false;
}

void nft_set_put(struct nft_set *set)
{
	if (set == NULL || --set->references > 0)
		return;
	free(set->elements);
	free(set->hash_slots);
	free(set->intervals);
	free(set);
}
