/* message_build.c - the client's messages (net/dhcp/message.h): the BOOTP
 * header, the magic cookie and the options of RFC 2131 4.4.1 table 5, padded
 * to BOOTP's 300 bytes. */
#include "net/dhcp/message.h"

#include <string.h>

#define BOOTREQUEST 1
#define HARDWARE_ETHERNET 1
#define HARDWARE_ADDRESS_LENGTH 6
#define CLIENT_ID_TYPE_ETHERNET 1          /* RFC 2132 9.14: the hardware type, then the address */

/* What we ask for (RFC 2132 9.8), in the order we use it. */
static const uint8_t parameter_request_list[] = {
	DHCP_OPTION_SUBNET_MASK, DHCP_OPTION_ROUTER, DHCP_OPTION_DNS, DHCP_OPTION_INTERFACE_MTU,
	DHCP_OPTION_LEASE_TIME, DHCP_OPTION_SERVER_ID, DHCP_OPTION_RENEWAL_TIME, DHCP_OPTION_REBINDING_TIME,
	DHCP_OPTION_CLASSLESS_ROUTES,
};

struct option_writer {
	uint8_t *at;
};

static void put_option(struct option_writer *writer, uint8_t code, const void *value, uint8_t length)
{
	writer->at[0] = code;
	writer->at[1] = length;
	memcpy(writer->at + 2, value, length);
	writer->at += 2 + length;
}

static void put_address_option(struct option_writer *writer, uint8_t code, be32 address)
{
	if (address)
		put_option(writer, code, &address, sizeof(address));
}

static void write_header(const struct dhcp_request *request, uint8_t *buffer)
{
	buffer[0] = BOOTREQUEST;
	buffer[1] = HARDWARE_ETHERNET;
	buffer[2] = HARDWARE_ADDRESS_LENGTH;
	memcpy(buffer + 4, &request->xid, 4);
	be16 secs = htons(request->secs);
	be16 flags = htons(request->broadcast ? DHCP_FLAG_BROADCAST : 0);
	memcpy(buffer + 8, &secs, 2);
	memcpy(buffer + 10, &flags, 2);
	memcpy(buffer + 12, &request->client_address, 4);
	memcpy(buffer + 28, request->mac, HARDWARE_ADDRESS_LENGTH);
	be32 cookie = htonl(DHCP_MAGIC_COOKIE);
	memcpy(buffer + DHCP_COOKIE_OFFSET, &cookie, 4);
}

size_t dhcp_request_build(const struct dhcp_request *request, uint8_t *buffer)
{
	memset(buffer, 0, DHCP_MESSAGE_MAX);
	write_header(request, buffer);
	struct option_writer writer = { buffer + DHCP_OPTIONS_OFFSET };
	uint8_t type = (uint8_t)request->type;
	put_option(&writer, DHCP_OPTION_MESSAGE_TYPE, &type, 1);
	uint8_t client_id[1 + HARDWARE_ADDRESS_LENGTH] = { CLIENT_ID_TYPE_ETHERNET };
	memcpy(client_id + 1, request->mac, HARDWARE_ADDRESS_LENGTH);
	put_option(&writer, DHCP_OPTION_CLIENT_ID, client_id, sizeof(client_id));
	put_address_option(&writer, DHCP_OPTION_REQUESTED_ADDRESS, request->requested_address);
	put_address_option(&writer, DHCP_OPTION_SERVER_ID, request->server_id);
	/* RFC 2131 4.4.1 table 5: DECLINE and RELEASE carry no parameters. */
	if (request->type == DHCP_DISCOVER || request->type == DHCP_REQUEST) {
		put_option(&writer, DHCP_OPTION_PARAMETER_LIST, parameter_request_list, sizeof(parameter_request_list));
		if (request->hostname) {
			size_t length = strnlen(request->hostname, DHCP_HOSTNAME_MAX);
			put_option(&writer, DHCP_OPTION_HOST_NAME, request->hostname, (uint8_t)length);
		}
	}
	*writer.at++ = DHCP_OPTION_END;
	size_t length = (size_t)(writer.at - buffer);
	return length < DHCP_BOOTP_MIN_LENGTH ? DHCP_BOOTP_MIN_LENGTH : length;
}
