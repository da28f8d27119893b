/* sysctl.h - tunables named as Linux names them (net.core.dev_weight, ...),
 * set from the command line with `sysctl.<name>=<value>` like Linux 5.8+.
 * A tunable is declared once, next to the variable it sets, with SYSCTL_INTEGER
 * (one integer in a range) or SYSCTL_VECTOR (a value of its own syntax, such
 * as tcp_rmem's three numbers, parsed and printed by its owner);
 * sysctl_apply_cmdline() sets every one named on the command line, refusing
 * (with one warning line, keeping the old value) malformed or out-of-range
 * values and names nobody declared.
 *
 * A vector tunable may name an older keel.* command-line key as its alias:
 * the alias is applied first, so the Linux name wins when both are given. */
#ifndef KEEL_SYSCTL_H
#define KEEL_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A tunable that is not one integer. parse returns false, leaving target
 * unchanged, when text is malformed; format writes the current value. */
struct sysctl_vector {
	void *target;
	bool (*parse)(const char *text, void *target);
	void (*format)(const void *target, char *out, size_t size);
	const char *syntax;        /* what a valid value looks like, for the warning */
	const char *alias;         /* an older command-line key for the same tunable, or NULL */
};

struct sysctl_integer {
	const char *name;
	int64_t *value;            /* NULL for a vector tunable */
	int64_t minimum;
	int64_t maximum;
	const struct sysctl_vector *vector;
};

#define SYSCTL_INTEGER(sysctl_name, variable, lowest, highest)                                   \
	static const struct sysctl_integer sysctl_entry_##variable                               \
		__attribute__((used, section(".sysctls"), aligned(8))) = { sysctl_name, &variable, lowest, highest, NULL }

#define SYSCTL_VECTOR(sysctl_name, descriptor)                                                   \
	static const struct sysctl_integer sysctl_entry_##descriptor                             \
		__attribute__((used, section(".sysctls"), aligned(8))) = { sysctl_name, NULL, 0, 0, &descriptor }

/* A family of integer tunables, one per instance, named
 * "<prefix><instance><suffix>" (Linux's net.ipv4.conf.<dev>.rp_filter): the
 * owner declares the family once with SYSCTL_TEMPLATE and answers for its
 * instances (a device appears, its tunables with it); lookup, setting,
 * listing and the command line treat an instance as any other tunable. */
struct sysctl_template {
	const char *prefix;        /* "net.ipv4.conf." */
	const char *suffix;        /* ".rp_filter" */
	int64_t minimum;
	int64_t maximum;
	/* The instance's variable, or NULL when there is no such instance. */
	int64_t *(*value_of)(const char *instance);
	/* The index-th instance's name (0, 1, ...), NULL past the last. */
	const char *(*instance_name)(unsigned index);
};

#define SYSCTL_TEMPLATE(descriptor)                                                              \
	static const struct sysctl_template *sysctl_template_##descriptor                        \
		__attribute__((used, section("sysctl_templates"), aligned(8))) = &descriptor

void sysctl_apply_cmdline(void);
/* The command line's settings of template instances, once the instances
 * exist (the devices are registered: Linux applies sysctl.* after the
 * drivers probed); sysctl_apply_cmdline leaves them for this. */
void sysctl_apply_cmdline_templates(void);
/* Every tunable, template instances included, in table order: entry is
 * valid during the call only. */
void sysctl_for_each(void (*visit)(const struct sysctl_integer *entry, void *context), void *context);

/* For the console's `sysctl` (kernel/core/sysctl_console.c): the
 * declaration named name ('/' taken as '.'), or NULL (a template instance's
 * entry stays valid until the next lookup); its value as sysctl(8)
 * prints it; setting it from text (false, value unchanged: malformed or
 * out of range). The table runs from sysctl_first() to sysctl_end(). */
const struct sysctl_integer *sysctl_lookup(const char *name);
void sysctl_format_value(const struct sysctl_integer *entry, char *out, size_t size);
bool sysctl_set_value(const struct sysctl_integer *entry, const char *text);
const struct sysctl_integer *sysctl_first(void);
const struct sysctl_integer *sysctl_end(void);
/* Lists every tunable with its value and range (`keel.help`). */
void sysctl_print_all(void);

#endif
