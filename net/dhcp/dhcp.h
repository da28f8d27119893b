/* dhcp.h - the DHCP client (RFC 2131, options of RFC 2132 and RFC 3442),
 * selected by `ip=dhcp` (net/ipv4/interface.h hands over the interface).
 *
 * INIT -> SELECTING (DISCOVER) -> REQUESTING (REQUEST) -> CHECKING (RFC 5227
 * ARP probes of the acknowledged address; DECLINE when another host holds
 * it) -> BOUND -> RENEWING at T1 (REQUEST unicast to the server) ->
 * REBINDING at T2 (broadcast) -> at expiry the address and routes are
 * removed and the client starts over; a NAK also starts over. Every
 * transition is one console line ("eth0: dhcp bound 10.0.2.15/24 via
 * 10.0.2.2 lease 86400 s server 10.0.2.2"). Replies that fail a check are
 * counted under their drop reason (net/dhcp/drop_reasons.h). */
#ifndef KEEL_NET_DHCP_H
#define KEEL_NET_DHCP_H

#include <stdbool.h>

#include "net/core/byteorder.h"

/* Sends the first DISCOVER at once when ip= asked for DHCP; else nothing. */
void dhcp_start(void);
/* Runs the network until the address is bound, or for keel.dhcp.timeout=
 * seconds (default 60; then says so and the client keeps trying). Returns
 * at once without DHCP. For the bring-up: the app starts after it. */
void dhcp_wait_for_lease(void);
/* The DNS servers of the current lease (option 6, at most 3; none while
 * no address is leased): copies up to max of them into servers and returns
 * how many. For a resolver in the app's libc hooks; nothing asks yet. */
unsigned dhcp_dns_servers(be32 *servers, unsigned max);

#endif
