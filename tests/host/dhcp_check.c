/* dhcp_check.c - host driver for the DHCP message code (net/dhcp/message_*.c),
 * run by tests/host/test_dhcp_message.py:
 *
 *   dhcp_check parse <xid hex> <mac hex> <packet hex>
 *       prints "drop <name>" (the reason of net/dhcp/drop_reasons.h) or
 *       "ok type=.. yiaddr=.. server=.. mask=.. router=.. lease=.. t1=.. t2=..
 *       dns=a,b mtu=.. routes=p/l>r,.. classless=0|1 message=.."
 *   dhcp_check build <type> <xid hex> <mac hex> <ciaddr> <requested> <server> <broadcast 0|1> <hostname|->
 *       prints the message built, in hex.
 *
 * The packet is copied into an exactly sized malloc block, so a read past
 * its end is an ASan error. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dhcp/message.h"

#define NAME_ENTRY(constant, name) [constant] = #name,
static const char *const reason_names[NET_DROP_REASON_TOTAL] = { DHCP_DROP_REASONS(NAME_ENTRY) };

static size_t from_hex(const char *text, uint8_t *out, size_t max)
{
	size_t length = strlen(text) / 2;
	if (length > max)
		length = max;
	for (size_t i = 0; i < length; i++) {
		unsigned value;
		sscanf(text + 2 * i, "%2x", &value);
		out[i] = (uint8_t)value;
	}
	return length;
}

static const char *dotted(be32 address, char *buffer)
{
	struct in_addr in = { address };
	return inet_ntop(AF_INET, &in, buffer, 16);
}

static void print_reply(const struct dhcp_reply *reply)
{
	char a[16], b[16], c[16], d[16];
	printf("ok type=%d yiaddr=%s server=%s mask=%s router=%s lease=%u t1=%u t2=%u dns=", reply->type,
	       dotted(reply->your_address, a), dotted(reply->server_id, b), dotted(reply->subnet_mask, c),
	       dotted(reply->router, d), reply->lease_s, reply->renewal_s, reply->rebinding_s);
	for (unsigned i = 0; i < reply->dns_count; i++)
		printf("%s%s", i ? "," : "", dotted(reply->dns[i], a));
	printf(" mtu=%u routes=", reply->mtu);
	for (unsigned i = 0; i < reply->route_count; i++)
		printf("%s%s/%u>%s", i ? "," : "", dotted(reply->routes[i].prefix, a), reply->routes[i].prefix_length,
		       dotted(reply->routes[i].router, b));
	printf(" classless=%d message=%s\n", reply->has_classless_routes, reply->server_message);
}

static int parse(char **argv)
{
	uint8_t xid_bytes[4], mac[6];
	static uint8_t scratch[70000];
	from_hex(argv[0], xid_bytes, 4);
	from_hex(argv[1], mac, 6);
	size_t length = from_hex(argv[2], scratch, sizeof(scratch));
	uint8_t *packet = malloc(length ? length : 1);
	memcpy(packet, scratch, length);
	be32 xid;
	memcpy(&xid, xid_bytes, 4);
	struct dhcp_reply reply;
	enum net_drop_reason reason = dhcp_reply_parse(packet, length, xid, mac, &reply);
	free(packet);
	if (reason == NET_DROP_NONE)
		print_reply(&reply);
	else
		printf("drop %s\n", reason_names[reason] ? reason_names[reason] : "not_a_dhcp_reason");
	return 0;
}

static int build(char **argv)
{
	uint8_t xid_bytes[4], mac[6], buffer[DHCP_MESSAGE_MAX];
	from_hex(argv[1], xid_bytes, 4);
	from_hex(argv[2], mac, 6);
	struct dhcp_request request = { .type = atoi(argv[0]), .mac = mac, .broadcast = atoi(argv[6]) != 0 };
	memcpy(&request.xid, xid_bytes, 4);
	inet_pton(AF_INET, argv[3], &request.client_address);
	inet_pton(AF_INET, argv[4], &request.requested_address);
	inet_pton(AF_INET, argv[5], &request.server_id);
	request.hostname = strcmp(argv[7], "-") ? argv[7] : NULL;
	size_t length = dhcp_request_build(&request, buffer);
	for (size_t i = 0; i < length; i++)
		printf("%02x", buffer[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "parse") == 0)
		return parse(argv + 2);
	if (argc == 10 && strcmp(argv[1], "build") == 0)
		return build(argv + 2);
	fprintf(stderr, "usage: dhcp_check parse <xid> <mac> <hex> | build <type> <xid> <mac> <ciaddr> <req> <server> <bcast> <host>\n");
	return 2;
}
