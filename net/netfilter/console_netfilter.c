/* console_netfilter.c - `nft` and `conntrack` on the operator console
 * (kernel/console/command.h): the rule engine's and connection tracking's
 * own command functions (nft_command, conntrack_command), their output
 * written through the console. The words are split as a shell splits them;
 * nft joins them with blanks and parses the result, as nft(8) does with its
 * argv (so `nft 'add chain inet f in { type filter hook input priority 0; }'`
 * and the same without the quotes both work, and a string keeps its double
 * quotes when they are inside single ones: iifname '"eth*"'). */
#include <string.h>

#include "kernel/console/command.h"
#include "net/netfilter/conntrack.h"
#include "net/netfilter/nft.h"

static void write_text(void *context, const char *text, size_t length)
{
	struct console_output *out = context;
	out->write(out->context, text, length);
}

static void write_line(void *context, const char *line)
{
	console_puts(context, line);
}

#define NFT_COMMAND_TEXT 512

static int nft_console_command(struct console_output *out, int argc, char **argv)
{
	char text[NFT_COMMAND_TEXT];
	size_t length = 0;
	text[0] = '\0';
	for (int i = 1; i < argc; i++) {
		size_t word = strlen(argv[i]);
		if (length + word + 2 > sizeof(text)) {
			console_puts(out, "Error: command too long\n");
			return 1;
		}
		if (length)
			text[length++] = ' ';
		memcpy(text + length, argv[i], word + 1);
		length += word;
	}
	return nft_command(text, write_text, out) == 0 ? 0 : 1;
}
/* Only `nft [-a] list ...` reads; add, insert, delete, flush and -f change the ruleset. */
static bool nft_changes_state(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-a") != 0)
			return strcmp(argv[i], "list") != 0;
	return true;
}
CONSOLE_COMMAND_CHANGING("nft", "nft [-a] list ruleset | add|insert|delete rule ... | flush ruleset | -f TEXT",
			 nft_console_command, nft_changes_state);

static int conntrack_console_command(struct console_output *out, int argc, char **argv)
{
	argv[0] = "conntrack";
	return conntrack_command(argc, (const char *const *)argv, write_line, write_line, out);
}
/* -F (flush) and -D (delete) remove entries; -L, -S and -C only read. An
 * invocation naming none of the reading commands counts as changing. */
static bool conntrack_changes_state(int argc, char **argv)
{
	static const char *const changing[] = { "-F", "--flush", "-D", "--delete" };
	static const char *const reading[] = { "-L", "--dump", "-S", "--stats", "-C", "--count" };
	bool reads = false;
	for (int i = 1; i < argc; i++) {
		for (size_t k = 0; k < sizeof(changing) / sizeof(changing[0]); k++)
			if (strcmp(argv[i], changing[k]) == 0)
				return true;
		for (size_t k = 0; k < sizeof(reading) / sizeof(reading[0]); k++)
			reads |= strcmp(argv[i], reading[k]) == 0;
	}
	return !reads;
}
CONSOLE_COMMAND_CHANGING("conntrack", "conntrack -L|-S|-C|-F|-D [-s|-d ADDRESS] [-p PROTO] [--sport|--dport N]",
			 conntrack_console_command, conntrack_changes_state);
