/* client.c - the DHCP client's state machine (net/dhcp/dhcp.h tells what it
 * does; net/dhcp/internal.h how the files share it).
 *
 * Replies arrive on a UDP socket bound to port 68 (its data-ready callback
 * runs from the receive path); each is validated by dhcp_reply_parse, then
 * accepted only when the state waits for it. Timers drive the rest:
 * retransmit_timer (transmit.c's backoff; also the pause before starting
 * over after a NAK or a DECLINE) and lease_timer (T1, T2, expiry, counted
 * from the REQUEST that got the lease, RFC 2131 4.4.1). */
#include "net/dhcp/internal.h"

#include <stdio.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "net/ipv4/ip_config.h"
#include "net/udp/udp.h"

CMDLINE_KEY("keel.hostname", "<name>: host name sent to the DHCP server (option 12; default keel-<mac>)");

#define REQUEST_TRIES 4                                  /* REQUESTING: then back to INIT */
#define RESTART_AFTER_NAK_NS (1 * NSEC_PER_SEC)          /* a server that NAKs every REQUEST is not a busy loop */
#define RESTART_AFTER_DECLINE_NS (10 * NSEC_PER_SEC)     /* RFC 2131 3.1 step 5: at least ten seconds */
#define LINK_POLL_NS (10 * NSEC_PER_MSEC)

struct dhcp_client dhcp_client = { .sock = { .ops = &udp_ops, .fd = -1 } };

static const char *device_name(const struct dhcp_client *client)
{
	return client->interface->device->name;
}

/* INIT -> SELECTING: a new transaction, the first DISCOVER now. */
static void start_discovery(struct dhcp_client *client)
{
	timer_cancel(&client->retransmit_timer);
	dhcp_new_transaction(client);
	client->state = DHCP_STATE_SELECTING;
	pr_info("%s: dhcp discover\n", device_name(client));
	dhcp_transmit_for_state(client);
}

/* Back to INIT; DISCOVER again after delay_ns (0: now). */
static void restart(struct dhcp_client *client, uint64_t delay_ns)
{
	dhcp_probe_cancel();
	timer_cancel(&client->lease_timer);
	timer_cancel(&client->retransmit_timer);
	dhcp_lease_remove(client);
	client->state = DHCP_STATE_INIT;
	if (delay_ns == 0)
		start_discovery(client);
	else
		timer_arm(&client->retransmit_timer, clock_monotonic_ns() + delay_ns);
}

static void arm_lease_timer(struct dhcp_client *client)
{
	const struct dhcp_lease *lease = &client->lease;
	uint64_t seconds = client->state == DHCP_STATE_BOUND ? lease->renewal_s
			   : client->state == DHCP_STATE_RENEWING ? lease->rebinding_s : lease->lease_s;
	timer_arm(&client->lease_timer, lease->acquired_ns + seconds * NSEC_PER_SEC);
}

static void enter_bound(struct dhcp_client *client, const struct dhcp_reply *ack, bool renewed)
{
	timer_cancel(&client->retransmit_timer);
	client->state = DHCP_STATE_BOUND;
	dhcp_lease_apply(client, ack, renewed);
	arm_lease_timer(client);
}

void dhcp_probe_done(struct dhcp_client *client, const uint8_t *conflict_mac)
{
	if (client->state != DHCP_STATE_CHECKING)
		return;
	if (conflict_mac == NULL) {
		enter_bound(client, &client->offer, false);
		return;
	}
	char address[16];
	pr_warn("%s: dhcp declined %s (in use by %02x:%02x:%02x:%02x:%02x:%02x)\n", device_name(client),
		ipv4_address_format(client->offer.your_address, address), conflict_mac[0], conflict_mac[1],
		conflict_mac[2], conflict_mac[3], conflict_mac[4], conflict_mac[5]);
	dhcp_send_decline(client, client->offer.your_address, client->offer.server_id);
	restart(client, RESTART_AFTER_DECLINE_NS);
}

static void take_offer(struct dhcp_client *client, const struct dhcp_reply *offer)
{
	char address[16], server[16];
	pr_info("%s: dhcp offer %s from %s\n", device_name(client), ipv4_address_format(offer->your_address, address),
		ipv4_address_format(offer->server_id, server));
	client->offer = *offer;
	client->state = DHCP_STATE_REQUESTING;
	client->retransmissions = 0;
	dhcp_transmit_for_state(client);
}

/* An ACK: a new address is checked first, the one we hold is renewed. */
static void take_ack(struct dhcp_client *client, const struct dhcp_reply *ack)
{
	if (client->leased && ack->your_address == client->lease.address) {
		enter_bound(client, ack, true);
		return;
	}
	dhcp_lease_remove(client);
	timer_cancel(&client->retransmit_timer);
	timer_cancel(&client->lease_timer);
	client->offer = *ack;
	client->state = DHCP_STATE_CHECKING;
	dhcp_probe_start(client, ack->your_address);
}

static void take_nak(struct dhcp_client *client, const struct dhcp_reply *nak)
{
	char server[16];
	pr_warn("%s: dhcp nak from %s%s%s\n", device_name(client), ipv4_address_format(nak->server_id, server),
		nak->server_message[0] ? ": " : "", nak->server_message);
	restart(client, RESTART_AFTER_NAK_NS);
}

/* Which replies each state takes (RFC 2131 4.4 figure 5). */
static enum net_drop_reason dispatch(struct dhcp_client *client, const struct dhcp_reply *reply)
{
	enum dhcp_state state = client->state;
	if (state == DHCP_STATE_SELECTING && reply->type == DHCP_OFFER) {
		take_offer(client, reply);
		return NET_DROP_NONE;
	}
	bool waiting_for_ack = state == DHCP_STATE_REQUESTING || state == DHCP_STATE_RENEWING ||
			       state == DHCP_STATE_REBINDING;
	if (!waiting_for_ack || (reply->type != DHCP_ACK && reply->type != DHCP_NAK))
		return NET_DROP_DHCP_UNEXPECTED;
	be32 selected = state == DHCP_STATE_REQUESTING ? client->offer.server_id : client->lease.server_id;
	if (state != DHCP_STATE_REBINDING && reply->server_id != selected)   /* REBINDING: any server may answer */
		return NET_DROP_DHCP_WRONG_SERVER;
	if (reply->type == DHCP_NAK)
		take_nak(client, reply);
	else
		take_ack(client, reply);
	return NET_DROP_NONE;
}

static void receive_all(struct sock *sk)
{
	static uint8_t buffer[1500];
	struct dhcp_client *client = &dhcp_client;
	for (;;) {
		struct sock_endpoint from;
		long length = sk->ops->receive(sk, buffer, sizeof(buffer), 0, &from);
		if (length < 0)
			return;
		struct dhcp_reply reply;
		enum net_drop_reason reason = NET_DROP_DHCP_BAD_SOURCE_PORT;
		if (from.port == htons(DHCP_SERVER_PORT))
			reason = dhcp_reply_parse(buffer, (size_t)length, client->xid, client->interface->device->mac, &reply);
		if (reason == NET_DROP_NONE)
			reason = dispatch(client, &reply);
		if (reason != NET_DROP_NONE)
			net_drop(NULL, reason);
	}
}

/* INIT: DISCOVER as soon as the link is up (RFC 2131 4.4.1 allows no wait
 * before it, Linux's in-kernel client takes none); the drivers report the
 * link by polling, so do we, every LINK_POLL_NS while it is down. */
static void start_when_link_up(struct dhcp_client *client)
{
	if (client->interface->device->link_up)
		start_discovery(client);
	else
		timer_arm(&client->retransmit_timer, clock_monotonic_ns() + LINK_POLL_NS);
}

/* SELECTING/REQUESTING/RENEWING/REBINDING: send again; INIT: the pause
 * after a NAK or a DECLINE is over, or the link is still down. */
static void retransmit_expired(struct timer *timer, void *context)
{
	struct dhcp_client *client = context;
	if (client->state == DHCP_STATE_INIT) {
		start_when_link_up(client);
		return;
	}
	if (client->state == DHCP_STATE_REQUESTING && client->retransmissions >= REQUEST_TRIES) {
		pr_warn("%s: dhcp: no answer to the request: starting over\n", device_name(client));
		restart(client, 0);
		return;
	}
	dhcp_transmit_for_state(client);
}

/* T1 -> RENEWING, T2 -> REBINDING, expiry -> INIT (RFC 2131 4.4.5). */
static void lease_expired(struct timer *timer, void *context)
{
	struct dhcp_client *client = context;
	char address[16];
	timer_cancel(&client->retransmit_timer);
	client->retransmissions = 0;
	switch (client->state) {
	case DHCP_STATE_BOUND:
		client->state = DHCP_STATE_RENEWING;
		dhcp_new_transaction(client);
		pr_info("%s: dhcp renewing %s\n", device_name(client),
			ipv4_address_format(client->lease.server_id, address));
		break;
	case DHCP_STATE_RENEWING:
		client->state = DHCP_STATE_REBINDING;
		pr_info("%s: dhcp rebinding\n", device_name(client));
		break;
	default:
		pr_warn("%s: dhcp lease expired: %s removed\n", device_name(client),
			ipv4_address_format(client->lease.address, address));
		restart(client, 0);
		return;
	}
	arm_lease_timer(client);
	dhcp_transmit_for_state(client);
}

/* keel.hostname=, else keel-<mac> (RFC 1123 2.1: letters, digits, '-'). */
static void choose_hostname(struct dhcp_client *client)
{
	const char *configured = cmdline_get("keel.hostname");
	if (configured && configured[0] && strlen(configured) <= DHCP_HOSTNAME_MAX) {
		snprintf(client->hostname, sizeof(client->hostname), "%s", configured);
		return;
	}
	if (configured)
		pr_warn("keel.hostname=%s ignored (1-%d characters)\n", configured, DHCP_HOSTNAME_MAX);
	const uint8_t *mac = client->interface->device->mac;
	snprintf(client->hostname, sizeof(client->hostname), "keel-%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
}

bool dhcp_client_open(struct dhcp_client *client)
{
	struct sock_endpoint local = { 0, htons(DHCP_CLIENT_PORT) };
	if (udp_ops.create(&client->sock) != 0 || udp_ops.bind(&client->sock, &local) != 0) {
		pr_err("%s: dhcp: cannot bind UDP port %u\n", device_name(client), DHCP_CLIENT_PORT);
		return false;
	}
	udp_socket_set_data_ready(&client->sock, receive_all);
	timer_setup(&client->retransmit_timer, retransmit_expired, client);
	timer_setup(&client->lease_timer, lease_expired, client);
	choose_hostname(client);
	client->state = DHCP_STATE_INIT;
	start_when_link_up(client);
	return true;
}
