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
CONSOLE_COMMAND("nft", "nft [-a] list ruleset | add|insert|delete rule ... | flush ruleset | -f TEXT", nft_console_command);

static int conntrack_console_command(struct console_output *out, int argc, char **argv)
{
	argv[0] = "conntrack";
	return conntrack_command(argc, (const char *const *)argv, write_line, write_line, out);
}
CONSOLE_COMMAND("conntrack", "conntrack -L|-S|-C|-F|-D [-s|-d ADDRESS] [-p PROTO] [--sport|--dport N]",
		conntrack_console_command);
