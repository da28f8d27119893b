/* nft_api.c - what the console, the boot loader and tests call (nft.h):
 * a load builds a complete new ruleset beside the installed one (a copy
 * sharing its rules, then the commands of the text), validates it, and
 * only then installs it; on any error the new one is thrown away whole. */
#include <stdio.h>
#include <string.h>

#include "net/netfilter/nft_internal.h"

uint32_t nft_load_number;

int nft_load_text(const char *text, size_t length, const char *file_name, char *error, size_t error_size)
{
	struct nft_parse_error parse_error = { error, error_size, file_name };
	nft_load_number++;
	if (error_size)
		error[0] = '\0';
	struct nft_ruleset *next = nft_ruleset_copy(nft_ruleset_current());
	if (next == NULL) {
		nft_error_format(&parse_error, text, length, 0, 0, 0, "out of memory");
		return -1;
	}
	if (nft_parse_text(next, text, length, &parse_error) != 0 ||
	    nft_ruleset_validate(next, text, length, &parse_error) != 0) {
		nft_ruleset_free(next);
		return -1;
	}
	nft_ruleset_install(next);
	return 0;
}

void nft_list_ruleset(nft_output_function output, void *context, bool with_handles)
{
	struct nft_printer printer = { output, context, with_handles };
	nft_print_ruleset(nft_ruleset_current(), &printer);
}

void nft_flush_ruleset(void)
{
	nft_ruleset_install(NULL);
}

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static const char *skip_spaces(const char *text)
{
	while (blank(*text))
		text++;
	return text;
}

/* text starts with word followed by a blank or the end: returns what follows, else NULL. */
static const char *after_word(const char *text, const char *word)
{
	size_t length = strlen(word);
	text = skip_spaces(text);
	if (strncmp(text, word, length) != 0 || (text[length] != '\0' && !blank(text[length])))
		return NULL;
	return skip_spaces(text + length);
}

/* `list table [family] NAME` */
static int list_table(const char *rest, nft_output_function output, void *context, bool with_handles)
{
	uint8_t family = NFT_FAMILY_IP;
	const char *name = rest;
	if (after_word(rest, "ip"))
		name = after_word(rest, "ip");
	else if (after_word(rest, "inet"))
		name = after_word(rest, "inet"), family = NFT_FAMILY_INET;
	char table_name[NFT_NAME_LENGTH];
	size_t length = strcspn(name, " \t\r\n");
	if (length == 0 || length >= sizeof(table_name) || *skip_spaces(name + length) != '\0') {
		static const char usage[] = "Error: syntax error, expecting list table [ip|inet] NAME\n";
		output(context, usage, sizeof(usage) - 1);
		return -1;
	}
	memcpy(table_name, name, length);
	table_name[length] = '\0';
	const struct nft_ruleset *ruleset = nft_ruleset_current();
	const struct nft_table *table = ruleset ? nft_table_find(ruleset, family, table_name) : NULL;
	if (table == NULL) {
		char message[96];
		int written = snprintf(message, sizeof(message), "Error: No such file or directory; table '%s'\n", table_name);
		output(context, message, (size_t)written < sizeof(message) ? (size_t)written : sizeof(message) - 1);
		return -1;
	}
	struct nft_printer printer = { output, context, with_handles };
	nft_print_table(table, &printer);
	return 0;
}

int nft_command(const char *arguments, nft_output_function output, void *context)
{
	bool with_handles = false;
	const char *rest;
	arguments = skip_spaces(arguments);
	if ((rest = after_word(arguments, "-a")) != NULL || (rest = after_word(arguments, "--handle")) != NULL) {
		with_handles = true;
		arguments = rest;
	}
	if ((rest = after_word(arguments, "list")) != NULL) {
		if (after_word(rest, "ruleset") && *after_word(rest, "ruleset") == '\0') {
			nft_list_ruleset(output, context, with_handles);
			return 0;
		}
		if (after_word(rest, "table"))
			return list_table(after_word(rest, "table"), output, context, with_handles);
	}
	char error[1024];
	if (nft_load_text(arguments, strlen(arguments), NULL, error, sizeof(error)) == 0)
		return 0;
	output(context, error, strlen(error));
	output(context, "\n", 1);
	return -1;
}
