/* sysctl_defaults.c - see sysctl_defaults.h. */
#include "tests/fuzz/sysctl_defaults.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/core/sysctl.h"
#include "net/tcp/sysctl.h"

#define INTEGER_TUNABLES_MAX 64

/* The linker section of SYSCTL_* entries (tests/fuzz/sections.ld). */
extern const struct sysctl_integer __start_sysctls[];
extern const struct sysctl_integer __stop_sysctls[];

static int64_t integer_defaults[INTEGER_TUNABLES_MAX];
static struct tcp_buffer_sizes rmem_default, wmem_default;

const char *sysctl_defaults_save(void)
{
	unsigned i = 0;
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++, i++)
		if (i < INTEGER_TUNABLES_MAX && entry->value)
			integer_defaults[i] = *entry->value;
	rmem_default = tcp_rmem;
	wmem_default = tcp_wmem;
	return i > INTEGER_TUNABLES_MAX ? "more sysctls than INTEGER_TUNABLES_MAX" : NULL;
}

const char *sysctl_defaults_check_and_restore(void)
{
	const char *problem = NULL;
	unsigned i = 0;
	for (const struct sysctl_integer *entry = __start_sysctls; entry < __stop_sysctls; entry++, i++) {
		if (!entry->value)
			continue;
		if (*entry->value < entry->minimum || *entry->value > entry->maximum)
			problem = "a sysctl set outside its declared range";
		*entry->value = integer_defaults[i];
	}
	tcp_rmem = rmem_default;
	tcp_wmem = wmem_default;
	return problem;
}
