/* console_ss.c - `ss` on the operator console, as iproute2's ss 6.1 prints
 * it: the rows every protocol's SOCK_DIAG handler gives (sock_diag.h),
 * filtered by protocol (-t -u), by state (-l, -a, `state NAME`, `exclude
 * NAME` with ss's names and groups), with -m (skmem) and -i (tcp_info) on a
 * tab-indented second line, or -s the summary. The layout (ss_table.c) is
 * ss's on a pipe: each column as wide as its widest field; addresses and
 * ports are always numeric (-n is implied: there is no services database). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/socket/sock_diag.h"
#include "net/socket/ss_table.h"


#define STATE_BIT(state) (1u << (state))
#define ALL_STATES (((1u << SOCK_DIAG_STATE_COUNT) - 1) & ~1u)
#define CONNECTED_STATES (ALL_STATES & ~(STATE_BIT(SOCK_DIAG_LISTEN) | STATE_BIT(SOCK_DIAG_CLOSE)))
#define BUCKET_STATES (STATE_BIT(SOCK_DIAG_SYN_RECV) | STATE_BIT(SOCK_DIAG_TIME_WAIT))

/* ss's filter words (ss(8) "STATE-FILTER"). */
static const struct {
	const char *name;
	unsigned states;
} state_filters[] = {
	{ "established", STATE_BIT(SOCK_DIAG_ESTABLISHED) }, { "syn-sent", STATE_BIT(SOCK_DIAG_SYN_SENT) },
	{ "syn-recv", STATE_BIT(SOCK_DIAG_SYN_RECV) },       { "fin-wait-1", STATE_BIT(SOCK_DIAG_FIN_WAIT1) },
	{ "fin-wait-2", STATE_BIT(SOCK_DIAG_FIN_WAIT2) },    { "time-wait", STATE_BIT(SOCK_DIAG_TIME_WAIT) },
	{ "closed", STATE_BIT(SOCK_DIAG_CLOSE) },            { "close-wait", STATE_BIT(SOCK_DIAG_CLOSE_WAIT) },
	{ "last-ack", STATE_BIT(SOCK_DIAG_LAST_ACK) },       { "listening", STATE_BIT(SOCK_DIAG_LISTEN) },
	{ "closing", STATE_BIT(SOCK_DIAG_CLOSING) },         { "all", ALL_STATES },
	{ "connected", CONNECTED_STATES },
	{ "synchronized", CONNECTED_STATES & ~STATE_BIT(SOCK_DIAG_SYN_SENT) },
	{ "bucket", BUCKET_STATES },                         { "big", ALL_STATES & ~BUCKET_STATES },
};

struct ss_request {
	bool tcp, udp, listening, all, memory, info, summary;
	unsigned states;              /* 0: the default for -l/-a */
	unsigned excluded;
};

struct ss_pass {
	struct console_output *out;
	const struct ss_request *request;
	const char *netid;
	bool printing;
	struct ss_table table;
};

static unsigned effective_states(const struct ss_request *request)
{
	unsigned states = request->states;
	if (!states)
		states = request->all ? ALL_STATES
			 : request->listening ? STATE_BIT(SOCK_DIAG_LISTEN) | STATE_BIT(SOCK_DIAG_CLOSE)
			 : CONNECTED_STATES;
	return states & ~request->excluded;
}

static void visit_row(const struct sock_diag_row *row, void *context)
{
	struct ss_pass *pass = context;
	if (!(effective_states(pass->request) & STATE_BIT(row->state)))
		return;
	if (pass->printing)
		ss_table_print_row(pass->out, &pass->table, pass->netid, row);
	else
		ss_table_measure(&pass->table, pass->netid, row);
}

static bool selected(const struct ss_request *request, const char *netid)
{
	if (!request->tcp && !request->udp)
		return true;
	return (request->tcp && strcmp(netid, "tcp") == 0) || (request->udp && strcmp(netid, "udp") == 0);
}

/* ss walks UDP before TCP (misc/ss.c main: udp_show, then tcp_show). */
static bool walked_before(const char *netid, int round)
{
	return (round == 0) == (strcmp(netid, "udp") == 0);
}

static void run_pass(struct ss_pass *pass, bool printing)
{
	pass->printing = printing;
	for (int round = 0; round < 2; round++) {
		for (const struct sock_diag_handler *handler = sock_diag_first(); handler < sock_diag_end(); handler++) {
			if (!walked_before(handler->netid, round) || !selected(pass->request, handler->netid))
				continue;
			pass->netid = handler->netid;
			handler->for_each(visit_row, pass);
		}
	}
}

/* Two walks, as ss buffers its output before rendering: the first measures
 * every field, the second prints at those widths. */
static void print_table(struct console_output *out, const struct ss_request *request)
{
	unsigned states = effective_states(request);
	struct ss_pass pass = { .out = out, .request = request };
	struct ss_table_options options = {
		.show_netid = !(request->tcp ^ request->udp),
		.show_state = (states & (states - 1)) != 0,   /* one state chosen: ss drops the column */
		.memory = request->memory,
		.info = request->info,
	};
	ss_table_begin(&pass.table, &options);
	run_pass(&pass, false);
	ss_table_print_header(out, &pass.table);
	run_pass(&pass, true);
}

/* ss -s: iproute2's print_summary layout. */
static void print_summary(struct console_output *out)
{
	struct sock_diag_summary counts = sock_diag_summary();
	console_printf(out, "Total: %u\n", counts.tcp_all + counts.udp);
	console_printf(out, "TCP:   %u (estab %u, closed %u, orphaned %u, timewait %u)\n\n", counts.tcp_all,
		       counts.established, counts.closed, counts.orphaned, counts.time_wait);
	console_puts(out, "Transport Total     IP        IPv6\n");
	console_printf(out, "RAW\t  %-9u %-9u %-9u\n", 0u, 0u, 0u);
	console_printf(out, "UDP\t  %-9u %-9u %-9u\n", counts.udp, counts.udp, 0u);
	console_printf(out, "TCP\t  %-9u %-9u %-9u\n", counts.tcp_in_use, counts.tcp_in_use, 0u);
	console_printf(out, "INET\t  %-9u %-9u %-9u\n", counts.tcp_in_use + counts.udp, counts.tcp_in_use + counts.udp, 0u);
	console_printf(out, "FRAG\t  %-9u %-9u %-9u\n\n", 0u, 0u, 0u);
}

static int state_filter(const char *name, unsigned *states)
{
	for (size_t i = 0; i < sizeof(state_filters) / sizeof(state_filters[0]); i++) {
		if (strcmp(name, state_filters[i].name) == 0) {
			*states |= state_filters[i].states;
			return 0;
		}
	}
	return -1;
}

static int parse_request(struct console_output *out, int argc, char **argv, struct ss_request *request)
{
	for (int i = 1; i < argc; i++) {
		const char *word = argv[i];
		if ((strcmp(word, "state") == 0 || strcmp(word, "exclude") == 0) && i + 1 < argc) {
			unsigned *target = word[0] == 's' ? &request->states : &request->excluded;
			if (state_filter(argv[++i], target) != 0) {
				console_printf(out, "ss: wrong state name: %s\n", argv[i]);
				return -1;
			}
			continue;
		}
		if (word[0] != '-' || word[1] == '\0') {
			console_printf(out, "ss: keel supports only state filters, not \"%s\"\n", word);
			return -1;
		}
		for (const char *flag = word + 1; *flag; flag++) {
			switch (*flag) {
			case 't': request->tcp = true; break;
			case 'u': request->udp = true; break;
			case 'l': request->listening = true; break;
			case 'a': request->all = true; break;
			case 'm': request->memory = true; break;
			case 'i': request->info = true; break;
			case 's': request->summary = true; break;
			case 'n': case '4': case 'e': case 'p': case 'o': break;   /* numeric always; nothing more to show */
			default:
				console_printf(out, "ss: invalid option -- '%c'\n", *flag);
				return -1;
			}
		}
	}
	return 0;
}

static int ss_command(struct console_output *out, int argc, char **argv)
{
	struct ss_request request = { 0 };
	if (parse_request(out, argc, argv, &request) != 0)
		return 1;
	if (request.summary)
		print_summary(out);
	else
		print_table(out, &request);
	return 0;
}
CONSOLE_COMMAND("ss", "ss [-tulanmis] [state NAME] [exclude NAME]: sockets", ss_command);

/* /proc/net/sockstat as Linux prints it; mem is in pages of buffered data. */
static int proc_sockstat_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct sock_diag_summary counts = sock_diag_summary();
	console_printf(out, "sockets: used %u\n", counts.tcp_in_use + counts.udp);
	console_printf(out, "TCP: inuse %u orphan %u tw %u alloc %u mem %llu\n", counts.tcp_in_use, counts.orphaned,
		       counts.time_wait, counts.tcp_all, (unsigned long long)sock_diag_pages(counts.tcp_bytes));
	console_printf(out, "UDP: inuse %u mem %llu\n", counts.udp, (unsigned long long)sock_diag_pages(counts.udp_bytes));
	console_puts(out, "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n");
	return 0;
}
CONSOLE_COMMAND("cat /proc/net/sockstat", "socket counts, as Linux's /proc/net/sockstat", proc_sockstat_command);
