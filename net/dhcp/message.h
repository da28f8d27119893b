/* message.h - the DHCP message on the wire (RFC 2131 2, the BOOTP layout of
 * RFC 951 with the options of RFC 2132): building the client's messages and
 * validating the server's replies. Pure code (no kernel calls, no state), so
 * host tests feed it literal packet bytes.
 *
 * dhcp_reply_parse runs the checks in a fixed order, one drop reason each
 * (net/dhcp/drop_reasons.h): length, op, hardware type/length, xid, chaddr,
 * the magic cookie, then every option area (the options field, then `file`
 * and `sname` when option 52 overloads them, RFC 2132 9.3) walked with its
 * length checked against the area, each area ending in the end option; then
 * the message type, the server identifier, and for OFFER/ACK a yiaddr that
 * can be one host's unicast address. Options it does not use are skipped. */
#ifndef KEEL_NET_DHCP_MESSAGE_H
#define KEEL_NET_DHCP_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/drop.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LENGTH 236              /* op .. file (RFC 2131 2, figure 1) */
#define DHCP_COOKIE_OFFSET DHCP_FIXED_LENGTH
#define DHCP_OPTIONS_OFFSET (DHCP_FIXED_LENGTH + 4)
#define DHCP_SNAME_OFFSET 44
#define DHCP_SNAME_LENGTH 64
#define DHCP_FILE_OFFSET 108
#define DHCP_FILE_LENGTH 128
#define DHCP_MESSAGE_MAX 576               /* what we send: RFC 2131 2's minimum every host accepts */
#define DHCP_BOOTP_MIN_LENGTH 300          /* BOOTP's minimum: some relays drop shorter (RFC 1542 2.1) */
#define DHCP_FLAG_BROADCAST 0x8000         /* RFC 2131 2, figure 2 */
#define DHCP_MAGIC_COOKIE 0x63825363u      /* 99.130.83.99 (RFC 2131 3) */

#define DHCP_DNS_MAX 3                     /* as Linux's ipconfig (CONF_NAMESERVERS_MAX) */
#define DHCP_ROUTES_MAX 16                 /* option 121 routes kept */
#define DHCP_HOSTNAME_MAX 63
#define DHCP_SERVER_MESSAGE_MAX 64         /* option 56, for the console */

/* RFC 2132 9.6 message types. */
enum dhcp_message_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
};

/* RFC 2132 option codes used here. */
enum dhcp_option_code {
	DHCP_OPTION_PAD = 0,
	DHCP_OPTION_SUBNET_MASK = 1,
	DHCP_OPTION_ROUTER = 3,
	DHCP_OPTION_DNS = 6,
	DHCP_OPTION_HOST_NAME = 12,
	DHCP_OPTION_INTERFACE_MTU = 26,
	DHCP_OPTION_REQUESTED_ADDRESS = 50,
	DHCP_OPTION_LEASE_TIME = 51,
	DHCP_OPTION_OVERLOAD = 52,
	DHCP_OPTION_MESSAGE_TYPE = 53,
	DHCP_OPTION_SERVER_ID = 54,
	DHCP_OPTION_PARAMETER_LIST = 55,
	DHCP_OPTION_MESSAGE = 56,
	DHCP_OPTION_RENEWAL_TIME = 58,
	DHCP_OPTION_REBINDING_TIME = 59,
	DHCP_OPTION_CLIENT_ID = 61,
	DHCP_OPTION_CLASSLESS_ROUTES = 121,   /* RFC 3442 */
	DHCP_OPTION_END = 255,
};

/* One RFC 3442 route: prefix/length via router (0.0.0.0: on-link). */
struct dhcp_route {
	be32 prefix;
	uint8_t prefix_length;
	be32 router;
};

/* What a validated reply says. Absent options read 0 / false. */
struct dhcp_reply {
	enum dhcp_message_type type;
	be32 your_address;                     /* yiaddr */
	be32 server_id;                        /* option 54 */
	be32 subnet_mask;                      /* option 1 */
	bool has_subnet_mask;
	be32 router;                           /* option 3's first, 0: absent */
	uint32_t lease_s, renewal_s, rebinding_s;   /* options 51, 58, 59; 0: absent */
	bool has_lease, has_renewal, has_rebinding;
	be32 dns[DHCP_DNS_MAX];
	unsigned dns_count;
	uint16_t mtu;                          /* option 26, 0: absent */
	bool has_classless_routes;             /* option 121 present (it then wins over option 3, RFC 3442) */
	struct dhcp_route routes[DHCP_ROUTES_MAX];
	unsigned route_count;
	char server_message[DHCP_SERVER_MESSAGE_MAX + 1];   /* option 56, printable characters only */
};

/* What the client puts in a message it sends (RFC 2131 4.4.1 table 5). */
struct dhcp_request {
	enum dhcp_message_type type;
	be32 xid;
	uint16_t secs;
	bool broadcast;                        /* ask for broadcast replies: we cannot take unicast yet */
	be32 client_address;                   /* ciaddr: RENEWING, REBINDING, RELEASE */
	be32 requested_address;                /* option 50, 0: absent */
	be32 server_id;                        /* option 54, 0: absent */
	const uint8_t *mac;                    /* chaddr and the client id (option 61, type 1) */
	const char *hostname;                  /* option 12, NULL: absent */
};

/* Builds request into buffer (DHCP_MESSAGE_MAX bytes); returns the length. */
size_t dhcp_request_build(const struct dhcp_request *request, uint8_t *buffer);
/* Validates a reply to transaction xid for mac: NET_DROP_NONE and *reply
 * filled, or why it is dropped. */
enum net_drop_reason dhcp_reply_parse(const uint8_t *data, size_t length, be32 xid, const uint8_t *mac,
				      struct dhcp_reply *reply);
/* Whether address can be one host's unicast address: not 0/8, loopback,
 * multicast, class E or the limited broadcast (yiaddr sanity). */
bool dhcp_address_is_unicast(be32 address);

#endif
