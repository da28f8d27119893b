/* ss_table.c - `ss` rows laid out as iproute2's ss 6.1 does on a pipe
 * (contract in ss_table.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net/core/byteorder.h"
#include "net/socket/ss_table.h"

#define FIELD_TEXT 24
#define DETAILS_TEXT 512

enum ss_align { SS_ALIGN_LEFT, SS_ALIGN_RIGHT };

/* iproute2 misc/ss.c columns[]: alignment, header, left delimiter. */
static const struct {
	enum ss_align align;
	const char *header;
	const char *delimiter;
} ss_columns[SS_COLUMN_COUNT] = {
	[SS_COLUMN_NETID] = { SS_ALIGN_LEFT, "Netid", "" },
	[SS_COLUMN_STATE] = { SS_ALIGN_LEFT, "State", " " },
	[SS_COLUMN_RECEIVE_QUEUE] = { SS_ALIGN_LEFT, "Recv-Q", " " },
	[SS_COLUMN_SEND_QUEUE] = { SS_ALIGN_LEFT, "Send-Q", " " },
	[SS_COLUMN_LOCAL_ADDRESS] = { SS_ALIGN_RIGHT, "Local Address:", " " },
	[SS_COLUMN_LOCAL_PORT] = { SS_ALIGN_LEFT, "Port", "" },
	[SS_COLUMN_PEER_ADDRESS] = { SS_ALIGN_RIGHT, "Peer Address:", " " },
	[SS_COLUMN_PEER_PORT] = { SS_ALIGN_LEFT, "Port", "" },
	[SS_COLUMN_DETAILS] = { SS_ALIGN_LEFT, "Process", "" },
};

static const char *const state_names[SOCK_DIAG_STATE_COUNT] = {
	"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
};

/* One row's fields, as text. */
struct ss_fields {
	char short_text[SS_COLUMN_DETAILS][FIELD_TEXT];
	char details[DETAILS_TEXT];
};

static void format_endpoint(const struct sock_endpoint *endpoint, char *address, char *port)
{
	uint32_t host = ntohl(endpoint->address);
	snprintf(address, FIELD_TEXT, "%u.%u.%u.%u:", host >> 24, host >> 16 & 0xFF, host >> 8 & 0xFF, host & 0xFF);
	if (endpoint->port)
		snprintf(port, FIELD_TEXT, "%u", ntohs(endpoint->port));
	else
		snprintf(port, FIELD_TEXT, "*");
}

/* Appends to the details text, never past its end. */
__attribute__((format(printf, 3, 4))) static void append(char *text, size_t size, const char *format, ...)
{
	size_t used = strlen(text);
	if (used + 1 >= size)
		return;
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(text + used, size - used, format, arguments);
	va_end(arguments);
}

static void format_tcp_info(char *text, size_t size, const struct sock_diag_tcp_info *tcp)
{
	append(text, size, "%s%s %s", tcp->timestamps ? " ts" : "", tcp->sack ? " sack" : "", tcp->congestion);
	if (tcp->window_scaling)
		append(text, size, " wscale:%u,%u", tcp->send_wscale, tcp->receive_wscale);
	append(text, size, " rto:%u rtt:%u.%03u/%u.%03u", tcp->rto_us / 1000, tcp->rtt_us / 1000, tcp->rtt_us % 1000,
	       tcp->rttvar_us / 1000, tcp->rttvar_us % 1000);
	if (tcp->backoff)
		append(text, size, " backoff:%u", tcp->backoff);
	append(text, size, " mss:%u pmtu:%u advmss:%u cwnd:%u", tcp->mss, tcp->pmtu, tcp->advmss, tcp->cwnd_segments);
	if (tcp->ssthresh_segments)
		append(text, size, " ssthresh:%u", tcp->ssthresh_segments);
	append(text, size, " bytes_acked:%llu bytes_received:%llu", (unsigned long long)tcp->bytes_acked,
	       (unsigned long long)tcp->bytes_received);
	if (tcp->unacked_segments)
		append(text, size, " unacked:%u", tcp->unacked_segments);
	if (tcp->retransmits || tcp->total_retransmits)
		append(text, size, " retrans:%u/%u", tcp->retransmits, tcp->total_retransmits);
	append(text, size, " snd_wnd:%u rcv_wnd:%u", tcp->send_window, tcp->receive_window);
}

/* ss's inet_show_sock: "\n\t" then skmem and tcp_info, each item with its
 * leading blank; nothing when neither applies to this row. */
static void format_details(char *text, size_t size, const struct ss_table_options *options,
			   const struct sock_diag_row *row)
{
	text[0] = '\0';
	bool info = options->info && row->has_tcp_info;
	if (!options->memory && !info)
		return;
	append(text, size, "\n\t");
	if (options->memory)
		append(text, size, " skmem:(r%u,rb%u,t%u,tb%u,f0,w%u,o0,bl0,d%u)", row->receive_allocated,
		       row->receive_buffer, row->transmit_allocated, row->send_buffer, row->write_queued, row->drops);
	if (info)
		format_tcp_info(text, size, &row->tcp);
}

static void format_fields(struct ss_fields *fields, const struct ss_table_options *options, const char *netid,
			  const struct sock_diag_row *row)
{
	char(*text)[FIELD_TEXT] = fields->short_text;
	snprintf(text[SS_COLUMN_NETID], FIELD_TEXT, "%s", netid);
	snprintf(text[SS_COLUMN_STATE], FIELD_TEXT, "%s",
		 row->state < SOCK_DIAG_STATE_COUNT ? state_names[row->state] : state_names[0]);
	/* ss prints both queues with "%-6d": the padding is part of the field. */
	snprintf(text[SS_COLUMN_RECEIVE_QUEUE], FIELD_TEXT, "%-6u", row->receive_queue);
	snprintf(text[SS_COLUMN_SEND_QUEUE], FIELD_TEXT, "%-6u", row->send_queue);
	format_endpoint(&row->local, text[SS_COLUMN_LOCAL_ADDRESS], text[SS_COLUMN_LOCAL_PORT]);
	format_endpoint(&row->remote, text[SS_COLUMN_PEER_ADDRESS], text[SS_COLUMN_PEER_PORT]);
	format_details(fields->details, sizeof(fields->details), options, row);
}

static const char *field(const struct ss_fields *fields, enum ss_column column)
{
	return column == SS_COLUMN_DETAILS ? fields->details : fields->short_text[column];
}

static bool shown(const struct ss_table_options *options, enum ss_column column)
{
	return (column != SS_COLUMN_NETID || options->show_netid) && (column != SS_COLUMN_STATE || options->show_state);
}

static void widen(struct ss_table *table, enum ss_column column, const char *text)
{
	int length = (int)strlen(text);
	if (length > table->width[column])
		table->width[column] = length;
}

void ss_table_begin(struct ss_table *table, const struct ss_table_options *options)
{
	memset(table, 0, sizeof(*table));
	table->options = *options;
	for (int column = 0; column < SS_COLUMN_COUNT; column++)
		widen(table, column, ss_columns[column].header);
}

void ss_table_measure(struct ss_table *table, const char *netid, const struct sock_diag_row *row)
{
	struct ss_fields fields;
	format_fields(&fields, &table->options, netid, row);
	for (int column = 0; column < SS_COLUMN_DETAILS; column++)
		widen(table, column, field(&fields, column));
	/* misc/ss.c field_flush(): a field's length counts when the next field
	 * starts; the last row's last field is rendered unflushed. */
	if (table->unmeasured_details > table->width[SS_COLUMN_DETAILS])
		table->width[SS_COLUMN_DETAILS] = table->unmeasured_details;
	table->unmeasured_details = (int)strlen(fields.details);
}

static void print_padding(struct console_output *out, int count)
{
	static const char blanks[] = "                ";
	for (; count > 0; count -= (int)sizeof(blanks) - 1)
		out->write(out->context, blanks, count < (int)sizeof(blanks) - 1 ? (size_t)count : sizeof(blanks) - 1);
}

/* misc/ss.c render(): the delimiter unless first on the line, then the
 * field padded to its column's width on the side away from its alignment. */
static void print_line(struct console_output *out, const struct ss_table *table, const char *const texts[])
{
	bool first = true;
	for (int column = 0; column < SS_COLUMN_COUNT; column++) {
		if (!shown(&table->options, column))
			continue;
		if (!first)
			console_puts(out, ss_columns[column].delimiter);
		first = false;
		int padding = table->width[column] - (int)strlen(texts[column]);
		if (ss_columns[column].align == SS_ALIGN_RIGHT)
			print_padding(out, padding);
		console_puts(out, texts[column]);
		if (ss_columns[column].align == SS_ALIGN_LEFT)
			print_padding(out, padding);
	}
	console_puts(out, "\n");
}

void ss_table_print_header(struct console_output *out, const struct ss_table *table)
{
	const char *texts[SS_COLUMN_COUNT];
	for (int column = 0; column < SS_COLUMN_COUNT; column++)
		texts[column] = ss_columns[column].header;
	print_line(out, table, texts);
}

void ss_table_print_row(struct console_output *out, const struct ss_table *table, const char *netid,
			const struct sock_diag_row *row)
{
	struct ss_fields fields;
	format_fields(&fields, &table->options, netid, row);
	const char *texts[SS_COLUMN_COUNT];
	for (int column = 0; column < SS_COLUMN_COUNT; column++)
		texts[column] = field(&fields, column);
	print_line(out, table, texts);
}
