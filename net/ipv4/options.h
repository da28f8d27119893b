/* options.h - received IPv4 options (RFC 791 3.1, RFC 1812 4.2.2.x),
 * judged as Linux's ip_options_compile judges them for a datagram to the
 * local host, and echoed into a reply as its ip_options_echo does.
 *
 * Input (ipv4_options_input, on every datagram and fragment whose IHL is
 * above 5): the options area is walked; an option whose length or pointer
 * is malformed, a duplicate Record Route / Timestamp / source route, a
 * truncated option at the end of the area, or a Timestamp whose overflow
 * count would pass 15 makes the datagram malformed (ip_bad_options): the
 * caller drops it and answers ICMP parameter problem pointing at the bad
 * octet (RFC 792, counted from the IP header's first byte). A well-formed
 * datagram carrying LSRR or SSRR is dropped silently (ip_source_route)
 * unless net.ipv4.conf.all.accept_source_route is 1, as Linux's default
 * does (RFC 1122 3.3.5 leaves it to the host; we never forward, so with 1
 * only a route that is used up, ours the final hop, is delivered, and its
 * replies do not yet carry the reversed route RFC 1122 3.2.1.8 asks for). Record
 * Route and Timestamp are then processed in place as a hop: our address
 * and the time recorded when there is room, the overflow count bumped when
 * there is none (RFC 791), and the header checksum made right again.
 *
 * Reply (ipv4_options_echo): Record Route and Timestamp of the received
 * datagram are carried back (RFC 1122 3.2.2.6, 3.2.1.8), with our address /
 * time recorded once more as our output hop when there is room; no other
 * option is echoed. */
#ifndef KEEL_NET_IPV4_OPTIONS_H
#define KEEL_NET_IPV4_OPTIONS_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/core/netdev.h"

#define IPV4_OPTIONS_MAX_LENGTH 40

/* Option types (RFC 791 3.1, RFC 1108, RFC 2113) */
#define IPV4_OPTION_RECORD_ROUTE 7
#define IPV4_OPTION_TIMESTAMP 68
#define IPV4_OPTION_LOOSE_SOURCE_ROUTE 131
#define IPV4_OPTION_CIPSO 134
#define IPV4_OPTION_STRICT_SOURCE_ROUTE 137
#define IPV4_OPTION_ROUTER_ALERT 148

/* Timestamp flags (the low nibble of its fourth byte) */
#define IPV4_TIMESTAMP_ONLY 0
#define IPV4_TIMESTAMP_AND_ADDRESS 1
#define IPV4_TIMESTAMP_PRESPECIFIED 3

/* net.ipv4.conf.{all,<dev>}.accept_source_route: net/ipv4/devconf.h. */

/* header: a received IPv4 header (checksum checked, IHL > 5, all of it in
 * memory). Returns NET_DROP_NONE when it is acceptable, having processed
 * Record Route and Timestamp in place as described above; else the reason
 * (NET_DROP_IP_BAD_OPTIONS with *problem_pointer set to the bad octet's
 * offset from the header start, or NET_DROP_IP_SOURCE_ROUTE), header
 * untouched. local: our address, the one recorded; in: the device it
 * arrived on (its accept_source_route). */
enum net_drop_reason ipv4_options_input(uint8_t *header, be32 local, const struct netdev *in, uint8_t *problem_pointer);

/* The options of a reply to the datagram whose header ipv4_options_input
 * accepted, into reply (IPV4_OPTIONS_MAX_LENGTH bytes): returns their
 * length (a multiple of 4, END-padded; 0 when nothing is echoed), or -1
 * when an option leaves no whole slot for the reply's own record (Linux
 * then sends no reply). */
int ipv4_options_echo(const uint8_t *header, be32 local, uint8_t *reply);

#endif
