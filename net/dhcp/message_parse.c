/* message_parse.c - validating a server's reply (contract in
 * net/dhcp/message.h). Reads the bytes with memcpy only: a reply sits
 * wherever the socket copied it, aligned or not. */
#include "net/dhcp/message.h"

#include <string.h>

#define BOOTREPLY 2
#define HARDWARE_ETHERNET 1
#define HARDWARE_ADDRESS_LENGTH 6
#define OVERLOAD_FILE 1                    /* RFC 2132 9.3 */
#define OVERLOAD_SNAME 2
#define OVERLOAD_BOTH 3
#define MTU_MIN 68                         /* RFC 2132 5.1: the option's minimum (RFC 791's) */

struct option_area {
	const uint8_t *start;
	size_t length;
	bool is_options_field;                 /* option 52 is only valid there */
};

static be32 read_be32(const uint8_t *at)
{
	be32 value;
	memcpy(&value, at, 4);
	return value;
}

static uint32_t read_u32(const uint8_t *at)
{
	return ntohl(read_be32(at));
}

bool dhcp_address_is_unicast(be32 address)
{
	uint32_t value = ntohl(address);
	uint32_t first_octet = value >> 24;
	return first_octet != 0 && first_octet != 127 && first_octet < 224;   /* 224/4 multicast, 240/4 E and broadcast */
}

/* RFC 3442: width, the significant octets of the prefix, the router. */
static enum net_drop_reason parse_classless_routes(const uint8_t *value, size_t length, struct dhcp_reply *reply)
{
	reply->route_count = 0;
	size_t at = 0;
	while (at < length) {
		uint8_t width = value[at];
		size_t octets = (width + 7u) / 8u;
		if (width > 32 || at + 1 + octets + 4 > length)
			return NET_DROP_DHCP_BAD_OPTION;
		uint8_t prefix[4] = { 0 };
		memcpy(prefix, value + at + 1, octets);
		be32 prefix_value = read_be32(prefix);
		be32 mask = width ? htonl(~0u << (32 - width)) : 0;
		if (prefix_value & ~mask)                    /* RFC 3442: bits beyond the width are zero */
			return NET_DROP_DHCP_BAD_OPTION;
		if (reply->route_count < DHCP_ROUTES_MAX)
			reply->routes[reply->route_count++] = (struct dhcp_route){ prefix_value, width,
										  read_be32(value + at + 1 + octets) };
		at += 1 + octets + 4;
	}
	reply->has_classless_routes = true;
	return NET_DROP_NONE;
}

static void copy_message(const uint8_t *value, size_t length, char *text)
{
	size_t kept = length < DHCP_SERVER_MESSAGE_MAX ? length : DHCP_SERVER_MESSAGE_MAX;
	for (size_t i = 0; i < kept; i++)
		text[i] = value[i] >= 0x20 && value[i] < 0x7F ? (char)value[i] : '?';   /* never control bytes on the console */
	text[kept] = '\0';
}

static enum net_drop_reason take_address_list(const uint8_t *value, size_t length, struct dhcp_reply *reply)
{
	if (length < 4 || length % 4)
		return NET_DROP_DHCP_BAD_OPTION;
	reply->dns_count = 0;
	for (size_t at = 0; at < length && reply->dns_count < DHCP_DNS_MAX; at += 4)
		reply->dns[reply->dns_count++] = read_be32(value + at);
	return NET_DROP_NONE;
}

static enum net_drop_reason take_u32(const uint8_t *value, size_t length, uint32_t *field, bool *present)
{
	if (length != 4)
		return NET_DROP_DHCP_BAD_OPTION;
	*field = read_u32(value);
	*present = true;
	return NET_DROP_NONE;
}

/* One option we use; the rest are skipped. */
static enum net_drop_reason take_option(uint8_t code, const uint8_t *value, size_t length, struct dhcp_reply *reply)
{
	switch (code) {
	case DHCP_OPTION_MESSAGE_TYPE:
		if (length != 1)
			return NET_DROP_DHCP_BAD_OPTION;
		reply->type = value[0];
		return NET_DROP_NONE;
	case DHCP_OPTION_SUBNET_MASK:
		if (length != 4)
			return NET_DROP_DHCP_BAD_OPTION;
		reply->subnet_mask = read_be32(value);
		reply->has_subnet_mask = true;
		return NET_DROP_NONE;
	case DHCP_OPTION_SERVER_ID:
		if (length != 4)
			return NET_DROP_DHCP_BAD_OPTION;
		reply->server_id = read_be32(value);
		return NET_DROP_NONE;
	case DHCP_OPTION_ROUTER:
		if (length < 4 || length % 4)
			return NET_DROP_DHCP_BAD_OPTION;
		reply->router = read_be32(value);
		return NET_DROP_NONE;
	case DHCP_OPTION_DNS:
		return take_address_list(value, length, reply);
	case DHCP_OPTION_LEASE_TIME:
		return take_u32(value, length, &reply->lease_s, &reply->has_lease);
	case DHCP_OPTION_RENEWAL_TIME:
		return take_u32(value, length, &reply->renewal_s, &reply->has_renewal);
	case DHCP_OPTION_REBINDING_TIME:
		return take_u32(value, length, &reply->rebinding_s, &reply->has_rebinding);
	case DHCP_OPTION_INTERFACE_MTU:
		if (length != 2 || (value[0] << 8 | value[1]) < MTU_MIN)
			return NET_DROP_DHCP_BAD_OPTION;
		reply->mtu = (uint16_t)(value[0] << 8 | value[1]);
		return NET_DROP_NONE;
	case DHCP_OPTION_CLASSLESS_ROUTES:
		return parse_classless_routes(value, length, reply);
	case DHCP_OPTION_MESSAGE:
		copy_message(value, length, reply->server_message);
		return NET_DROP_NONE;
	default:
		return NET_DROP_NONE;
	}
}

/* Walks one area (RFC 2132 2): pad, end, or code-length-value within the
 * area. Option 52 is taken only from the options field (RFC 2132 9.3). */
static enum net_drop_reason walk_area(const struct option_area *area, struct dhcp_reply *reply, uint8_t *overload)
{
	size_t at = 0;
	while (at < area->length) {
		uint8_t code = area->start[at];
		if (code == DHCP_OPTION_PAD) {
			at++;
			continue;
		}
		if (code == DHCP_OPTION_END)
			return NET_DROP_NONE;
		if (at + 2 > area->length || at + 2 + area->start[at + 1] > area->length)
			return NET_DROP_DHCP_BAD_OPTION;
		const uint8_t *value = area->start + at + 2;
		size_t length = area->start[at + 1];
		if (code == DHCP_OPTION_OVERLOAD) {
			if (!area->is_options_field || length != 1 || value[0] < OVERLOAD_FILE || value[0] > OVERLOAD_BOTH)
				return NET_DROP_DHCP_BAD_OVERLOAD;
			*overload = value[0];
		} else {
			enum net_drop_reason reason = take_option(code, value, length, reply);
			if (reason != NET_DROP_NONE)
				return reason;
		}
		at += 2 + length;
	}
	return NET_DROP_DHCP_NO_END;
}

/* The options field, then `file`, then `sname` (RFC 2132 9.3's order). */
static enum net_drop_reason walk_options(const uint8_t *data, size_t length, struct dhcp_reply *reply)
{
	uint8_t overload = 0;
	const struct option_area options = { data + DHCP_OPTIONS_OFFSET, length - DHCP_OPTIONS_OFFSET, true };
	enum net_drop_reason reason = walk_area(&options, reply, &overload);
	if (reason == NET_DROP_NONE && (overload & OVERLOAD_FILE)) {
		const struct option_area file = { data + DHCP_FILE_OFFSET, DHCP_FILE_LENGTH, false };
		reason = walk_area(&file, reply, &overload);
	}
	if (reason == NET_DROP_NONE && (overload & OVERLOAD_SNAME)) {
		const struct option_area sname = { data + DHCP_SNAME_OFFSET, DHCP_SNAME_LENGTH, false };
		reason = walk_area(&sname, reply, &overload);
	}
	return reason;
}

static enum net_drop_reason check_header(const uint8_t *data, size_t length, be32 xid, const uint8_t *mac)
{
	if (length < DHCP_OPTIONS_OFFSET)
		return NET_DROP_DHCP_TRUNCATED;
	if (data[0] != BOOTREPLY)
		return NET_DROP_DHCP_BAD_OP;
	if (data[1] != HARDWARE_ETHERNET || data[2] != HARDWARE_ADDRESS_LENGTH)
		return NET_DROP_DHCP_BAD_HARDWARE;
	if (read_be32(data + 4) != xid)
		return NET_DROP_DHCP_WRONG_XID;
	if (memcmp(data + 28, mac, HARDWARE_ADDRESS_LENGTH) != 0)
		return NET_DROP_DHCP_NOT_OUR_MAC;
	if (read_u32(data + DHCP_COOKIE_OFFSET) != DHCP_MAGIC_COOKIE)
		return NET_DROP_DHCP_BAD_COOKIE;
	return NET_DROP_NONE;
}

/* What the message type requires (RFC 2131 4.3.1 table 3). */
static enum net_drop_reason check_contents(struct dhcp_reply *reply)
{
	if (reply->type != DHCP_OFFER && reply->type != DHCP_ACK && reply->type != DHCP_NAK)
		return NET_DROP_DHCP_NO_MESSAGE_TYPE;
	if (reply->server_id == 0)
		return NET_DROP_DHCP_NO_SERVER_ID;
	if (reply->type == DHCP_NAK)
		return NET_DROP_NONE;
	if (!dhcp_address_is_unicast(reply->your_address))
		return NET_DROP_DHCP_BAD_YIADDR;
	if (reply->type == DHCP_ACK && !reply->has_lease)
		return NET_DROP_DHCP_NO_LEASE_TIME;
	if (reply->has_subnet_mask) {
		uint32_t host_bits = ~ntohl(reply->subnet_mask);
		if (host_bits == 0xFFFFFFFFu || (host_bits & (host_bits + 1)) != 0)   /* /0, or not 1s then 0s */
			return NET_DROP_DHCP_BAD_NETMASK;
	}
	return NET_DROP_NONE;
}

enum net_drop_reason dhcp_reply_parse(const uint8_t *data, size_t length, be32 xid, const uint8_t *mac,
				      struct dhcp_reply *reply)
{
	*reply = (struct dhcp_reply){ 0 };
	enum net_drop_reason reason = check_header(data, length, xid, mac);
	if (reason != NET_DROP_NONE)
		return reason;
	reply->your_address = read_be32(data + 16);
	reason = walk_options(data, length, reply);
	if (reason != NET_DROP_NONE)
		return reason;
	return check_contents(reply);
}
