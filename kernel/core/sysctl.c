/* sysctl.c - see sysctl.h. */
#include "kernel/core/sysctl.h"
#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

CMDLINE_KEY("sysctl.", "sysctl.<name>=<value> sets a tunable, as Linux");

extern const struct sysctl_integer __start_sysctls[];
extern const struct sysctl_integer __stop_sysctls[];

/* The declaration for name, or NULL. */
static const struct sysctl_integer *sysctl_find(const char *name)
{
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++)
		if (strcmp(entry->name, name) == 0)
			return entry;
	return NULL;
}

/* A vector tunable's value through its own parser; the same warning shape as integers. */
static void apply_vector(const char *name, const struct sysctl_vector *vector, const char *text)
{
	char current[96];
	vector->format(vector->target, current, sizeof(current));
	if (!vector->parse(text, vector->target)) {
		pr_warn("sysctl: %s=%s rejected (want %s), keeping %s\n", name, text, vector->syntax, current);
		return;
	}
	vector->format(vector->target, current, sizeof(current));
	pr_info("sysctl: %s = %s\n", name, current);
}

static void apply_one(const char *key, const char *text, void *context)
{
	(void)context;
	const char *name = key + strlen("sysctl.");
	/* Linux accepts '/' as the separator too (sysctl(8)). */
	char normalized[128];
	strlcpy(normalized, name, sizeof(normalized));
	for (char *c = normalized; *c; c++)
		if (*c == '/')
			*c = '.';
	const struct sysctl_integer *entry = sysctl_find(normalized);
	if (entry == NULL) {
		pr_warn("sysctl: unknown tunable '%s' ignored\n", normalized);
		return;
	}
	if (entry->vector) {
		apply_vector(normalized, entry->vector, text);
		return;
	}
	char *end;
	errno = 0;
	long long value = strtoll(text, &end, 0);
	if (end == text || *end != '\0' || errno != 0 || value < entry->minimum || value > entry->maximum) {
		pr_warn("sysctl: %s=%s rejected (an integer from %lld to %lld), keeping %lld\n", normalized, text,
			(long long)entry->minimum, (long long)entry->maximum, (long long)*entry->value);
		return;
	}
	*entry->value = value;
	pr_info("sysctl: %s = %lld\n", normalized, value);
}

void sysctl_apply_cmdline(void)
{
	/* Aliases first: the Linux name, applied after, wins when both are given. */
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++) {
		const char *text = entry->vector && entry->vector->alias ? cmdline_get(entry->vector->alias) : NULL;
		if (text)
			apply_vector(entry->vector->alias, entry->vector, text);
	}
	cmdline_for_each_prefix("sysctl.", apply_one, NULL);
}

void sysctl_print_all(void)
{
	pr_info("sysctl: tunables (sysctl.<name>=<value>):\n");
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++) {
		if (entry->vector) {
			char current[96];
			entry->vector->format(entry->vector->target, current, sizeof(current));
			pr_info("  %-36s = %s (%s)\n", entry->name, current, entry->vector->syntax);
			continue;
		}
		pr_info("  %-36s = %lld (%lld..%lld)\n", entry->name, (long long)*entry->value,
			(long long)entry->minimum, (long long)entry->maximum);
	}
}

const struct sysctl_integer *sysctl_first(void)
{
	return __start_sysctls;
}

const struct sysctl_integer *sysctl_end(void)
{
	return __stop_sysctls;
}

const struct sysctl_integer *sysctl_lookup(const char *name)
{
	char normalized[128];
	if (strlcpy(normalized, name, sizeof(normalized)) >= sizeof(normalized))
		return NULL;
	for (char *c = normalized; *c; c++)
		if (*c == '/')
			*c = '.';
	return sysctl_find(normalized);
}

void sysctl_format_value(const struct sysctl_integer *entry, char *out, size_t size)
{
	if (entry->vector)
		entry->vector->format(entry->vector->target, out, size);
	else
		snprintf(out, size, "%lld", (long long)*entry->value);
}

bool sysctl_set_value(const struct sysctl_integer *entry, const char *text)
{
	if (entry->vector)
		return entry->vector->parse(text, entry->vector->target);
	char *end;
	errno = 0;
	long long value = strtoll(text, &end, 0);
	if (end == text || *end != '\0' || errno != 0 || value < entry->minimum || value > entry->maximum)
		return false;
	*entry->value = value;
	return true;
}
