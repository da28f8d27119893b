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
/* Weak: an image (or a host test) may declare no template at all. */
extern const struct sysctl_template *const __start_sysctl_templates[] __attribute__((weak));
extern const struct sysctl_template *const __stop_sysctl_templates[] __attribute__((weak));

#define SYSCTL_NAME_LENGTH 128
#define SYSCTL_INSTANCE_LENGTH 32

/* A template instance as a table entry: what lookups and listings hand out. */
struct instance_entry {
	struct sysctl_integer entry;
	char name[SYSCTL_NAME_LENGTH];
};

static bool instance_entry_fill(struct instance_entry *out, const struct sysctl_template *template, const char *instance)
{
	int64_t *value = template->value_of(instance);
	if (value == NULL)
		return false;
	snprintf(out->name, sizeof(out->name), "%s%s%s", template->prefix, instance, template->suffix);
	out->entry = (struct sysctl_integer){ out->name, value, template->minimum, template->maximum, NULL };
	return true;
}

/* The template name belongs to, with its instance's name; NULL when none. */
static const struct sysctl_template *template_of(const char *name, char instance[SYSCTL_INSTANCE_LENGTH])
{
	size_t length = strlen(name);
	for (const struct sysctl_template *const *at = __start_sysctl_templates; at < __stop_sysctl_templates; at++) {
		const struct sysctl_template *template = *at;
		size_t prefix = strlen(template->prefix), suffix = strlen(template->suffix);
		if (length <= prefix + suffix || strncmp(name, template->prefix, prefix) != 0 ||
		    strcmp(name + length - suffix, template->suffix) != 0)
			continue;
		size_t instance_length = length - prefix - suffix;
		if (instance_length >= SYSCTL_INSTANCE_LENGTH || memchr(name + prefix, '.', instance_length))
			continue;
		memcpy(instance, name + prefix, instance_length);
		instance[instance_length] = '\0';
		return template;
	}
	return NULL;
}

/* The declaration for name, or NULL; a template instance's entry lives in
 * one static slot until the next call. */
static const struct sysctl_integer *sysctl_find(const char *name)
{
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++)
		if (strcmp(entry->name, name) == 0)
			return entry;
	static struct instance_entry found;
	char instance[SYSCTL_INSTANCE_LENGTH];
	const struct sysctl_template *template = template_of(name, instance);
	return template && instance_entry_fill(&found, template, instance) ? &found.entry : NULL;
}

void sysctl_for_each(void (*visit)(const struct sysctl_integer *entry, void *context), void *context)
{
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++)
		visit(entry, context);
	for (const struct sysctl_template *const *at = __start_sysctl_templates; at < __stop_sysctl_templates; at++) {
		const char *instance;
		for (unsigned index = 0; (instance = (*at)->instance_name(index)) != NULL; index++) {
			struct instance_entry listed;
			if (instance_entry_fill(&listed, *at, instance))
				visit(&listed.entry, context);
		}
	}
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

/* The command line's passes: every name but template instances first
 * (at boot, before the devices exist), then the instances. */
enum apply_pass { APPLY_DECLARED, APPLY_TEMPLATES };

static void apply_one(const char *key, const char *text, void *context)
{
	enum apply_pass pass = *(const enum apply_pass *)context;
	const char *name = key + strlen("sysctl.");
	/* Linux accepts '/' as the separator too (sysctl(8)). */
	char normalized[SYSCTL_NAME_LENGTH];
	strlcpy(normalized, name, sizeof(normalized));
	for (char *c = normalized; *c; c++)
		if (*c == '/')
			*c = '.';
	char instance[SYSCTL_INSTANCE_LENGTH];
	bool declared = false;
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++)
		declared |= strcmp(entry->name, normalized) == 0;
	/* A template instance waits for the second pass (its device may not
	 * exist yet); everything else, unknown names included, is the first's. */
	bool instance_name = !declared && template_of(normalized, instance) != NULL;
	if (instance_name != (pass == APPLY_TEMPLATES))
		return;
	const struct sysctl_integer *entry = sysctl_find(normalized);
	if (entry == NULL) {
		pr_warn("sysctl: unknown tunable '%s' ignored\n", normalized);
		return;
	}
	if (entry->vector) {
		apply_vector(normalized, entry->vector, text);
		return;
	}
	if (!sysctl_set_value(entry, text)) {
		pr_warn("sysctl: %s=%s rejected (an integer from %lld to %lld), keeping %lld\n", normalized, text,
			(long long)entry->minimum, (long long)entry->maximum, (long long)*entry->value);
		return;
	}
	pr_info("sysctl: %s = %lld\n", normalized, (long long)*entry->value);
}

void sysctl_apply_cmdline(void)
{
	/* Aliases first: the Linux name, applied after, wins when both are given. */
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++) {
		const char *text = entry->vector && entry->vector->alias ? cmdline_get(entry->vector->alias) : NULL;
		if (text)
			apply_vector(entry->vector->alias, entry->vector, text);
	}
	enum apply_pass pass = APPLY_DECLARED;
	cmdline_for_each_prefix("sysctl.", apply_one, &pass);
}

void sysctl_apply_cmdline_templates(void)
{
	enum apply_pass pass = APPLY_TEMPLATES;
	cmdline_for_each_prefix("sysctl.", apply_one, &pass);
}

static void print_one(const struct sysctl_integer *entry, void *context)
{
	if (entry->vector) {
		char current[96];
		entry->vector->format(entry->vector->target, current, sizeof(current));
		pr_info("  %-36s = %s (%s)\n", entry->name, current, entry->vector->syntax);
		return;
	}
	pr_info("  %-36s = %lld (%lld..%lld)\n", entry->name, (long long)*entry->value, (long long)entry->minimum,
		(long long)entry->maximum);
}

void sysctl_print_all(void)
{
	pr_info("sysctl: tunables (sysctl.<name>=<value>):\n");
	sysctl_for_each(print_one, NULL);
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
	char normalized[SYSCTL_NAME_LENGTH];
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
