/* cmdline.c - command line parsing (see cmdline.h). */
#include "kernel/core/cmdline.h"
#include "kernel/console/printk.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define CMDLINE_TEXT_MAX 2048

struct cmdline_word {
	const char *key;
	const char *value;
};

static char cmdline_copy[CMDLINE_TEXT_MAX];
/* Each word is stored as "key\0value\0": at most two bytes more than its text. */
static char cmdline_storage[2 * CMDLINE_TEXT_MAX + 2];
static struct cmdline_word cmdline_words[CMDLINE_MAX_WORDS];
static unsigned cmdline_word_count;
static unsigned cmdline_words_dropped;

extern const struct cmdline_key __start_cmdline_keys[];
extern const struct cmdline_key __stop_cmdline_keys[];

CMDLINE_KEY("console", "console device: ttyS0 (default), ttyS1");
CMDLINE_KEY("loglevel", "console log level 0-8, as Linux (default 7)");
CMDLINE_KEY("printk.time", "1: prefix log lines with the monotonic time");
CMDLINE_KEY("keel.help", "print every command-line key this image understands");

static bool key_is_secret(const char *key)
{
	for (const struct cmdline_key *declared = __start_cmdline_keys; declared < __stop_cmdline_keys; declared++)
		if (declared->secret && strcmp(declared->name, key) == 0)
			return true;
	return false;
}

static bool word_looks_like_image_path(const char *word)
{
	return strchr(word, '=') == NULL && (word[0] == '/' || strchr(word, '/') || strstr(word, ".elf"));
}

void cmdline_parse(const char *text)
{
	size_t out = 0;
	strlcpy(cmdline_copy, text ? text : "", sizeof(cmdline_copy));
	cmdline_word_count = 0;
	const char *cursor = cmdline_copy;
	bool first = true;
	while (*cursor) {
		while (*cursor == ' ' || *cursor == '\t' || *cursor == '\n')
			cursor++;
		if (!*cursor)
			break;
		/* Copy one word, dropping quotes, into storage as "key\0value\0". */
		const char *key = &cmdline_storage[out];
		const char *value = NULL;
		char *raw_value = NULL;   /* where the value starts in cmdline_copy */
		bool quoted = false;
		while (*cursor && (quoted || (*cursor != ' ' && *cursor != '\t' && *cursor != '\n'))) {
			if (*cursor == '"') {
				quoted = !quoted;
			} else if (*cursor == '=' && value == NULL) {
				cmdline_storage[out++] = '\0';
				value = &cmdline_storage[out];
				raw_value = &cmdline_copy[cursor + 1 - cmdline_copy];
			} else {
				cmdline_storage[out++] = *cursor;
			}
			cursor++;
		}
		cmdline_storage[out++] = '\0';
		if (raw_value && key_is_secret(key))
			memset(raw_value, '*', (size_t)(cursor - raw_value));
		if (value == NULL) {
			value = &cmdline_storage[out];
			cmdline_storage[out++] = '\0';
		}
		if (first && word_looks_like_image_path(key)) {
			first = false;
			continue;
		}
		first = false;
		if (cmdline_word_count == CMDLINE_MAX_WORDS) {
			cmdline_words_dropped++;
			continue;
		}
		cmdline_words[cmdline_word_count++] = (struct cmdline_word){ key, value };
	}
}

const char *cmdline_raw(void)
{
	return cmdline_copy;
}

const char *cmdline_get(const char *key)
{
	const char *found = NULL;
	for (unsigned i = 0; i < cmdline_word_count; i++)
		if (strcmp(cmdline_words[i].key, key) == 0)
			found = cmdline_words[i].value;
	return found;
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

uint64_t cmdline_get_u64(const char *key, uint64_t fallback)
{
	const char *value = cmdline_get(key);
	if (value == NULL)
		return fallback;
	char *end;
	errno = 0;
	unsigned long long number = strtoull(value, &end, 0);
	if (end == value || *end != '\0' || errno != 0 || value[0] == '-') {
		pr_warn("cmdline: %s=%s is not a number, using %llu\n", key, value, (unsigned long long)fallback);
		return fallback;
	}
	return number;
}

void cmdline_for_each_prefix(const char *prefix, void (*visit)(const char *key, const char *value, void *context), void *context)
{
	size_t prefix_length = strlen(prefix);
	for (unsigned i = 0; i < cmdline_word_count; i++)
		if (strncmp(cmdline_words[i].key, prefix, prefix_length) == 0)
			visit(cmdline_words[i].key, cmdline_words[i].value, context);
}

static bool cmdline_key_is_declared(const char *key)
{
	for (const struct cmdline_key *declared = __start_cmdline_keys; declared < __stop_cmdline_keys; declared++) {
		size_t length = strlen(declared->name);
		if (length && declared->name[length - 1] == '.') {
			if (strncmp(key, declared->name, length) == 0)
				return true;
		} else if (strcmp(key, declared->name) == 0) {
			return true;
		}
	}
	return false;
}

void cmdline_warn_unknown(void)
{
	for (unsigned i = 0; i < cmdline_word_count; i++)
		if (!cmdline_key_is_declared(cmdline_words[i].key))
			pr_warn("cmdline: unknown parameter '%s' ignored\n", cmdline_words[i].key);
	if (cmdline_words_dropped)
		pr_warn("cmdline: %u words beyond the first %u ignored\n", cmdline_words_dropped, CMDLINE_MAX_WORDS);
}

void cmdline_print_help(void)
{
	pr_info("cmdline: keys this image understands:\n");
	for (const struct cmdline_key *declared = __start_cmdline_keys; declared < __stop_cmdline_keys; declared++)
		pr_info("  %-20s %s\n", declared->name, declared->help);
}
