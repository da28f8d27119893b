/* reassembly_stats.c - reassembly's line in the netdev stats block
 * (net/ipv4/reassembly.h: ip_reassembly_stats_init):
 *     ipv4: reassembly datagrams=N pkts_held=M reassembled=... timeouts=... time_exceeded_sent=...
 * datagrams and pkts_held are what is waiting now: once no fragment has
 * come for net.ipv4.ipfrag_time seconds both must be 0 (tests/soak). */
#include "net/ipv4/reassembly.h"

#include "net/core/stats_print.h"

static void print_reassembly(void)
{
	struct ip_reassembly_stats stats = ip_reassembly_get_stats();
	struct stats_line line;
	stats_line_start(&line, "ipv4: reassembly");
	stats_line_add(&line, "datagrams", stats.datagrams);
	stats_line_add(&line, "pkts_held", stats.pkts_held);
	stats_line_add(&line, "reassembled", stats.reassembled);
	stats_line_add(&line, "timeouts", stats.timeouts);
	stats_line_add(&line, "time_exceeded_sent", stats.time_exceeded_sent);
	stats_line_finish(&line);
}

static struct stats_section reassembly_stats_section = { .print = print_reassembly };

void ip_reassembly_stats_init(void)
{
	stats_section_register(&reassembly_stats_section);
}
