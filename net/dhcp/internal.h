/* internal.h - shared by the DHCP client's files (net/dhcp/): the client's
 * state, and what each file does for the state machine (client.c):
 * transmit.c sends and schedules retransmissions, lease.c applies and
 * removes a lease, probe.c checks an address with ARP (RFC 5227). */
#ifndef KEEL_NET_DHCP_INTERNAL_H
#define KEEL_NET_DHCP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/time/timer.h"
#include "net/dhcp/message.h"
#include "net/ipv4/interface.h"
#include "net/socket/sock.h"

/* RFC 2131 4.4 figure 5, with CHECKING for the ARP probe of 4.4.1. */
enum dhcp_state {
	DHCP_STATE_INIT,
	DHCP_STATE_SELECTING,
	DHCP_STATE_REQUESTING,
	DHCP_STATE_CHECKING,
	DHCP_STATE_BOUND,
	DHCP_STATE_RENEWING,
	DHCP_STATE_REBINDING,
};

/* The lease in use (BOUND, RENEWING, REBINDING). */
struct dhcp_lease {
	be32 address, netmask, router, server_id;
	uint32_t lease_s, renewal_s, rebinding_s;
	uint64_t acquired_ns;                  /* when the REQUEST that got it was sent (RFC 2131 4.4.1) */
	be32 dns[DHCP_DNS_MAX];
	unsigned dns_count;
	uint16_t mtu;
	bool has_classless_routes;
	struct dhcp_route routes[DHCP_ROUTES_MAX];
	unsigned route_count;
};

struct dhcp_client {
	struct net_interface *interface;
	struct sock sock;
	enum dhcp_state state;
	be32 xid;
	uint64_t transaction_start_ns;         /* for secs (RFC 2131 2) */
	uint64_t request_sent_ns;              /* the last REQUEST: the lease counts from it */
	unsigned retransmissions;              /* in this state */
	struct timer retransmit_timer;         /* next retransmission, or the restart after a NAK/DECLINE */
	struct timer lease_timer;              /* T1, T2, expiry */
	struct dhcp_reply offer;               /* SELECTING -> REQUESTING: the offer taken; CHECKING: the ACK */
	struct dhcp_lease lease;
	bool leased;                           /* lease holds an address in use */
	uint16_t device_mtu;                   /* the device's MTU before option 26 lowered it */
	char hostname[DHCP_HOSTNAME_MAX + 1];
};

extern struct dhcp_client dhcp_client;

/* client.c: binds port 68, picks the host name and sends the first
 * DISCOVER; false when the socket cannot be had. */
bool dhcp_client_open(struct dhcp_client *client);

/* transmit.c: a new transaction id and start time. */
void dhcp_new_transaction(struct dhcp_client *client);
/* Sends the message the state asks for (DISCOVER, REQUEST) and arms the
 * retransmission: RFC 2131 4.1's 4 s doubling to 64 s with +-1 s in
 * SELECTING/REQUESTING, half the time left in RENEWING/REBINDING (4.4.5). */
void dhcp_transmit_for_state(struct dhcp_client *client);
void dhcp_send_decline(struct dhcp_client *client, be32 address, be32 server_id);
void dhcp_send_release(struct dhcp_client *client);
/* A uniformly random number below bound (bound > 0). */
uint64_t dhcp_random_below(uint64_t bound);

/* lease.c: installs reply (an ACK) as the lease: address, routes (option
 * 121 over option 3), MTU, DNS; prints the bound line. */
void dhcp_lease_apply(struct dhcp_client *client, const struct dhcp_reply *reply, bool renewed);
/* Removes the address, routes and MTU change. */
void dhcp_lease_remove(struct dhcp_client *client);

/* probe.c: RFC 5227 2.1 probes of address; calls dhcp_probe_done with the
 * conflicting host's MAC, or NULL when nobody claimed it. */
void dhcp_probe_start(struct dhcp_client *client, be32 address);
void dhcp_probe_cancel(void);
void dhcp_probe_done(struct dhcp_client *client, const uint8_t *conflict_mac);

#endif
