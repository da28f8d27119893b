/* sysctl_defaults.c - see sysctl_defaults.h. Every tunable is remembered as
 * the text `sysctl` prints for it and put back through sysctl_set_value, so
 * vector tunables (tcp_rmem, ip_forward, which sets every device) and the
 * per-device template instances are restored like plain integers. */
#include "tests/fuzz/sysctl_defaults.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/core/sysctl.h"

#define TUNABLES_MAX 256
#define NAME_MAX_LENGTH 64
#define VALUE_MAX_LENGTH 64

struct saved_tunable {
	char name[NAME_MAX_LENGTH];
	char value[VALUE_MAX_LENGTH];
};

static struct saved_tunable saved[TUNABLES_MAX];
static unsigned saved_count;
static const char *harness_name;

static void fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", harness_name, what);
	abort();
}

static void save_one(const struct sysctl_integer *entry, void *context)
{
	(void)context;
	if (saved_count == TUNABLES_MAX)
		fail("more sysctls than TUNABLES_MAX");
	struct saved_tunable *slot = &saved[saved_count++];
	snprintf(slot->name, sizeof(slot->name), "%s", entry->name);
	sysctl_format_value(entry, slot->value, sizeof(slot->value));
}

void sysctl_defaults_save(const char *harness)
{
	harness_name = harness;
	saved_count = 0;
	sysctl_for_each(save_one, NULL);
}

struct restore_walk {
	unsigned index;
	bool out_of_range;
};

static void restore_one(const struct sysctl_integer *entry, void *context)
{
	struct restore_walk *walk = context;
	if (walk->index >= saved_count || strcmp(saved[walk->index].name, entry->name) != 0)
		fail("the sysctl table changed between inputs");
	const struct saved_tunable *slot = &saved[walk->index++];
	if (entry->value && (*entry->value < entry->minimum || *entry->value > entry->maximum))
		walk->out_of_range = true;
	char now[VALUE_MAX_LENGTH];
	sysctl_format_value(entry, now, sizeof(now));
	if (strcmp(now, slot->value) != 0 && !sysctl_set_value(entry, slot->value))
		fail("a sysctl's boot value was refused on restore");
}

void sysctl_defaults_check_and_restore(void)
{
	struct restore_walk walk = { 0, false };
	sysctl_for_each(restore_one, &walk);
	if (walk.out_of_range)
		fail("a sysctl set outside its declared range");
}
