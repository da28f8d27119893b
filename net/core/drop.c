/* drop.c - drop reason counters, names and their "drops:" lines
 * (net/core/drop.h). The name and layer tables are generated from the
 * layers' X-macro lists, the same lists the enum is made of. */
#include "net/core/drop.h"

#include "net/core/stats_print.h"

#define ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

static uint64_t drop_counts[NET_DROP_REASON_TOTAL];

#define REASON_NAME(constant, name) [constant] = #name,
#define LAYER_NAMES(layer, REASONS) REASONS(REASON_NAME)
static const char *const drop_reason_names[] = {
	[NET_DROP_NONE] = "none",
	NET_DROP_LAYERS(LAYER_NAMES)
};
_Static_assert(ARRAY_LENGTH(drop_reason_names) == NET_DROP_REASON_TOTAL, "every drop reason has a name");

/* How many reasons each layer has: its reasons follow the previous layer's. */
#define COUNT_ONE(constant, name) + 1
#define LAYER_SIZE(layer, REASONS) [NET_DROP_LAYER_##layer] = 0 REASONS(COUNT_ONE),
static const unsigned layer_sizes[] = { NET_DROP_LAYERS(LAYER_SIZE) };
_Static_assert(ARRAY_LENGTH(layer_sizes) == NET_DROP_LAYER_COUNT, "every drop layer has a size");
#define ADD_LAYER_SIZE(layer, REASONS) + (0 REASONS(COUNT_ONE))
_Static_assert(1 NET_DROP_LAYERS(ADD_LAYER_SIZE) == NET_DROP_REASON_TOTAL, "the layers' lists make the enum");

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	if ((unsigned)reason < NET_DROP_REASON_TOTAL)
		drop_counts[reason]++;
	pkt_free(pkt);
}

uint64_t net_drop_count(enum net_drop_reason reason)
{
	return (unsigned)reason < NET_DROP_REASON_TOTAL ? drop_counts[reason] : 0;
}

const char *net_drop_reason_name(enum net_drop_reason reason)
{
	return (unsigned)reason < NET_DROP_REASON_TOTAL ? drop_reason_names[reason] : "unknown";
}

static void print_reasons(unsigned first, unsigned end)
{
	struct stats_line line;
	stats_line_start(&line, "drops:");
	for (unsigned reason = first; reason < end; reason++)
		stats_line_add(&line, drop_reason_names[reason], drop_counts[reason]);
	stats_line_finish(&line);
}

void net_drop_print(void)
{
	print_reasons(NET_DROP_NONE + 1, NET_DROP_REASON_TOTAL);
}

void net_drop_print_layer(enum net_drop_layer layer)
{
	if ((unsigned)layer >= NET_DROP_LAYER_COUNT)
		return;
	unsigned first = NET_DROP_NONE + 1;
	for (unsigned before = 0; before < layer; before++)
		first += layer_sizes[before];
	print_reasons(first, first + layer_sizes[layer]);
}

#define LAYER_NAME(layer, REASONS) [NET_DROP_LAYER_##layer] = #layer,
static const char *const layer_names[] = { NET_DROP_LAYERS(LAYER_NAME) };

enum net_drop_layer net_drop_reason_layer(enum net_drop_reason reason)
{
	unsigned first = NET_DROP_NONE + 1;
	for (unsigned layer = 0; layer < NET_DROP_LAYER_COUNT; layer++) {
		if ((unsigned)reason < first + layer_sizes[layer])
			return (enum net_drop_layer)layer;
		first += layer_sizes[layer];
	}
	return NET_DROP_LAYER_COUNT;
}

const char *net_drop_layer_name(enum net_drop_layer layer)
{
	return (unsigned)layer < NET_DROP_LAYER_COUNT ? layer_names[layer] : "unknown";
}
