/* ss_table.h - the rows of `ss` laid out byte for byte as iproute2's ss 6.1
 * lays them out when its output is not a terminal (a pipe, a file, keel's
 * serial console).
 *
 * ss measures every field of every row (and of the header), then prints
 * each column at its widest field's width, no more: iproute2 misc/ss.c
 * render_calc_width() "compact output", taken when render_screen_width()
 * finds no terminal, so the second pass that spreads the screen's spare
 * width between columns never runs. A column is its left delimiter (none
 * for the first column printed) followed by its field, padded to the width
 * on the side its alignment says (the columns[] table of misc/ss.c, here
 * ss_columns in ss_table.c). -m and -i text goes in the "Process" column as
 * one field that starts with "\n\t", so it is measured and padded like any
 * other field, with one quirk kept: ss measures a field when the next one
 * starts, so the last row's "Process" field is never measured (seen on
 * iproute2 6.1: `ss -tanm` whose last row has the longest skmem prints it
 * unpadded past the header's width).
 *
 * Use: ss_table_begin, ss_table_measure for every row to print, then
 * ss_table_print_header and ss_table_print_row for the same rows. */
#ifndef KEEL_NET_SS_TABLE_H
#define KEEL_NET_SS_TABLE_H

#include <stdbool.h>

#include "kernel/console/command.h"
#include "net/socket/sock_diag.h"

enum ss_column {
	SS_COLUMN_NETID,
	SS_COLUMN_STATE,
	SS_COLUMN_RECEIVE_QUEUE,
	SS_COLUMN_SEND_QUEUE,
	SS_COLUMN_LOCAL_ADDRESS,      /* "10.0.0.1:": the colon belongs to the address field */
	SS_COLUMN_LOCAL_PORT,
	SS_COLUMN_PEER_ADDRESS,
	SS_COLUMN_PEER_PORT,
	SS_COLUMN_DETAILS,            /* header "Process"; the -m / -i line */
	SS_COLUMN_COUNT
};

struct ss_table_options {
	bool show_netid;              /* more than one protocol asked for */
	bool show_state;              /* more than one state asked for */
	bool memory, info;            /* -m, -i */
};

struct ss_table {
	struct ss_table_options options;
	int width[SS_COLUMN_COUNT];   /* the widest field seen (header included) */
	int unmeasured_details;       /* the latest row's "Process" length, counted once another row follows */
};

void ss_table_begin(struct ss_table *table, const struct ss_table_options *options);
void ss_table_measure(struct ss_table *table, const char *netid, const struct sock_diag_row *row);
void ss_table_print_header(struct console_output *out, const struct ss_table *table);
void ss_table_print_row(struct console_output *out, const struct ss_table *table, const char *netid,
			const struct sock_diag_row *row);

#endif
