/* probe.c - is the acknowledged address free? (RFC 2131 4.4.1: the client
 * SHOULD check, and DECLINE it if not; the check is RFC 5227 2.1's probe.)
 *
 * Probes are ARP requests with sender IP 0 (net/ethernet/arp.h arp_probe);
 * the address is in use when, until the wait ends, any ARP packet comes from
 * it (a reply, or the holder's own traffic) or another host probes for it
 * too (2.1.1: sender 0, same target, another MAC). RFC 5227 spaces its 3
 * probes 1-2 s apart and then waits 2 s, about 5 s before an address may be
 * used; a server on the same link answers within milliseconds, and a
 * unikernel that boots in tens of milliseconds should not then wait five
 * seconds, so the window is keel.dhcp.probe_ms= (two probes, the second
 * half-way). The default, 50 ms, is a hundred times a LAN's ARP round trip
 * and keeps the whole exchange within tens of milliseconds (issue 9);
 * NetworkManager's ipv4.dad-timeout takes 200 ms, and a network with slow
 * responders (a loaded VM host, a Wi-Fi bridge) may want that: 200 here.
 * keel.dhcp.probe_ms=0 skips the check as Linux's in-kernel client does. */
#include "net/dhcp/internal.h"

#include <string.h>

#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "net/ethernet/arp.h"
#include "net/wire/arp.h"
#include "net/wire/ethernet.h"

CMDLINE_KEY("keel.dhcp.probe_ms", "<ms>: ARP probe window before a leased address is used (RFC 5227; 0: none; default 50)");

#define PROBE_DEFAULT_MS 50
#define PROBE_COUNT 2

static struct {
	struct dhcp_client *client;
	be32 address;
	unsigned sent;
	uint64_t window_ns;
	struct timer timer;
} probe;

static void observe(struct net_interface *interface, const struct arp_packet *arp)
{
	if (probe.client == NULL || interface != probe.client->interface)
		return;
	bool holder_speaks = arp->sender_ip == probe.address;
	bool other_probe = arp->sender_ip == 0 && arp->target_ip == probe.address &&
			   memcmp(arp->sender_mac, interface->device->mac, ETHERNET_ADDRESS_LENGTH) != 0;
	if (!holder_speaks && !other_probe)
		return;
	uint8_t mac[ETHERNET_ADDRESS_LENGTH];
	memcpy(mac, arp->sender_mac, sizeof(mac));
	struct dhcp_client *client = probe.client;
	dhcp_probe_cancel();
	dhcp_probe_done(client, mac);
}

static void probe_timer(struct timer *timer, void *context)
{
	if (probe.sent < PROBE_COUNT) {
		arp_probe(probe.client->interface, probe.address);
		probe.sent++;
		timer_arm(timer, clock_monotonic_ns() + probe.window_ns / PROBE_COUNT);
		return;
	}
	struct dhcp_client *client = probe.client;
	dhcp_probe_cancel();
	dhcp_probe_done(client, NULL);
}

void dhcp_probe_start(struct dhcp_client *client, be32 address)
{
	uint64_t window_ms = cmdline_get_u64("keel.dhcp.probe_ms", PROBE_DEFAULT_MS);
	if (window_ms == 0) {
		dhcp_probe_done(client, NULL);
		return;
	}
	probe.client = client;
	probe.address = address;
	probe.sent = 0;
	probe.window_ns = window_ms * NSEC_PER_MSEC;
	arp_set_observer(observe);
	timer_setup(&probe.timer, probe_timer, NULL);
	probe_timer(&probe.timer, NULL);
}

void dhcp_probe_cancel(void)
{
	if (probe.client == NULL)
		return;
	timer_cancel(&probe.timer);
	arp_set_observer(NULL);
	probe.client = NULL;
}
