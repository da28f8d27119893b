/* stats.c - the socket layer's line in the netdev stats block
 * (net/socket/socket.h: socket_stats_init):
 *     socket: descriptors=N socks=M descriptor_limit=L
 * A leaked socket shows as socks (or descriptors) above their level after
 * boot once the clients are gone (tests/soak checks exactly that). */
#include "net/socket/socket.h"

#include "net/core/stats_print.h"

static void print_counts(void)
{
	struct socket_counts counts = socket_get_counts();
	struct stats_line line;
	stats_line_start(&line, "socket:");
	stats_line_add(&line, "descriptors", counts.descriptors);
	stats_line_add(&line, "socks", counts.socks);
	stats_line_add(&line, "descriptor_limit", counts.descriptor_limit);
	stats_line_finish(&line);
}

static struct stats_section socket_stats_section = { .print = print_counts };

void socket_stats_init(void)
{
	stats_section_register(&socket_stats_section);
}
