/* conntrack_print.c - the console's `conntrack` command (conntrack.h) in
 * conntrack-tools' words (conntrack(8), v1.4.7): -L lines in
 * libnetfilter_conntrack's default format, the "N flow entries have been
 * shown." summary on the error stream, -S's per-CPU line, -C's count, -F
 * and -D (with -s/-d/-p/--sport/--dport filters on the original tuple). */
#include "net/netfilter/conntrack_entry.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "net/wire/ipv4.h"

#define LINE_MAX_BYTES CONNTRACK_LINE_BYTES
#define TOOL_BANNER "conntrack v1.4.7 (conntrack-tools): "

struct conntrack_filter {
	bool has_source, has_destination, has_protocol, has_source_port, has_destination_port;
	be32 source, destination;
	uint8_t protocol;
	be16 source_port, destination_port;
};

struct command_output {
	conntrack_output out, err;
	void *context;
	const struct conntrack_filter *filter;
	unsigned matched;
	bool delete;
};

static const char *protocol_name(uint8_t protocol)
{
	switch (protocol) {
	case IP_PROTOCOL_TCP: return "tcp";
	case IP_PROTOCOL_UDP: return "udp";
	case IP_PROTOCOL_ICMP: return "icmp";
	default: return "unknown";
	}
}

static size_t append(char *line, size_t used, const char *format, ...) __attribute__((format(printf, 3, 4)));
static size_t append(char *line, size_t used, const char *format, ...)
{
	if (used >= LINE_MAX_BYTES)
		return used;
	va_list arguments;
	va_start(arguments, format);
	int written = vsnprintf(line + used, LINE_MAX_BYTES - used, format, arguments);
	va_end(arguments);
	return written < 0 ? used : used + (size_t)written;
}

static size_t append_tuple(char *line, size_t used, const struct conntrack_tuple *tuple)
{
	char source[INET_ADDRSTRLEN], destination[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &tuple->source, source, sizeof(source));
	inet_ntop(AF_INET, &tuple->destination, destination, sizeof(destination));
	used = append(line, used, "src=%s dst=%s ", source, destination);
	if (tuple->protocol == IP_PROTOCOL_TCP || tuple->protocol == IP_PROTOCOL_UDP)
		return append(line, used, "sport=%u dport=%u ", ntohs(tuple->source_port), ntohs(tuple->destination_port));
	if (tuple->protocol == IP_PROTOCOL_ICMP)
		return append(line, used, "type=%u code=%u id=%u ", tuple->icmp_type, tuple->icmp_code,
			      ntohs(tuple->source_port));
	return used;
}

void conntrack_format_entry(const struct nf_conn *entry, char *line)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t remaining = entry->expires_ns > now ? (entry->expires_ns - now) / NSEC_PER_SEC : 0;
	uint8_t protocol = entry->tuple[0].protocol;
	size_t used = append(line, 0, "%-8s %u %llu ", protocol_name(protocol), protocol, (unsigned long long)remaining);
	if (protocol == IP_PROTOCOL_TCP)
		used = append(line, used, "%s ", conntrack_tcp_state_name(entry->tcp_state));
	used = append_tuple(line, used, &entry->tuple[CONNTRACK_DIRECTION_ORIGINAL]);
	if (!(entry->status & NF_CT_STATUS_SEEN_REPLY))
		used = append(line, used, "[UNREPLIED] ");
	used = append_tuple(line, used, &entry->tuple[CONNTRACK_DIRECTION_REPLY]);
	if (entry->status & NF_CT_STATUS_ASSURED)
		used = append(line, used, "[ASSURED] ");
	append(line, used, "mark=%u use=%u\n", entry->mark, entry->use);
}

static bool filter_matches(const struct conntrack_filter *filter, const struct nf_conn *entry)
{
	const struct conntrack_tuple *tuple = &entry->tuple[CONNTRACK_DIRECTION_ORIGINAL];
	return (!filter->has_source || tuple->source == filter->source) &&
	       (!filter->has_destination || tuple->destination == filter->destination) &&
	       (!filter->has_protocol || tuple->protocol == filter->protocol) &&
	       (!filter->has_source_port || tuple->source_port == filter->source_port) &&
	       (!filter->has_destination_port || tuple->destination_port == filter->destination_port);
}

static void list_visit(struct nf_conn *entry, void *context)
{
	struct command_output *output = context;
	if (!filter_matches(output->filter, entry))
		return;
	char line[LINE_MAX_BYTES];
	conntrack_format_entry(entry, line);
	output->out(output->context, line);
	output->matched++;
	if (output->delete)
		conntrack_kill(entry);
}

static void print_stats(const struct command_output *output)
{
	char line[LINE_MAX_BYTES];
	const struct conntrack_stats *stats = &conntrack_stats;
	snprintf(line, sizeof(line),
		 "cpu=%-4u\tfound=%llu invalid=%llu insert=%llu insert_failed=%llu drop=%llu early_drop=%llu "
		 "error=%llu search_restart=%llu clash_resolve=%llu chaintoolong=%llu\n",
		 0u, (unsigned long long)stats->found, (unsigned long long)stats->invalid,
		 (unsigned long long)stats->insert, (unsigned long long)stats->insert_failed,
		 (unsigned long long)stats->drop, (unsigned long long)stats->early_drop, (unsigned long long)stats->error,
		 (unsigned long long)stats->search_restart, (unsigned long long)stats->clash_resolve,
		 (unsigned long long)stats->chaintoolong);
	output->out(output->context, line);
}

static void report(const struct command_output *output, const char *format, unsigned value)
{
	char line[LINE_MAX_BYTES];
	snprintf(line, sizeof(line), format, value);
	output->err(output->context, line);
}

static bool parse_port(const char *text, be16 *port)
{
	char *end;
	unsigned long value = strtoul(text, &end, 10);
	if (*text == '\0' || *end != '\0' || value > 65535)
		return false;
	*port = htons((uint16_t)value);
	return true;
}

static bool parse_protocol(const char *text, uint8_t *protocol)
{
	static const struct { const char *name; uint8_t number; } names[] = {
		{ "tcp", IP_PROTOCOL_TCP }, { "udp", IP_PROTOCOL_UDP }, { "icmp", IP_PROTOCOL_ICMP },
	};
	for (unsigned index = 0; index < sizeof(names) / sizeof(names[0]); index++) {
		if (strcmp(text, names[index].name) == 0) {
			*protocol = names[index].number;
			return true;
		}
	}
	char *end;
	unsigned long value = strtoul(text, &end, 10);
	if (*text == '\0' || *end != '\0' || value > 255)
		return false;
	*protocol = (uint8_t)value;
	return true;
}

static bool is_option(const char *argument, const char *short_name, const char *long_name, const char *other_name)
{
	return (short_name && strcmp(argument, short_name) == 0) || strcmp(argument, long_name) == 0 ||
	       (other_name && strcmp(argument, other_name) == 0);
}

/* One filter option and its value; false when the option or value is bad. */
static bool parse_filter_option(const char *option, const char *value, struct conntrack_filter *filter)
{
	if (is_option(option, "-s", "--src", "--orig-src"))
		return (filter->has_source = inet_pton(AF_INET, value, &filter->source) == 1);
	if (is_option(option, "-d", "--dst", "--orig-dst"))
		return (filter->has_destination = inet_pton(AF_INET, value, &filter->destination) == 1);
	if (is_option(option, "-p", "--proto", NULL))
		return (filter->has_protocol = parse_protocol(value, &filter->protocol));
	if (is_option(option, NULL, "--sport", "--orig-port-src"))
		return (filter->has_source_port = parse_port(value, &filter->source_port));
	if (is_option(option, NULL, "--dport", "--orig-port-dst"))
		return (filter->has_destination_port = parse_port(value, &filter->destination_port));
	return false;
}

static int usage_error(const struct command_output *output, const char *what, const char *argument)
{
	char line[LINE_MAX_BYTES];
	snprintf(line, sizeof(line), TOOL_BANNER "%s `%s'\nTry `conntrack -h' or 'conntrack --help' for more information.\n",
		 what, argument);
	output->err(output->context, line);
	return 2;
}

static int run_command(char command, struct command_output *output)
{
	char line[LINE_MAX_BYTES];
	switch (command) {
	case 'L':
	case 'D':
		output->delete = command == 'D';
		conntrack_for_each(list_visit, output);
		report(output,
		       command == 'L' ? TOOL_BANNER "%u flow entries have been shown.\n"
				      : TOOL_BANNER "%u flow entries have been deleted.\n",
		       output->matched);
		return command == 'D' && output->matched == 0 ? 1 : 0;
	case 'C':
		snprintf(line, sizeof(line), "%u\n", conntrack_count());
		output->out(output->context, line);
		return 0;
	case 'S':
		print_stats(output);
		return 0;
	default: /* 'F' */
		conntrack_flush();
		output->err(output->context, TOOL_BANNER "connection tracking table has been emptied.\n");
		return 0;
	}
}

int conntrack_command(int argc, const char *const *argv, conntrack_output out, conntrack_output err, void *context)
{
	struct conntrack_filter filter = { 0 };
	struct command_output output = { out, err, context, &filter, 0, false };
	char command = 0;
	for (int index = 1; index < argc; index++) {
		const char *argument = argv[index];
		char this_command = 0;
		if (is_option(argument, "-L", "--dump", NULL)) this_command = 'L';
		else if (is_option(argument, "-S", "--stats", NULL)) this_command = 'S';
		else if (is_option(argument, "-C", "--count", NULL)) this_command = 'C';
		else if (is_option(argument, "-F", "--flush", NULL)) this_command = 'F';
		else if (is_option(argument, "-D", "--delete", NULL)) this_command = 'D';
		if (this_command) {
			if (command)
				return usage_error(&output, "Invalid parameters: more than one command", argument);
			command = this_command;
			if (index + 1 < argc && strcmp(argv[index + 1], "conntrack") == 0)
				index++;   /* the table name conntrack(8) allows after the command */
			continue;
		}
		if (index + 1 >= argc || !parse_filter_option(argument, argv[index + 1], &filter))
			return usage_error(&output, "Bad parameter", argument);
		index++;
	}
	if (command == 0)
		return usage_error(&output, "Missing command", argc > 0 ? argv[0] : "conntrack");
	return run_command(command, &output);
}
