/* arp_unaddressed_check.c - ARP on an interface waiting for DHCP (address
 * 0.0.0.0, net/ipv4/interface.h) and the RFC 5227 probe the DHCP client
 * sends (net/ethernet/arp.c arp_probe, arp_set_observer), fed and checked
 * with literal frames over tests/host/wire_host_shim.c; run by
 * tests/host/test_arp_unaddressed.py. Prints "<n> failures".
 *
 * Without an address, a request for what was our address, or for 0.0.0.0,
 * is neither answered nor learned from, and another host's probe (sender IP
 * 0, like our "address") is no conflict: all arp_not_for_us, yet the
 * observer sees each; our probe is a broadcast who-has with sender IP 0;
 * with the address back the first request is answered again. */
#include <stdio.h>
#include <string.h>

#include "net/core/drop.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/interface.h"
#include "net/wire/arp.h"
#include "tests/host/host_check.h"
#include "tests/host/wire_host_shim.h"

/* who-has 10.99.0.2 tell 10.99.0.1 (60 bytes) */
static const uint8_t request_for_address[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,              /* Ethernet, IPv4, 6, 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender MAC: the peer */
	0x0a, 0x63, 0x00, 0x01,                          /* sender IP 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target MAC: unknown */
	0x0a, 0x63, 0x00, 0x02,                          /* target IP 10.99.0.2 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* padding to 60 bytes */
};

/* who-has 0.0.0.0 tell 10.99.0.1: an address nobody may claim (60 bytes) */
static const uint8_t request_for_zero[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,              /* Ethernet, IPv4, 6, 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender MAC: the peer */
	0x0a, 0x63, 0x00, 0x01,                          /* sender IP 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target MAC: unknown */
	0x00, 0x00, 0x00, 0x00,                          /* target IP 0.0.0.0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* padding to 60 bytes */
};

/* Another host's probe for 10.99.0.5: sender IP 0.0.0.0 (60 bytes) */
static const uint8_t probe_from_other[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* Ethernet source 02:00:00:00:00:07 */
	0x08, 0x06,                                      /* EtherType ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,              /* Ethernet, IPv4, 6, 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* sender MAC: the other host */
	0x00, 0x00, 0x00, 0x00,                          /* sender IP 0.0.0.0 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target MAC: zero */
	0x0a, 0x63, 0x00, 0x05,                          /* target IP 10.99.0.5 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* padding to 60 bytes */
};

/* The probe for 10.99.0.2 (RFC 5227 2.1.1), padded to 60 bytes on the wire */
static const uint8_t probe_for_address[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination: broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source: our MAC */
	0x08, 0x06,                                      /* EtherType ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04,              /* Ethernet, IPv4, 6, 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* sender MAC: ours */
	0x00, 0x00, 0x00, 0x00,                          /* sender IP 0.0.0.0: "no address yet", nobody learns it */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target MAC: zero (RFC 5227 2.1.1) */
	0x0a, 0x63, 0x00, 0x02,                          /* target IP: the address checked */
};

static unsigned observed;
static be32 observed_sender;

static void observer(struct net_interface *interface, const struct arp_packet *arp)
{
	observed++;
	observed_sender = arp->sender_ip;
}

static void inject(const uint8_t *frame, unsigned length)
{
	wire_receive(frame, length);
}

int main(void)
{
	wire_shim_start();
	struct net_interface *interface = net_interface_of(&wire_device);
	be32 address = interface->address, netmask = interface->netmask, gateway = interface->gateway;
	arp_set_observer(observer);

	net_interface_set_address(interface, 0, 0, 0);
	uint64_t not_for_us = net_drop_count(NET_DROP_ARP_NOT_FOR_US);
	inject(request_for_address, sizeof(request_for_address));
	CHECK(wire_pending() == 0);                                     /* not answered */
	CHECK(net_drop_count(NET_DROP_ARP_NOT_FOR_US) == not_for_us + 1);
	CHECK(observed == 1 && observed_sender == htonl(0x0a630001));
	inject(request_for_zero, sizeof(request_for_zero));             /* 0.0.0.0 is not "our address" */
	CHECK(wire_pending() == 0);
	inject(probe_from_other, sizeof(probe_from_other));             /* sender 0 is not a conflict with us */
	CHECK(net_drop_count(NET_DROP_ARP_NOT_FOR_US) == not_for_us + 3);
	CHECK(net_drop_count(NET_DROP_ARP_ADDRESS_CONFLICT) == 0);
	CHECK(observed == 3 && observed_sender == 0);

	arp_probe(interface, htonl(0x0a630002));
	CHECK(wire_pending() == 1);
	const struct wire_frame *probe = wire_take();
	CHECK(probe && probe->length >= sizeof(probe_for_address) &&
	      memcmp(probe->bytes, probe_for_address, sizeof(probe_for_address)) == 0);

	net_interface_set_address(interface, address, netmask, gateway);
	inject(request_for_address, sizeof(request_for_address));
	CHECK(wire_pending() == 1);                                     /* answered again */
	CHECK(observed == 4);
	arp_set_observer(NULL);
	printf("%d failures\n", failures);
	return failures != 0;
}
