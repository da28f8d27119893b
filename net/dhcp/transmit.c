/* transmit.c - what the DHCP client sends and when it sends it again
 * (net/dhcp/internal.h).
 *
 * Messages leave through UDP's own output (udp_output) with an explicit
 * source: a socket send picks its source from the route and refuses
 * 0.0.0.0, which is exactly what a client without an address must use
 * (RFC 2131 4.1). Replies come back through the client's UDP socket on port
 * 68 (client.c). Until an address is leased the broadcast flag asks servers
 * to broadcast their replies, since we cannot take unicast to an address we
 * do not hold yet (RFC 2131 4.1). */
#include "net/dhcp/internal.h"

#include "kernel/console/printk.h"
#include "kernel/time/clock.h"
#include "net/core/secret.h"
#include "net/core/siphash.h"
#include "net/udp/udp.h"
#include "net/wire/ipv4.h"

#define RETRANSMIT_FIRST_S 4               /* RFC 2131 4.1: 4 s, doubled each time, up to 64 s, +-1 s */
#define RETRANSMIT_MAX_S 64
#define REBOUND_RETRY_MIN_NS (60 * NSEC_PER_SEC)   /* RFC 2131 4.4.5: half the time left, at least 60 s */

static struct siphash_key random_key;
static uint64_t random_counter;
static bool random_ready;

uint64_t dhcp_random_below(uint64_t bound)
{
	if (!random_ready) {
		net_secret_key(&random_key);
		random_ready = true;
	}
	random_counter++;
	return siphash_2_4(&random_key, &random_counter, sizeof(random_counter)) % bound;
}

void dhcp_new_transaction(struct dhcp_client *client)
{
	client->xid = (be32)dhcp_random_below(1ull << 32);
	client->transaction_start_ns = clock_monotonic_ns();
	client->retransmissions = 0;
}

static uint16_t seconds_since_start(const struct dhcp_client *client)
{
	uint64_t seconds = (clock_monotonic_ns() - client->transaction_start_ns) / NSEC_PER_SEC;
	return seconds > 0xFFFF ? 0xFFFF : (uint16_t)seconds;
}

static void send_message(struct dhcp_client *client, const struct dhcp_request *request, be32 destination)
{
	static uint8_t buffer[DHCP_MESSAGE_MAX];
	size_t length = dhcp_request_build(request, buffer);
	struct sock_endpoint source = { request->client_address, htons(DHCP_CLIENT_PORT) };
	struct sock_endpoint to = { destination, htons(DHCP_SERVER_PORT) };
	int result = udp_output(&source, &to, buffer, length);
	if (result < 0)
		pr_warn("%s: dhcp: send failed (%d)\n", client->interface->device->name, result);
}

static struct dhcp_request base_request(struct dhcp_client *client, enum dhcp_message_type type)
{
	return (struct dhcp_request){
		.type = type,
		.xid = client->xid,
		.secs = seconds_since_start(client),
		.mac = client->interface->device->mac,
		.hostname = client->hostname,
	};
}

/* 4 s, 8 s ... 64 s, each +-1 s (RFC 2131 4.1). */
static uint64_t backoff_ns(unsigned retransmissions)
{
	uint64_t seconds = RETRANSMIT_FIRST_S;
	for (unsigned i = 0; i < retransmissions && seconds < RETRANSMIT_MAX_S; i++)
		seconds *= 2;
	return seconds * NSEC_PER_SEC - NSEC_PER_SEC + dhcp_random_below(2 * NSEC_PER_SEC + 1);
}

/* RENEWING waits for T2, REBINDING for the expiry: half the time left,
 * at least 60 s; 0 when that is beyond the wait. */
static uint64_t rebound_retry_ns(const struct dhcp_client *client, uint64_t now)
{
	const struct dhcp_lease *lease = &client->lease;
	uint64_t limit_s = client->state == DHCP_STATE_RENEWING ? lease->rebinding_s : lease->lease_s;
	uint64_t limit = lease->acquired_ns + limit_s * NSEC_PER_SEC;
	uint64_t left = limit > now ? limit - now : 0;
	uint64_t wait = left / 2 > REBOUND_RETRY_MIN_NS ? left / 2 : REBOUND_RETRY_MIN_NS;
	return wait < left ? wait : 0;          /* 0: T2 or the expiry comes first, the lease timer takes over */
}

void dhcp_transmit_for_state(struct dhcp_client *client)
{
	struct dhcp_request request;
	be32 destination = IPV4_ADDRESS_BROADCAST;
	uint64_t now = clock_monotonic_ns();
	switch (client->state) {
	case DHCP_STATE_SELECTING:
		request = base_request(client, DHCP_DISCOVER);
		request.broadcast = true;
		break;
	case DHCP_STATE_REQUESTING:    /* RFC 2131 4.3.2: server id and requested address, ciaddr 0 */
		request = base_request(client, DHCP_REQUEST);
		request.broadcast = true;
		request.requested_address = client->offer.your_address;
		request.server_id = client->offer.server_id;
		break;
	case DHCP_STATE_RENEWING:      /* RFC 2131 4.3.2: ciaddr, unicast to the server */
	case DHCP_STATE_REBINDING:     /* ciaddr, broadcast */
		request = base_request(client, DHCP_REQUEST);
		request.client_address = client->lease.address;
		if (client->state == DHCP_STATE_RENEWING)
			destination = client->lease.server_id;
		break;
	default:
		return;
	}
	client->request_sent_ns = now;
	send_message(client, &request, destination);
	uint64_t wait = client->state == DHCP_STATE_SELECTING || client->state == DHCP_STATE_REQUESTING
				? backoff_ns(client->retransmissions) : rebound_retry_ns(client, now);
	client->retransmissions++;
	if (wait)
		timer_arm(&client->retransmit_timer, now + wait);
}

void dhcp_send_decline(struct dhcp_client *client, be32 address, be32 server_id)
{
	struct dhcp_request request = base_request(client, DHCP_DECLINE);
	request.requested_address = address;     /* RFC 2131 4.4.1 table 5: MUST */
	request.server_id = server_id;
	request.hostname = NULL;
	send_message(client, &request, IPV4_ADDRESS_BROADCAST);
}

void dhcp_send_release(struct dhcp_client *client)
{
	struct dhcp_request request = base_request(client, DHCP_RELEASE);
	request.client_address = client->lease.address;   /* RFC 2131 4.4.6: unicast to the server, ciaddr */
	request.server_id = client->lease.server_id;
	request.hostname = NULL;
	request.secs = 0;
	send_message(client, &request, client->lease.server_id);
}
