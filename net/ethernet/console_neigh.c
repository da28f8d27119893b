/* console_neigh.c - `ip neigh`: the ARP cache as iproute2 6.1 prints the
 * neighbour table ("10.99.0.1 dev eth0 lladdr 52:54:00:12:34:56 REACHABLE ",
 * trailing blank included; an unresolved entry has no lladdr). keel frees
 * an entry whose requests went unanswered instead of keeping it FAILED,
 * so the states seen are INCOMPLETE, REACHABLE and STALE. */
#include <string.h>

#include "kernel/console/command.h"
#include "net/ethernet/arp_cache.h"

static const char *state_name(enum arp_state state)
{
	switch (state) {
	case ARP_STATE_INCOMPLETE: return "INCOMPLETE";
	case ARP_STATE_REACHABLE: return "REACHABLE";
	case ARP_STATE_STALE: return "STALE";
	default: return "NONE";
	}
}

static int ip_neigh_command(struct console_output *out, int argc, char **argv)
{
	const char *only = NULL;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "dev") == 0 && i + 1 < argc)
			only = argv[++i];
	for (unsigned i = 0; arp_cache_slot(i); i++) {
		const struct arp_entry *entry = arp_cache_slot(i);
		if (entry->state == ARP_STATE_FREE || !entry->interface || !entry->interface->device)
			continue;
		const char *device = entry->interface->device->name;
		if (only && strcmp(only, device) != 0)
			continue;
		uint32_t address = ntohl(entry->address);
		console_printf(out, "%u.%u.%u.%u dev %s ", address >> 24, address >> 16 & 0xFF, address >> 8 & 0xFF,
			       address & 0xFF, device);
		if (entry->state != ARP_STATE_INCOMPLETE) {
			const uint8_t *mac = entry->mac;
			console_printf(out, "lladdr %02x:%02x:%02x:%02x:%02x:%02x ", mac[0], mac[1], mac[2], mac[3], mac[4],
				       mac[5]);
		}
		console_printf(out, "%s \n", state_name(entry->state));
	}
	return 0;
}
CONSOLE_COMMAND("ip neigh", "ip neigh [show [dev NAME]]: the ARP cache", ip_neigh_command);
CONSOLE_COMMAND("ip neighbour", "(the same)", ip_neigh_command);
