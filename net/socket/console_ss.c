/* console_ss.c - `ss` on the operator console, as iproute2's ss 6.1 prints
 * it: the rows every protocol's SOCK_DIAG handler gives (sock_diag.h),
 * filtered by protocol (-t -u), by state (-l, -a, `state NAME`, `exclude
 * NAME` with ss's names and groups), with -m (skmem) and -i (tcp_info) on a
 * tab-indented second line, or -s the summary. Columns are sized to their
 * widest entry, as ss does; addresses and ports are always numeric (-n is
 * implied: there is no services database). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/console/command.h"
#include "net/core/byteorder.h"
#include "net/socket/sock_diag.h"

extern const struct sock_diag_handler __start_sock_diag_handlers[];
extern const struct sock_diag_handler __stop_sock_diag_handlers[];

#define STATE_BIT(state) (1u << (state))
#define ALL_STATES (((1u << SOCK_DIAG_STATE_COUNT) - 1) & ~1u)
#define CONNECTED_STATES (ALL_STATES & ~(STATE_BIT(SOCK_DIAG_LISTEN) | STATE_BIT(SOCK_DIAG_CLOSE)))
#define BUCKET_STATES (STATE_BIT(SOCK_DIAG_SYN_RECV) | STATE_BIT(SOCK_DIAG_TIME_WAIT))
#define NETIDS_MAX 4
#define ENDPOINT_TEXT 24

static const char *const state_names[SOCK_DIAG_STATE_COUNT] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
};

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

struct ss_widths {
	int state, receive, send, local_address, local_port, peer_address, peer_port;
};

struct ss_pass {
	struct console_output *out;
	const struct ss_request *request;
	const char *netid;
	bool show_netid, show_state, printing;
	struct ss_widths widths;
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

static void format_endpoint(const struct sock_endpoint *endpoint, char *address, char *port)
{
	uint32_t host = ntohl(endpoint->address);
	snprintf(address, ENDPOINT_TEXT, "%u.%u.%u.%u", host >> 24, host >> 16 & 0xFF, host >> 8 & 0xFF, host & 0xFF);
	if (endpoint->port)
		snprintf(port, ENDPOINT_TEXT, "%u", ntohs(endpoint->port));
	else
		snprintf(port, ENDPOINT_TEXT, "*");
}

static void widen(int *width, int length)
{
	if (length > *width)
		*width = length;
}

static void print_details(struct console_output *out, const struct ss_request *request, const struct sock_diag_row *row)
{
	if (!(request->memory || (request->info && row->has_tcp_info)))
		return;
	console_puts(out, "\t");
	if (request->memory)
		console_printf(out, " skmem:(r%u,rb%u,t%u,tb%u,f0,w%u,o0,bl0,d%u)", row->receive_allocated,
			       row->receive_buffer, row->transmit_allocated, row->send_buffer, row->write_queued, row->drops);
	if (request->info && row->has_tcp_info) {
		const struct sock_diag_tcp_info *tcp = &row->tcp;
		console_printf(out, "%s%s %s", tcp->timestamps ? " ts" : "", tcp->sack ? " sack" : "", tcp->congestion);
		if (tcp->window_scaling)
			console_printf(out, " wscale:%u,%u", tcp->send_wscale, tcp->receive_wscale);
		console_printf(out, " rto:%u rtt:%u.%03u/%u.%03u", tcp->rto_us / 1000, tcp->rtt_us / 1000, tcp->rtt_us % 1000,
			       tcp->rttvar_us / 1000, tcp->rttvar_us % 1000);
		if (tcp->backoff)
			console_printf(out, " backoff:%u", tcp->backoff);
		console_printf(out, " mss:%u pmtu:%u advmss:%u cwnd:%u", tcp->mss, tcp->pmtu, tcp->advmss, tcp->cwnd_segments);
		if (tcp->ssthresh_segments)
			console_printf(out, " ssthresh:%u", tcp->ssthresh_segments);
		console_printf(out, " bytes_acked:%llu bytes_received:%llu", (unsigned long long)tcp->bytes_acked,
			       (unsigned long long)tcp->bytes_received);
		if (tcp->unacked_segments)
			console_printf(out, " unacked:%u", tcp->unacked_segments);
		if (tcp->retransmits || tcp->total_retransmits)
			console_printf(out, " retrans:%u/%u", tcp->retransmits, tcp->total_retransmits);
		console_printf(out, " snd_wnd:%u rcv_wnd:%u", tcp->send_window, tcp->receive_window);
	}
	console_puts(out, "\n");
}

static void visit_row(const struct sock_diag_row *row, void *context)
{
	struct ss_pass *pass = context;
	if (!(effective_states(pass->request) & STATE_BIT(row->state)))
		return;
	char local_address[ENDPOINT_TEXT], local_port[ENDPOINT_TEXT], peer_address[ENDPOINT_TEXT], peer_port[ENDPOINT_TEXT];
	char receive[12], send[12];
	format_endpoint(&row->local, local_address, local_port);
	format_endpoint(&row->remote, peer_address, peer_port);
	snprintf(receive, sizeof(receive), "%u", row->receive_queue);
	snprintf(send, sizeof(send), "%u", row->send_queue);
	struct ss_widths *w = &pass->widths;
	if (!pass->printing) {
		widen(&w->state, (int)strlen(state_names[row->state]));
		widen(&w->receive, (int)strlen(receive));
		widen(&w->send, (int)strlen(send));
		widen(&w->local_address, (int)strlen(local_address));
		widen(&w->local_port, (int)strlen(local_port));
		widen(&w->peer_address, (int)strlen(peer_address));
		widen(&w->peer_port, (int)strlen(peer_port));
		return;
	}
	struct console_output *out = pass->out;
	if (pass->show_netid)
		console_printf(out, "%-5s ", pass->netid);
	if (pass->show_state)
		console_printf(out, "%-*s ", w->state, state_names[row->state]);
	console_printf(out, "%-*s %-*s %*s:%-*s %*s:%-*s\n", w->receive, receive, w->send, send, w->local_address,
		       local_address, w->local_port, local_port, w->peer_address, peer_address, w->peer_port, peer_port);
	print_details(out, pass->request, row);
}

static bool selected(const struct ss_request *request, const char *netid)
{
	if (!request->tcp && !request->udp)
		return true;
	return (request->tcp && strcmp(netid, "tcp") == 0) || (request->udp && strcmp(netid, "udp") == 0);
}

static void run_pass(struct ss_pass *pass, bool printing)
{
	pass->printing = printing;
	for (const struct sock_diag_handler *handler = __start_sock_diag_handlers; handler < __stop_sock_diag_handlers;
	     handler++) {
		if (!selected(pass->request, handler->netid))
			continue;
		pass->netid = handler->netid;
		handler->for_each(visit_row, pass);
	}
}

static void print_table(struct console_output *out, const struct ss_request *request)
{
	unsigned states = effective_states(request);
	struct ss_pass pass = { .out = out, .request = request };
	pass.show_netid = !(request->tcp ^ request->udp);
	pass.show_state = (states & (states - 1)) != 0;   /* one state chosen: ss drops the column */
	pass.widths = (struct ss_widths){ 5, 6, 6, 13, 4, 12, 4 };
	run_pass(&pass, false);
	const struct ss_widths *w = &pass.widths;
	if (pass.show_netid)
		console_printf(out, "%-5s ", "Netid");
	if (pass.show_state)
		console_printf(out, "%-*s ", w->state, "State");
	console_printf(out, "%-*s %-*s %*s:%-*s %*s:%-*s Process\n", w->receive, "Recv-Q", w->send, "Send-Q",
		       w->local_address, "Local Address", w->local_port, "Port", w->peer_address, "Peer Address",
		       w->peer_port, "Port");
	run_pass(&pass, true);
}

struct ss_summary {
	const char *netid;            /* of the handler being counted */
	unsigned tcp_all, established, closed, orphaned, time_wait, udp;
	uint64_t tcp_bytes, udp_bytes;   /* buffered, both directions */
};

static void count_row(const struct sock_diag_row *row, void *context)
{
	struct ss_summary *counts = context;
	if (strcmp(counts->netid, "udp") == 0) {
		counts->udp++;
		counts->udp_bytes += row->receive_allocated;
		return;
	}
	counts->tcp_all++;
	counts->tcp_bytes += row->receive_allocated + row->write_queued;
	counts->established += row->state == SOCK_DIAG_ESTABLISHED;
	counts->closed += row->state == SOCK_DIAG_CLOSE;
	counts->orphaned += row->orphan;
	counts->time_wait += row->state == SOCK_DIAG_TIME_WAIT;
}

static struct ss_summary count_all(void)
{
	struct ss_summary counts = { 0 };
	for (const struct sock_diag_handler *handler = __start_sock_diag_handlers; handler < __stop_sock_diag_handlers;
	     handler++) {
		counts.netid = handler->netid;
		handler->for_each(count_row, &counts);
	}
	return counts;
}

/* ss -s: iproute2's print_summary layout. */
static void print_summary(struct console_output *out)
{
	struct ss_summary counts = count_all();
	unsigned tcp_sockets = counts.tcp_all - counts.time_wait;
	console_printf(out, "Total: %u\n", counts.tcp_all + counts.udp);
	console_printf(out, "TCP:   %u (estab %u, closed %u, orphaned %u, timewait %u)\n\n", counts.tcp_all,
		       counts.established, counts.closed, counts.orphaned, counts.time_wait);
	console_puts(out, "Transport Total     IP        IPv6\n");
	console_printf(out, "RAW\t  %-9u %-9u %-9u\n", 0u, 0u, 0u);
	console_printf(out, "UDP\t  %-9u %-9u %-9u\n", counts.udp, counts.udp, 0u);
	console_printf(out, "TCP\t  %-9u %-9u %-9u\n", tcp_sockets, tcp_sockets, 0u);
	console_printf(out, "INET\t  %-9u %-9u %-9u\n", tcp_sockets + counts.udp, tcp_sockets + counts.udp, 0u);
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

#define PAGE_BYTES 4096

/* /proc/net/sockstat as Linux prints it; mem is in pages of buffered data. */
static int proc_sockstat_command(struct console_output *out, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct ss_summary counts = count_all();
	unsigned tcp_sockets = counts.tcp_all - counts.time_wait;
	console_printf(out, "sockets: used %u\n", tcp_sockets + counts.udp);
	console_printf(out, "TCP: inuse %u orphan %u tw %u alloc %u mem %llu\n", tcp_sockets, counts.orphaned,
		       counts.time_wait, counts.tcp_all, (unsigned long long)((counts.tcp_bytes + PAGE_BYTES - 1) / PAGE_BYTES));
	console_printf(out, "UDP: inuse %u mem %llu\n", counts.udp,
		       (unsigned long long)((counts.udp_bytes + PAGE_BYTES - 1) / PAGE_BYTES));
	console_puts(out, "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n");
	return 0;
}
CONSOLE_COMMAND("cat /proc/net/sockstat", "socket counts, as Linux's /proc/net/sockstat", proc_sockstat_command);
