/* arp.c - ARP (RFC 826) for IPv4 over Ethernet: input checklist, replies
 * built in place in the request, resolution for IPv4 output, retries and
 * entry ageing on timers, gratuitous announcements (RFC 5227 2.3). */
#include "net/ethernet/arp.h"

#include <string.h>

#include "kernel/console/printk.h"
#include "net/core/stats_print.h"
#include "net/ethernet/arp_cache.h"
#include "net/ethernet/ethernet.h"
#include "net/wire/arp.h"
#include "net/wire/ethernet.h"

#define ARP_ANNOUNCE_COUNT 2                            /* RFC 5227 ANNOUNCE_NUM */
#define ARP_ANNOUNCE_INTERVAL_NS (2 * NSEC_PER_SEC)     /* RFC 5227 ANNOUNCE_INTERVAL */

static const uint8_t zero_mac[ETHERNET_ADDRESS_LENGTH];

static struct {
	uint64_t requests_sent, replies_sent, announcements_sent;
	uint64_t requests_received, replies_received;
} counters;

/* One announcement in progress per interface. */
struct announcement {
	struct timer timer;
	struct net_interface *interface;
	unsigned remaining;
};
static struct announcement announcements[NET_INTERFACES_MAX];

static void (*packet_observer)(struct net_interface *interface, const struct arp_packet *arp);

/* A request (or, with sender_ip == target_ip, an announcement) to link
 * destination: broadcast, or the known MAC when refreshing a STALE entry. */
static void send_request(struct net_interface *interface, be32 sender_ip, be32 target_ip, const uint8_t *destination)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		net_drop(NULL, NET_DROP_NO_BUFFER);
		return;
	}
	struct arp_packet *arp = (struct arp_packet *)pkt_put(pkt, ARP_PACKET_LENGTH);
	*arp = (struct arp_packet){
		.hardware_type = htons(ARP_HARDWARE_ETHERNET),
		.protocol_type = htons(ETHERTYPE_IPV4),
		.hardware_length = ETHERNET_ADDRESS_LENGTH,
		.protocol_length = 4,
		.operation = htons(ARP_OPERATION_REQUEST),
		.sender_ip = sender_ip,
		.target_ip = target_ip,
	};
	memcpy(arp->sender_mac, interface->device->mac, ETHERNET_ADDRESS_LENGTH);
	memcpy(arp->target_mac, zero_mac, ETHERNET_ADDRESS_LENGTH);
	ethernet_output(interface->device, pkt, destination, ETHERTYPE_ARP);
}

/* Moves an entry along INCOMPLETE (retry, then give up), REACHABLE -> STALE -> free. */
static void entry_timer_expired(struct timer *timer, void *context)
{
	struct arp_entry *entry = context;
	uint64_t now = clock_monotonic_ns();
	switch (entry->state) {
	case ARP_STATE_INCOMPLETE:
		if (entry->requests_sent >= ARP_REQUEST_TRIES) {
			arp_cache_remove(entry, NET_DROP_ARP_UNRESOLVED);
			return;
		}
		entry->requests_sent++;
		counters.requests_sent++;
		send_request(entry->interface, entry->interface->address, entry->address, ethernet_broadcast_address);
		timer_arm(timer, now + ARP_RETRY_INTERVAL_NS);
		return;
	case ARP_STATE_REACHABLE:
		entry->state = ARP_STATE_STALE;
		entry->refresh_sent = false;
		timer_arm(timer, now + ARP_STALE_NS);
		return;
	default:
		arp_cache_remove(entry, NET_DROP_ARP_UNRESOLVED);
		return;
	}
}

/* RFC 826 "merge": a sender we know (or, with create, one that addressed
 * us) is reachable at sender_mac; packets waiting for it go out now. */
static void learn(struct net_interface *interface, be32 address, const uint8_t *mac, bool create)
{
	uint64_t now = clock_monotonic_ns();
	struct arp_entry *entry = arp_cache_lookup(interface, address);
	if (entry == NULL) {
		if (!create)
			return;
		entry = arp_cache_insert(address, interface, now, entry_timer_expired);
	}
	memcpy(entry->mac, mac, ETHERNET_ADDRESS_LENGTH);
	entry->state = ARP_STATE_REACHABLE;
	entry->refresh_sent = false;
	timer_arm(&entry->timer, now + ARP_REACHABLE_NS);
	struct pkt *pkt;
	while ((pkt = pkt_queue_pop(&entry->pending)) != NULL)
		ethernet_output(interface->device, pkt, entry->mac, ETHERTYPE_IPV4);
}

/* The request becomes the reply: swap the addresses, no copy. */
static void reply_in_place(struct net_interface *interface, struct pkt *pkt, struct arp_packet *arp)
{
	pkt_trim(pkt, ARP_PACKET_LENGTH);
	pkt->flags = 0;
	arp->operation = htons(ARP_OPERATION_REPLY);
	memcpy(arp->target_mac, arp->sender_mac, ETHERNET_ADDRESS_LENGTH);
	arp->target_ip = arp->sender_ip;
	memcpy(arp->sender_mac, interface->device->mac, ETHERNET_ADDRESS_LENGTH);
	arp->sender_ip = interface->address;
	counters.replies_sent++;
	ethernet_output(interface->device, pkt, arp->target_mac, ETHERTYPE_ARP);
}

static bool format_supported(const struct arp_packet *arp)
{
	return ntohs(arp->hardware_type) == ARP_HARDWARE_ETHERNET && ntohs(arp->protocol_type) == ETHERTYPE_IPV4 &&
	       arp->hardware_length == ETHERNET_ADDRESS_LENGTH && arp->protocol_length == 4;
}

void arp_input(struct netdev *dev, struct pkt *pkt)
{
	struct arp_packet *arp = arp_packet_view(pkt);
	if (arp == NULL) {
		net_drop(pkt, NET_DROP_ARP_TRUNCATED);
		return;
	}
	if (!format_supported(arp)) {
		net_drop(pkt, NET_DROP_ARP_BAD_FORMAT);
		return;
	}
	uint16_t operation = ntohs(arp->operation);
	if (operation != ARP_OPERATION_REQUEST && operation != ARP_OPERATION_REPLY) {
		net_drop(pkt, NET_DROP_ARP_BAD_OPCODE);
		return;
	}
	if (ethernet_address_is_group(arp->sender_mac)) {
		net_drop(pkt, NET_DROP_ARP_BAD_SENDER);
		return;
	}
	struct net_interface *interface = net_interface_of(dev);
	if (interface && packet_observer)
		packet_observer(interface, arp);
	/* No address yet (DHCP): nothing is for us, and nothing to learn. */
	if (interface == NULL || interface->address == 0) {
		net_drop(pkt, NET_DROP_ARP_NOT_FOR_US);
		return;
	}
	if (operation == ARP_OPERATION_REQUEST)
		counters.requests_received++;
	else
		counters.replies_received++;
	if (arp->sender_ip == interface->address) {
		net_drop(pkt, NET_DROP_ARP_ADDRESS_CONFLICT);
		return;
	}
	bool for_us = arp->target_ip == interface->address;
	/* 0.0.0.0 is an RFC 5227 probe: nothing to learn. */
	if (arp->sender_ip != 0)
		learn(interface, arp->sender_ip, arp->sender_mac, for_us);
	if (!for_us) {
		net_drop(pkt, NET_DROP_ARP_NOT_FOR_US);
		return;
	}
	if (operation == ARP_OPERATION_REPLY) {
		pkt_free(pkt);
		return;
	}
	reply_in_place(interface, pkt, arp);
}

/* STALE entries keep being used; the first use sends one unicast request
 * so that a reply makes them REACHABLE again (Linux's PROBE, simplified). */
static void send_to_entry(struct arp_entry *entry, struct pkt *pkt, uint64_t now)
{
	entry->last_used_ns = now;
	if (entry->state == ARP_STATE_STALE && !entry->refresh_sent) {
		entry->refresh_sent = true;
		counters.requests_sent++;
		send_request(entry->interface, entry->interface->address, entry->address, entry->mac);
	}
	ethernet_output(entry->interface->device, pkt, entry->mac, ETHERTYPE_IPV4);
}

void arp_output(struct net_interface *interface, be32 next_hop, struct pkt *pkt)
{
	if (net_interface_is_broadcast(interface, next_hop)) {
		ethernet_output(interface->device, pkt, ethernet_broadcast_address, ETHERTYPE_IPV4);
		return;
	}
	uint64_t now = clock_monotonic_ns();
	struct arp_entry *entry = arp_cache_lookup(interface, next_hop);
	if (entry && entry->state != ARP_STATE_INCOMPLETE) {
		send_to_entry(entry, pkt, now);
		return;
	}
	if (entry == NULL) {
		entry = arp_cache_insert(next_hop, interface, now, entry_timer_expired);
		entry_timer_expired(&entry->timer, entry);  /* first request, retry timer armed */
	}
	entry->last_used_ns = now;
	if (pkt_queue_push(&entry->pending, pkt) != 0)
		net_drop(NULL, NET_DROP_ARP_QUEUE_FULL);
}

static void announcement_expired(struct timer *timer, void *context)
{
	struct announcement *announcement = context;
	struct net_interface *interface = announcement->interface;
	counters.announcements_sent++;
	send_request(interface, interface->address, interface->address, ethernet_broadcast_address);
	if (--announcement->remaining)
		timer_arm(timer, clock_monotonic_ns() + ARP_ANNOUNCE_INTERVAL_NS);
}

void arp_probe(struct net_interface *interface, be32 target)
{
	counters.requests_sent++;
	send_request(interface, 0, target, ethernet_broadcast_address);
}

void arp_set_observer(void (*observer)(struct net_interface *interface, const struct arp_packet *arp))
{
	packet_observer = observer;
}

/* The interface's announcement slot: its own, else a free one. */
static struct announcement *announcement_of(struct net_interface *interface)
{
	struct announcement *free_slot = NULL;
	for (unsigned i = 0; i < NET_INTERFACES_MAX; i++) {
		if (announcements[i].interface == interface)
			return &announcements[i];
		if (announcements[i].interface == NULL && free_slot == NULL)
			free_slot = &announcements[i];
	}
	return free_slot;
}

void arp_announce(struct net_interface *interface)
{
	struct announcement *announcement = announcement_of(interface);
	if (announcement == NULL)
		return;
	if (announcement->interface)
		timer_cancel(&announcement->timer);    /* a new address restarts the announcements */
	announcement->interface = interface;
	announcement->remaining = ARP_ANNOUNCE_COUNT;
	timer_setup(&announcement->timer, announcement_expired, announcement);
	announcement_expired(&announcement->timer, announcement);
}

static void arp_print_stats(void)
{
	struct arp_cache_stats cache = arp_cache_get_stats();
	printk(LOG_ALWAYS, "arp: entries=%u evictions=%llu requests_sent=%llu replies_sent=%llu announcements_sent=%llu "
			   "requests_received=%llu replies_received=%llu\n",
	       cache.entries, (unsigned long long)cache.evictions, (unsigned long long)counters.requests_sent,
	       (unsigned long long)counters.replies_sent, (unsigned long long)counters.announcements_sent,
	       (unsigned long long)counters.requests_received, (unsigned long long)counters.replies_received);
}

/* ARP's line in the netdev stats block (net/core/stats_print.h). */
static struct stats_section arp_stats_section = { .print = arp_print_stats };

void arp_init(void)
{
	stats_section_register(&arp_stats_section);
}
