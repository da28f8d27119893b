/* fuzz_cmdline.c - libFuzzer harness: the operator's input, the kernel
 * command line. kernel/core/cmdline.c (words, quotes, key=value, the
 * image path), kernel/core/sysctl.c (sysctl.<name>=<value>, integers in a
 * range and vector tunables) with net/tcp/sysctl.c's tunables (tcp_rmem,
 * tcp_wmem: three numbers) declared, and net/ipv4/ip_config.c (ip=, Linux's
 * nfsroot syntax), compiled unchanged against glibc.
 *
 * Input: the command line text (a NUL is added; bytes after an inner NUL
 * are what a loader would never pass, and ignored as the kernel would).
 * It is parsed as at boot: unknown keys warned about, sysctls applied, the
 * numeric keys read, `ip=` parsed; the ip= parser also gets the whole
 * input as its value. printk formats every message into a buffer (so a
 * format argument that is not a string is caught), prints nothing unless
 * FUZZ_CMDLINE_VERBOSE is set. The
 * tunables are put back to their defaults after each input; a tunable
 * outside its declared range, or an ip_config whose strings are not
 * terminated, aborts.
 *
 * The .cmdline_keys and .sysctls sections get their __start_/__stop_
 * symbols from tests/fuzz/sections.ld, as the kernel's linker script
 * gives them. Debian 12's glibc has no strlcpy: libc/src/string/strlcpy.c
 * is linked, declared by tests/fuzz/strlcpy.h. ASan's red zones around
 * globals are off in this build (they would pad the table entries apart);
 * the parser's fixed buffers are still bounds-checked by UBSan, the input
 * is on the heap. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "tests/fuzz/sysctl_defaults.h"
#include "kernel/core/cmdline.h"
#include "kernel/core/sysctl.h"
#include "net/ipv4/ip_config.h"
#include "net/tcp/sysctl.h"

#define TEXT_MAX 4096

static int verbose;   /* FUZZ_CMDLINE_VERBOSE=1: the console messages on stderr, to read a reproducer */

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vprintk(level, format, arguments);
	va_end(arguments);
}

void vprintk(int level, const char *format, va_list arguments)
{
	static char line[1024];
	vsnprintf(line, sizeof(line), format, arguments);
	if (verbose)
		fputs(line, stderr);
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_cmdline: %s\n", what);
	abort();
}

static void parse_ip(const char *text)
{
	struct ip_config config;
	ip_config_parse(text, &config);
	if (!memchr(config.hostname, '\0', sizeof(config.hostname)) ||
	    !memchr(config.device, '\0', sizeof(config.device)) ||
	    !memchr(config.autoconf, '\0', sizeof(config.autoconf)))
		fail("an ip_config string not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int started;
	if (!started) {
		started = 1;
		verbose = getenv("FUZZ_CMDLINE_VERBOSE") != NULL;
		sysctl_defaults_save("fuzz_cmdline");
	}
	if (size >= TEXT_MAX)
		size = TEXT_MAX - 1;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	cmdline_parse(text);
	cmdline_warn_unknown();
	sysctl_apply_cmdline();
	cmdline_get_u64("loglevel", 7);
	cmdline_get_u64("panic", 0);
	const char *ip = cmdline_get("ip");
	if (ip)
		parse_ip(ip);
	parse_ip(text);
	/* Every integer tunable within its range, then back to its default. */
	sysctl_defaults_check_and_restore();
	free(text);
	return 0;
}
