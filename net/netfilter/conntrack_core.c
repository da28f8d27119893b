/* conntrack_core.c - what tracking does to one packet (Linux's
 * nf_conntrack_in and __nf_conntrack_confirm): find the packet's entry by
 * its tuple or make an unconfirmed one, let the protocol judge the packet,
 * and leave the verdict in the pkt's conntrack fields; ICMP errors belong
 * to the connection their quoted datagram belongs to (RELATED).
 *
 * The headers are checked here, not trusted: tracking may run before
 * ipv4 input's checks (and runs under the fuzzer). */
#include "net/netfilter/conntrack_entry.h"
#include "net/netfilter/conntrack_sysctl.h"

#include "kernel/time/clock.h"
#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/udp.h"

uint8_t *conntrack_network_header(const struct pkt *pkt, uint32_t *available)
{
	uint8_t *network = pkt_network_header(pkt);
	const uint8_t *end = pkt->data + pkt->length;
	*available = network < end ? (uint32_t)(end - network) : 0;
	return network;
}

static enum nf_verdict mark_invalid(struct pkt *pkt, bool malformed)
{
	pkt->conntrack_state = NF_CT_STATE_INVALID;
	conntrack_stats.invalid++;
	if (malformed)
		conntrack_stats.error++;
	return NF_ACCEPT;
}

/* Linux verifies transport checksums at PRE_ROUTING only (nf_conntrack_checksum):
 * a corrupted segment must not move the tracked window. A PARTIAL one (a
 * super-segment received whole, or our own) holds no sum to verify:
 * Linux's skb_csum_unnecessary counts it as checked. */
static bool checksum_correct(const struct pkt *pkt, const struct conntrack_packet *packet)
{
	if (!nf_conntrack_checksum || pkt->checksum_state == PKT_CHECKSUM_UNNECESSARY ||
	    pkt->checksum_state == PKT_CHECKSUM_PARTIAL ||
	    packet->transport_available != packet->transport_length ||
	    ipv4_more_fragments((const struct ipv4_header *)packet->network))
		return true;   /* verified by the NIC, not in one buffer, or a first fragment: left to the protocol */
	uint8_t protocol = packet->tuple.protocol;
	uint64_t sum = ones_complement_sum(packet->transport, packet->transport_length);
	if (protocol == IP_PROTOCOL_ICMP)
		return ones_complement_fold(sum) == 0xFFFF;
	if (protocol != IP_PROTOCOL_TCP && protocol != IP_PROTOCOL_UDP)
		return true;
	if (protocol == IP_PROTOCOL_UDP && ((const struct udp_header *)packet->transport)->checksum == UDP_CHECKSUM_NONE)
		return true;
	sum += ipv4_pseudo_header_sum(packet->tuple.source, packet->tuple.destination, protocol,
				      packet->transport_length);
	return ones_complement_fold(sum) == 0xFFFF;
}

static void attach(struct pkt *pkt, struct nf_conn *entry, unsigned direction, uint8_t state)
{
	pkt->conntrack = entry;
	pkt->conntrack_state = state;
	pkt->conntrack_reply = (uint8_t)direction;
	pkt->conntrack_status = entry->status;
}

/* RFC 1122 3.2.2: an error quotes the datagram it is about; it belongs to
 * that datagram's connection, found by the quoted tuple inverted. */
static enum nf_verdict track_icmp_error(struct pkt *pkt, const struct conntrack_packet *packet)
{
	struct conntrack_packet quoted;
	if (packet->transport_available < ICMP_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH ||
	    conntrack_parse(packet->transport + ICMP_HEADER_LENGTH, packet->transport_available - ICMP_HEADER_LENGTH,
			    true, &quoted) != CONNTRACK_PARSED)
		return mark_invalid(pkt, true);
	struct conntrack_tuple lookup;
	if ((quoted.tuple.protocol == IP_PROTOCOL_ICMP && icmp_type_is_error(quoted.tuple.icmp_type)) ||
	    !conntrack_invert(&quoted.tuple, &lookup))
		return mark_invalid(pkt, true);   /* never an error about an error (RFC 1122 3.2.2) */
	unsigned direction;
	struct nf_conn *entry = conntrack_find(&lookup, &direction);
	if (entry == NULL)
		return mark_invalid(pkt, true);
	conntrack_get(entry);
	attach(pkt, entry, direction, NF_CT_STATE_RELATED);
	return NF_ACCEPT;
}

/* The protocol's word on a packet of entry. */
static enum conntrack_verdict protocol_packet(struct nf_conn *entry, unsigned direction,
					      const struct conntrack_packet *packet, uint64_t now)
{
	switch (packet->tuple.protocol) {
	case IP_PROTOCOL_TCP:
		return conntrack_tcp_packet(entry, direction, packet, now);
	case IP_PROTOCOL_UDP:
		conntrack_udp_packet(entry, now);
		return CONNTRACK_VERDICT_ACCEPT;
	case IP_PROTOCOL_ICMP:
		conntrack_icmp_packet(entry, now);
		return CONNTRACK_VERDICT_ACCEPT;
	default:
		conntrack_generic_packet(entry, now);
		return CONNTRACK_VERDICT_ACCEPT;
	}
}

enum create_result { CREATED, NOT_A_START, TABLE_FULL };

static enum create_result create(const struct conntrack_packet *packet, struct nf_conn **created)
{
	struct conntrack_tuple reply;
	if (packet->tuple.protocol == IP_PROTOCOL_ICMP && !conntrack_icmp_is_request(packet->tuple.icmp_type))
		return NOT_A_START;   /* an echo reply nobody asked for */
	if (!conntrack_invert(&packet->tuple, &reply))
		return NOT_A_START;
	struct nf_conn *entry = conntrack_alloc(&packet->tuple, &reply);
	if (entry == NULL)
		return TABLE_FULL;
	if (packet->tuple.protocol == IP_PROTOCOL_TCP && !conntrack_tcp_new(entry, packet)) {
		conntrack_put(entry);
		return NOT_A_START;
	}
	*created = entry;
	return CREATED;
}

/* Finds or creates the entry and runs the protocol; a reopened TCP
 * connection is killed and looked up once more. */
static enum nf_verdict track(struct pkt *pkt, const struct conntrack_packet *packet)
{
	uint64_t now = clock_monotonic_ns();
	for (unsigned attempt = 0; attempt < 2; attempt++) {
		unsigned direction = CONNTRACK_DIRECTION_ORIGINAL;
		struct nf_conn *entry = conntrack_find(&packet->tuple, &direction);
		if (entry) {
			conntrack_get(entry);
		} else {
			enum create_result result = create(packet, &entry);
			if (result == NOT_A_START)
				return mark_invalid(pkt, false);
			if (result == TABLE_FULL) {
				conntrack_stats.drop++;
				net_drop(pkt, NET_DROP_CONNTRACK_TABLE_FULL);
				return NF_DROP;
			}
		}
		enum conntrack_verdict verdict = protocol_packet(entry, direction, packet, now);
		if (verdict == CONNTRACK_VERDICT_REOPEN) {
			conntrack_kill(entry);
			conntrack_put(entry);
			continue;
		}
		if (verdict == CONNTRACK_VERDICT_INVALID) {
			conntrack_put(entry);
			return mark_invalid(pkt, false);
		}
		uint8_t state = NF_CT_STATE_NEW;
		if (direction == CONNTRACK_DIRECTION_REPLY) {
			entry->status |= NF_CT_STATUS_SEEN_REPLY;
			state = NF_CT_STATE_ESTABLISHED;
		} else if (entry->status & NF_CT_STATUS_SEEN_REPLY) {
			state = NF_CT_STATE_ESTABLISHED;
		}
		attach(pkt, entry, direction, state);
		if (conntrack_expired(entry, now))
			conntrack_kill(entry);   /* an RST answered the first SYN: gone, this packet still passes */
		return NF_ACCEPT;
	}
	return mark_invalid(pkt, false);
}

enum nf_verdict conntrack_in(struct pkt *pkt, enum nf_inet_hook hook)
{
	if (pkt->conntrack_state != 0) {
		if (hook != NF_INET_LOCAL_OUT)
			return NF_ACCEPT;   /* looped back: tracked (and confirmed) on its way out */
		/* A received pkt reused for the answer (net/ipv4/icmp.c's echo
		 * reply in place): its request's reference goes, the answer is
		 * tracked as what it is now. */
		nf_conntrack_reset(pkt);
	}
	uint32_t available;
	uint8_t *network = conntrack_network_header(pkt, &available);
	struct conntrack_packet packet;
	enum conntrack_parse_result parsed = conntrack_parse(network, available, false, &packet);
	if (parsed == CONNTRACK_NOT_TRACKABLE) {
		pkt->conntrack_state = NF_CT_STATE_UNTRACKED;
		return NF_ACCEPT;
	}
	if (parsed != CONNTRACK_PARSED || packet.transport_length > available - (uint32_t)(packet.transport - network) +
									  pkt->fragments_length)
		return mark_invalid(pkt, true);
	if (hook == NF_INET_PRE_ROUTING && !checksum_correct(pkt, &packet))
		return mark_invalid(pkt, true);
	if (packet.tuple.protocol == IP_PROTOCOL_ICMP && icmp_type_is_error(packet.tuple.icmp_type))
		return track_icmp_error(pkt, &packet);
	if (packet.tuple.protocol == IP_PROTOCOL_TCP && !conntrack_tcp_header_valid(&packet))
		return mark_invalid(pkt, true);
	return track(pkt, &packet);
}

enum nf_verdict conntrack_confirm_packet(struct pkt *pkt)
{
	struct nf_conn *entry = pkt->conntrack;
	if (entry == NULL || (entry->status & NF_CT_STATUS_CONFIRMED))
		return NF_ACCEPT;
	if (conntrack_confirm(entry) != 0) {
		net_drop(pkt, NET_DROP_CONNTRACK_INSERT_FAILED);
		return NF_DROP;
	}
	pkt->conntrack_status = entry->status;
	return NF_ACCEPT;
}

void conntrack_release(struct nf_conn *entry)
{
	conntrack_put(entry);
}

void nf_conntrack_reset(struct pkt *pkt)
{
	if (pkt->conntrack)
		conntrack_put(pkt->conntrack);
	pkt->conntrack = NULL;
	pkt->conntrack_state = 0;
	pkt->conntrack_status = 0;
	pkt->conntrack_reply = 0;
}
