/* fuzz_dhcp.c - libFuzzer harness: the DHCP reply parser
 * (net/dhcp/message_parse.c, RFC 2131, RFC 2132, RFC 3442) compiled
 * unchanged.
 *
 * Input: one BOOTP message as it arrives in a UDP datagram. The harness
 * copies it into an exactly sized heap buffer (ASan sees a read past its
 * end) and parses it twice: as sent, and with the transaction id (bytes
 * 4-7) and client hardware address (bytes 28-33) replaced by the ones the
 * client waits for, so the fuzzer goes past those checks into the option
 * areas (options, then file and sname when option 52 overloads them). A
 * reply the parser accepts must hold what its contract promises: at most
 * DHCP_DNS_MAX servers, DHCP_ROUTES_MAX routes, prefix lengths up to 32
 * and a NUL-terminated server message; anything else aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dhcp/message.h"

#define XID_OFFSET 4
#define CHADDR_OFFSET 28

static const uint8_t client_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t client_xid[4] = { 0x1a, 0x2b, 0x3c, 0x4d };

static void check_reply(const struct dhcp_reply *reply)
{
	int ok = reply->dns_count <= DHCP_DNS_MAX && reply->route_count <= DHCP_ROUTES_MAX &&
		 memchr(reply->server_message, '\0', sizeof(reply->server_message)) != NULL;
	for (unsigned i = 0; ok && i < reply->route_count; i++)
		ok = reply->routes[i].prefix_length <= 32;
	if (!ok) {
		fprintf(stderr, "fuzz_dhcp: an accepted reply breaks struct dhcp_reply's contract\n");
		abort();
	}
}

static void parse(const uint8_t *data, size_t size, be32 xid)
{
	uint8_t *packet = malloc(size ? size : 1);
	memcpy(packet, data, size);
	struct dhcp_reply reply;
	if (dhcp_reply_parse(packet, size, xid, client_mac, &reply) == NET_DROP_NONE)
		check_reply(&reply);
	free(packet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	be32 xid;
	memcpy(&xid, client_xid, sizeof(xid));
	parse(data, size, xid);
	if (size < CHADDR_OFFSET + sizeof(client_mac))
		return 0;
	uint8_t *patched = malloc(size);
	memcpy(patched, data, size);
	memcpy(patched + XID_OFFSET, client_xid, sizeof(client_xid));
	memcpy(patched + CHADDR_OFFSET, client_mac, sizeof(client_mac));
	parse(patched, size, xid);
	free(patched);
	return 0;
}
