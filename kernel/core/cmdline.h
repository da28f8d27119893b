/* cmdline.h - the kernel command line: space-separated `key=value` words
 * (contract in DEVELOPERS.md). Values may be double-quoted. A bare word
 * `key` means `key=` with an empty value. The loader's first word when it is
 * the image path (QEMU and GRUB pass it) is skipped.
 *
 * Every key the kernel understands is declared with CMDLINE_KEY(name, help)
 * next to the code that reads it; cmdline_warn_unknown() prints one warning
 * line per word that no declaration matches. A declared name ending in '.'
 * (e.g. "sysctl.") matches every key with that prefix. */
#ifndef KEEL_CMDLINE_H
#define KEEL_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

struct cmdline_key {
	const char *name;
	const char *help;
	bool secret;      /* its value is masked in the printed command line */
};

#define CMDLINE_CONCAT2(a, b) a##b
#define CMDLINE_CONCAT(a, b) CMDLINE_CONCAT2(a, b)
#define CMDLINE_KEY(key_name, key_help)                                                      \
	static const struct cmdline_key CMDLINE_CONCAT(cmdline_key_, __LINE__)                \
		__attribute__((used, section(".cmdline_keys"), aligned(8))) = { key_name, key_help, false }
/* A key whose value is a secret (a token): cmdline_raw() shows it as '*'s,
 * so the boot log and a pasted console transcript do not leak it. */
#define CMDLINE_SECRET_KEY(key_name, key_help)                                               \
	static const struct cmdline_key CMDLINE_CONCAT(cmdline_key_, __LINE__)                \
		__attribute__((used, section(".cmdline_keys"), aligned(8))) = { key_name, key_help, true }

#define CMDLINE_MAX_WORDS 128

void cmdline_parse(const char *text);
/* Value of the last occurrence of key, or NULL when absent. */
const char *cmdline_get(const char *key);
bool cmdline_has(const char *key);
/* Parses the value as an unsigned number (strtoull base 0); returns
 * fallback when absent or malformed (a malformed value is warned about). */
uint64_t cmdline_get_u64(const char *key, uint64_t fallback);
/* Calls visit for every word whose key starts with prefix. */
void cmdline_for_each_prefix(const char *prefix, void (*visit)(const char *key, const char *value, void *context), void *context);
void cmdline_warn_unknown(void);
/* Lists every declared key with its help text (`keel.help`). */
void cmdline_print_help(void);
/* The command line as the loader gave it, secret keys' values masked. */
const char *cmdline_raw(void);

#endif
