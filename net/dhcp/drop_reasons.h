/* drop_reasons.h - why the DHCP client (RFC 2131/2132) ignores a reply: an
 * X-macro list of X(constant, name), composed into enum net_drop_reason by
 * net/core/drop.h (include that, not this). The name is what the stats print
 * ("dhcp_wrong_xid"): tests parse it, so it never changes once printed. */
#ifndef KEEL_NET_DHCP_DROP_REASONS_H
#define KEEL_NET_DHCP_DROP_REASONS_H

/* net/dhcp/message.c in checking order, then net/dhcp/client.c */
#define DHCP_DROP_REASONS(X) \
	X(NET_DROP_DHCP_TRUNCATED, dhcp_truncated)               /* shorter than BOOTP's 236 bytes and the cookie */ \
	X(NET_DROP_DHCP_BAD_OP, dhcp_bad_op)                     /* op is not BOOTREPLY */ \
	X(NET_DROP_DHCP_BAD_HARDWARE, dhcp_bad_hardware)         /* htype/hlen not Ethernet's 1/6 */ \
	X(NET_DROP_DHCP_WRONG_XID, dhcp_wrong_xid)               /* not the transaction we are in */ \
	X(NET_DROP_DHCP_NOT_OUR_MAC, dhcp_not_our_mac)           /* chaddr is another client's */ \
	X(NET_DROP_DHCP_BAD_COOKIE, dhcp_bad_cookie)             /* no 99.130.83.99 magic cookie (RFC 2131 3) */ \
	X(NET_DROP_DHCP_BAD_OPTION, dhcp_bad_option)             /* an option runs past its area or has a bad length/value */ \
	X(NET_DROP_DHCP_NO_END, dhcp_no_end)                     /* an option area without the end option (RFC 2132 3.2) */ \
	X(NET_DROP_DHCP_BAD_OVERLOAD, dhcp_bad_overload)         /* option 52 outside the options field or not 1-3 */ \
	X(NET_DROP_DHCP_NO_MESSAGE_TYPE, dhcp_no_message_type)   /* no option 53, or not OFFER/ACK/NAK */ \
	X(NET_DROP_DHCP_NO_SERVER_ID, dhcp_no_server_id)         /* OFFER/ACK/NAK without option 54 (RFC 2131 4.3.1) */ \
	X(NET_DROP_DHCP_BAD_YIADDR, dhcp_bad_yiaddr)             /* 0, 0/8, loopback, multicast, class E or broadcast */ \
	X(NET_DROP_DHCP_NO_LEASE_TIME, dhcp_no_lease_time)       /* ACK without option 51 */ \
	X(NET_DROP_DHCP_BAD_NETMASK, dhcp_bad_netmask)           /* option 1 not a contiguous mask, or /0 */ \
	X(NET_DROP_DHCP_UNEXPECTED, dhcp_unexpected)             /* a message the current state does not wait for */ \
	X(NET_DROP_DHCP_WRONG_SERVER, dhcp_wrong_server)         /* ACK/NAK from a server we did not select */ \
	X(NET_DROP_DHCP_BAD_SOURCE_PORT, dhcp_bad_source_port)   /* not from port 67 */

#endif
