/* sysctl.h - tunables named as Linux names them (net.core.dev_weight, ...),
 * set from the command line with `sysctl.<name>=<value>` like Linux 5.8+.
 * A tunable is declared once, next to the variable it sets, with SYSCTL_INTEGER;
 * sysctl_apply_cmdline() sets every one named on the command line, refusing
 * (with a warning) values out of range and names nobody declared. */
#ifndef KEEL_SYSCTL_H
#define KEEL_SYSCTL_H

#include <stdint.h>

struct sysctl_integer {
	const char *name;
	int64_t *value;
	int64_t minimum;
	int64_t maximum;
};

#define SYSCTL_INTEGER(sysctl_name, variable, lowest, highest)                                   \
	static const struct sysctl_integer sysctl_entry_##variable                               \
		__attribute__((used, section(".sysctls"), aligned(8))) = { sysctl_name, &variable, lowest, highest }

void sysctl_apply_cmdline(void);
/* Lists every tunable with its value and range (`keel.help`). */
void sysctl_print_all(void);
/* The declaration for name, or NULL. */
const struct sysctl_integer *sysctl_find(const char *name);

#endif
