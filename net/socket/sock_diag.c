/* sock_diag.c - the SOCK_DIAG table's bounds and the socket counts every
 * summary view prints (net/socket/sock_diag.h). */
#include "net/socket/sock_diag.h"

#include <string.h>

extern const struct sock_diag_handler __start_sock_diag_handlers[];
extern const struct sock_diag_handler __stop_sock_diag_handlers[];

const struct sock_diag_handler *sock_diag_first(void)
{
	return __start_sock_diag_handlers;
}

const struct sock_diag_handler *sock_diag_end(void)
{
	return __stop_sock_diag_handlers;
}

struct summary_walk {
	struct sock_diag_summary counts;
	bool udp;                      /* the handler being walked */
};

static void count_row(const struct sock_diag_row *row, void *context)
{
	struct summary_walk *walk = context;
	struct sock_diag_summary *counts = &walk->counts;
	if (walk->udp) {
		counts->udp++;
		counts->udp_bytes += row->receive_allocated;
		return;
	}
	counts->tcp_all++;
	counts->tcp_bytes += row->receive_allocated + row->write_queued;
	counts->established += row->state == SOCK_DIAG_ESTABLISHED;
	counts->current_established += row->state == SOCK_DIAG_ESTABLISHED || row->state == SOCK_DIAG_CLOSE_WAIT;
	counts->closed += row->state == SOCK_DIAG_CLOSE;
	counts->orphaned += row->orphan;
	counts->time_wait += row->state == SOCK_DIAG_TIME_WAIT;
}

struct sock_diag_summary sock_diag_summary(void)
{
	struct summary_walk walk = { 0 };
	for (const struct sock_diag_handler *handler = sock_diag_first(); handler < sock_diag_end(); handler++) {
		walk.udp = strcmp(handler->netid, "udp") == 0;
		handler->for_each(count_row, &walk);
	}
	walk.counts.tcp_in_use = walk.counts.tcp_all - walk.counts.time_wait;
	return walk.counts;
}
