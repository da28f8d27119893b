/* ip_mib.c - IPv4's counters (net/ipv4/ip_mib.h) and their "ip:" line in
 * the netdev stats block, registered when the stack starts its services. */
#include "net/ipv4/ip_mib.h"

#include "net/core/service.h"
#include "net/core/stats_print.h"

uint64_t ipv4_mib[IPV4_MIB_COUNT];

static const char *const counter_names[IPV4_MIB_COUNT] = {
#define IPV4_MIB_NAME(constant, name) [constant] = #name,
	IPV4_MIB_COUNTERS(IPV4_MIB_NAME)
#undef IPV4_MIB_NAME
};

static void ipv4_mib_print(void)
{
	struct stats_line line;
	stats_line_start(&line, "ip:");
	for (unsigned i = 0; i < IPV4_MIB_COUNT; i++)
		stats_line_add(&line, counter_names[i], ipv4_mib[i]);
	stats_line_finish(&line);
}

static struct stats_section ipv4_mib_section = { .print = ipv4_mib_print };

static void ipv4_mib_start(void)
{
	stats_section_register(&ipv4_mib_section);
}

NET_SERVICE("ipv4 counters", ipv4_mib_start);
