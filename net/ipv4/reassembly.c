/* reassembly.c - IPv4 reassembly (contract in net/ipv4/reassembly.h).
 * RFC 815's hole list is implicit: fragments are kept sorted and may not
 * overlap, so the datagram is whole exactly when the payload bytes held
 * equal the length the last fragment announced. */
#include "net/ipv4/reassembly.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/core/sysctl.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/ipv4/icmp.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"

int64_t ipv4_ipfrag_time = 30;
SYSCTL_INTEGER("net.ipv4.ipfrag_time", ipv4_ipfrag_time, 1, 3600);
int64_t ipv4_ipfrag_high_thresh = 4 * 1024 * 1024;
SYSCTL_INTEGER("net.ipv4.ipfrag_high_thresh", ipv4_ipfrag_high_thresh, PKT_BUFFER_SIZE, 1ll << 30);
int64_t ipv4_ipfrag_max_pkts = 256;
SYSCTL_INTEGER("net.ipv4.ipfrag_max_pkts", ipv4_ipfrag_max_pkts, 1, 65536);

struct reassembly_queue {
	bool in_use;
	bool condemned;              /* overlap seen: refuse the rest until the deadline (RFC 5722) */
	bool last_seen;              /* the fragment with MF clear came: total_payload is known */
	uint8_t protocol;
	be16 identification;
	be32 source, destination;
	uint64_t created_ns, deadline_ns;
	struct pkt *fragments;       /* sorted by offset, linked through pkt->next */
	unsigned fragment_count;
	uint32_t received_payload;   /* bytes held; no overlaps, so also bytes covered */
	uint32_t total_payload;
	struct net_interface *interface;
	uint8_t link_flags;          /* of the first fragment */
	uint16_t largest_fragment;   /* the largest fragment's total length (Linux's frag_max_size) */
};

static struct reassembly_queue queues[IP_REASSEMBLY_QUEUES];
static unsigned pkts_held;
static struct ip_reassembly_stats stats;
static struct timer expiry_timer;
static bool timer_ready;

static const struct ipv4_header *header_of(const struct pkt *pkt) { return (const struct ipv4_header *)pkt->data; }
static unsigned fragment_start(const struct pkt *pkt) { return ipv4_fragment_offset(header_of(pkt)); }
static unsigned fragment_length(const struct pkt *pkt) { return pkt->length - ipv4_header_length(header_of(pkt)); }
static unsigned fragment_end(const struct pkt *pkt) { return fragment_start(pkt) + fragment_length(pkt); }

/* Drops everything held; a condemned queue stays (empty) until its deadline. */
static void discard(struct reassembly_queue *queue, enum net_drop_reason reason, bool condemn)
{
	struct pkt *pkt = queue->fragments;
	while (pkt) {
		struct pkt *next = pkt->next;
		pkt->next = NULL;
		net_drop(pkt, reason);
		pkt = next;
	}
	pkts_held -= queue->fragment_count;
	queue->fragments = NULL;
	queue->fragment_count = 0;
	queue->received_payload = 0;
	queue->condemned = condemn;
	queue->in_use = condemn;
}

static void expiry_timer_fired(struct timer *timer, void *context)
{
	ip_reassembly_expire(clock_monotonic_ns());
}

static void rearm_timer(void)
{
	uint64_t earliest = UINT64_MAX;
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++)
		if (queues[i].in_use && queues[i].deadline_ns < earliest)
			earliest = queues[i].deadline_ns;
	if (!timer_ready) {
		timer_setup(&expiry_timer, expiry_timer_fired, NULL);
		timer_ready = true;
	}
	if (earliest == UINT64_MAX)
		timer_cancel(&expiry_timer);
	else
		timer_arm(&expiry_timer, earliest);
}

static struct reassembly_queue *oldest_queue(const struct reassembly_queue *except, bool with_fragments)
{
	struct reassembly_queue *oldest = NULL;
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++) {
		struct reassembly_queue *queue = &queues[i];
		if (!queue->in_use || queue == except || (with_fragments && queue->fragment_count == 0))
			continue;
		if (oldest == NULL || queue->created_ns < oldest->created_ns)
			oldest = queue;
	}
	return oldest;
}

static struct reassembly_queue *find_or_create(const struct ipv4_header *header, struct net_interface *interface,
					       uint64_t now_ns)
{
	struct reassembly_queue *free_slot = NULL;
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++) {
		struct reassembly_queue *queue = &queues[i];
		if (!queue->in_use) {
			free_slot = free_slot ? free_slot : queue;
			continue;
		}
		if (queue->source == header->source && queue->destination == header->destination &&
		    queue->identification == header->identification && queue->protocol == header->protocol)
			return queue;
	}
	if (free_slot == NULL) {                      /* all busy: the oldest makes room */
		free_slot = oldest_queue(NULL, false);
		discard(free_slot, NET_DROP_IP_REASSEMBLY_MEMORY, false);
	}
	*free_slot = (struct reassembly_queue){
		.in_use = true,
		.protocol = header->protocol,
		.identification = header->identification,
		.source = header->source,
		.destination = header->destination,
		.created_ns = now_ns,
		.deadline_ns = now_ns + (uint64_t)ipv4_ipfrag_time * NSEC_PER_SEC,
		.interface = interface,
	};
	return free_slot;
}

static bool over_memory_bound(unsigned pkts)
{
	return pkts > (uint64_t)ipv4_ipfrag_max_pkts || (uint64_t)pkts * PKT_BUFFER_SIZE > (uint64_t)ipv4_ipfrag_high_thresh;
}

/* Evicts other datagrams, oldest first, until one more pkt fits; false
 * when even that is not enough (queue alone is over the bound). */
static bool make_room(struct reassembly_queue *queue)
{
	while (over_memory_bound(pkts_held + 1)) {
		struct reassembly_queue *victim = oldest_queue(queue, true);
		if (victim == NULL)
			return false;
		discard(victim, NET_DROP_IP_REASSEMBLY_MEMORY, false);
	}
	return true;
}

/* Where pkt goes in the sorted list: *link is the pointer to update. */
static struct pkt **insertion_point(struct reassembly_queue *queue, unsigned start, struct pkt **previous)
{
	struct pkt **link = &queue->fragments;
	*previous = NULL;
	while (*link && fragment_start(*link) < start) {
		*previous = *link;
		link = &(*link)->next;
	}
	return link;
}

/* The last fragment fixes the length: no fragment may end beyond it, and
 * two "last" fragments must agree (Linux's checks in ip_frag_queue). */
static bool length_consistent(const struct reassembly_queue *queue, unsigned end, bool more)
{
	if (queue->last_seen)
		return more ? end <= queue->total_payload : end == queue->total_payload;
	if (!more)
		for (const struct pkt *pkt = queue->fragments; pkt; pkt = pkt->next)
			if (fragment_end(pkt) > end)
				return false;
	return true;
}

/* Sets the reassembled header: whole length, no MF, no offset. */
static void fix_header(uint8_t *ip, uint32_t total_length)
{
	struct ipv4_header *header = (struct ipv4_header *)ip;
	header->total_length = htons((uint16_t)total_length);
	header->flags_fragment_offset &= htons(IPV4_FLAG_DONT_FRAGMENT);
	header->header_checksum = 0;
	header->header_checksum = internet_checksum(header, ipv4_header_length(header));
}

static void release_queue(struct reassembly_queue *queue)
{
	pkts_held -= queue->fragment_count;
	queue->fragments = NULL;
	queue->fragment_count = 0;
	queue->in_use = false;
	stats.reassembled++;
}

/* Copies every fragment's payload into destination (payload offset 0) and frees all but keep. */
static void gather(struct reassembly_queue *queue, uint8_t *destination, const struct pkt *keep)
{
	struct pkt *pkt = queue->fragments;
	while (pkt) {
		struct pkt *next = pkt->next;
		const uint8_t *payload = pkt->data + ipv4_header_length(header_of(pkt));
		if (pkt != keep || destination + fragment_start(pkt) != payload)
			memmove(destination + fragment_start(pkt), payload, fragment_length(pkt));
		pkt->next = NULL;
		if (pkt != keep)
			pkt_free(pkt);
		pkt = next;
	}
}

static enum ip_reassembly_result complete(struct reassembly_queue *queue, struct pkt **whole,
					  struct ipv4_large_datagram *large)
{
	struct pkt *first = queue->fragments;
	unsigned header_length = ipv4_header_length(header_of(first));
	uint32_t total_length = header_length + queue->total_payload;
	if (total_length > IPV4_TOTAL_LENGTH_MAX) {          /* the first header was longer than the others */
		discard(queue, NET_DROP_IP_REASSEMBLY_TOO_BIG, false);
		return IP_REASSEMBLY_HELD;
	}
	if (total_length - first->length <= pkt_tailroom(first)) {
		pkt_put(first, total_length - first->length);
		gather(queue, first->data + header_length, first);
		fix_header(first->data, total_length);
		first->checksum_state = PKT_CHECKSUM_NONE;
		first->fragment_max_size = queue->largest_fragment;
		release_queue(queue);
		*whole = first;
		return IP_REASSEMBLY_DONE_PKT;
	}
	uint8_t *buffer = malloc(total_length);
	if (buffer == NULL) {
		discard(queue, NET_DROP_IP_REASSEMBLY_NO_BUFFER, false);
		return IP_REASSEMBLY_HELD;
	}
	memcpy(buffer, first->data, header_length);
	*large = (struct ipv4_large_datagram){ buffer, total_length, header_length, queue->interface, queue->link_flags,
					       queue->largest_fragment };
	gather(queue, buffer + header_length, NULL);
	fix_header(buffer, total_length);
	release_queue(queue);
	return IP_REASSEMBLY_DONE_LARGE;
}

/* Returns the drop reason for pkt, or NET_DROP_NONE once it is held. */
static enum net_drop_reason hold(struct reassembly_queue *queue, struct pkt *pkt)
{
	unsigned start = fragment_start(pkt), end = fragment_end(pkt);
	bool more = ipv4_more_fragments(header_of(pkt));
	if (queue->condemned)
		return NET_DROP_IP_REASSEMBLY_OVERLAP;
	if (!length_consistent(queue, end, more)) {
		discard(queue, NET_DROP_IP_REASSEMBLY_OVERLAP, true);
		return NET_DROP_IP_REASSEMBLY_OVERLAP;
	}
	struct pkt *previous;
	struct pkt **link = insertion_point(queue, start, &previous);
	struct pkt *following = *link;
	if (following && fragment_start(following) == start && fragment_end(following) == end)
		return NET_DROP_IP_REASSEMBLY_DUPLICATE;     /* RFC 8200 4.5: exact duplicates may just be dropped */
	if ((previous && fragment_end(previous) > start) || (following && fragment_start(following) < end)) {
		discard(queue, NET_DROP_IP_REASSEMBLY_OVERLAP, true);
		return NET_DROP_IP_REASSEMBLY_OVERLAP;
	}
	if (!make_room(queue)) {
		discard(queue, NET_DROP_IP_REASSEMBLY_MEMORY, false);
		return NET_DROP_IP_REASSEMBLY_MEMORY;
	}
	pkt->next = following;
	*link = pkt;
	queue->fragment_count++;
	pkts_held++;
	queue->received_payload += end - start;
	if (pkt->length > queue->largest_fragment)
		queue->largest_fragment = (uint16_t)pkt->length;
	if (start == 0)
		queue->link_flags = pkt->flags;
	if (!more) {
		queue->last_seen = true;
		queue->total_payload = end;
	}
	return NET_DROP_NONE;
}

/* RFC 791 3.2: fragments other than the last carry a multiple of 8 bytes. */
static enum net_drop_reason check_fragment(const struct pkt *pkt)
{
	const struct ipv4_header *header = header_of(pkt);
	unsigned length = fragment_length(pkt);
	if (length == 0 || (ipv4_more_fragments(header) && length % IPV4_FRAGMENT_UNIT != 0))
		return NET_DROP_IP_BAD_FRAGMENT;
	if (fragment_end(pkt) + ipv4_header_length(header) > IPV4_TOTAL_LENGTH_MAX)
		return NET_DROP_IP_REASSEMBLY_TOO_BIG;          /* "ping of death" */
	return NET_DROP_NONE;
}

enum ip_reassembly_result ip_reassembly_input(struct net_interface *interface, struct pkt *pkt, uint64_t now_ns,
					      struct pkt **whole, struct ipv4_large_datagram *large)
{
	enum ip_reassembly_result result = IP_REASSEMBLY_HELD;
	enum net_drop_reason reason = check_fragment(pkt);
	if (reason != NET_DROP_NONE) {
		net_drop(pkt, reason);
		return result;
	}
	struct reassembly_queue *queue = find_or_create(header_of(pkt), interface, now_ns);
	reason = hold(queue, pkt);
	if (reason != NET_DROP_NONE)
		net_drop(pkt, reason);
	else if (queue->last_seen && queue->received_payload == queue->total_payload)
		result = complete(queue, whole, large);
	rearm_timer();
	return result;
}

static void time_out(struct reassembly_queue *queue)
{
	struct pkt *first = queue->fragments;
	/* Linux's ip_expire skips the error for datagrams in transit that
	 * conntrack's defragmentation held (frag_expire_skip_icmp): only the
	 * destination host answers for its datagram. */
	bool ours = net_interface_with_address(queue->destination) != NULL;
	if (first && fragment_start(first) == 0 && ours) {
		stats.time_exceeded_sent++;
		icmp_error_send(queue->interface, first->data, first->length, queue->link_flags, ICMP_TYPE_TIME_EXCEEDED,
				ICMP_CODE_REASSEMBLY_TIME_EXCEEDED, 0);
	}
	if (!queue->condemned)
		stats.timeouts++;
	discard(queue, NET_DROP_IP_REASSEMBLY_TIMEOUT, false);
}

void ip_reassembly_expire(uint64_t now_ns)
{
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++)
		if (queues[i].in_use && queues[i].deadline_ns <= now_ns)
			time_out(&queues[i]);
	rearm_timer();
}

void ip_reassembly_flush(void)
{
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++)
		if (queues[i].in_use)
			discard(&queues[i], NET_DROP_IP_REASSEMBLY_MEMORY, false);
	rearm_timer();
}

struct ip_reassembly_stats ip_reassembly_get_stats(void)
{
	struct ip_reassembly_stats result = stats;
	result.pkts_held = pkts_held;
	result.datagrams = 0;
	for (unsigned i = 0; i < IP_REASSEMBLY_QUEUES; i++)
		result.datagrams += queues[i].in_use;
	return result;
}
