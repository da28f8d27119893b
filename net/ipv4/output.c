/* output.c - IPv4 output: routes the destination (net/ipv4/route.h via
 * net_route), builds the header in the headroom, runs netfilter's
 * LOCAL_OUT then POST_ROUTING hooks on the whole datagram and hands it to
 * ARP for the next hop; datagrams larger than the route MTU are cut after
 * the hooks (net/ipv4/fragment.c) unless DF is asked for (then -EMSGSIZE,
 * as Linux's IP_PMTUDISC_DO sockets get). One larger than a pkt is a chain
 * of pkts while the hooks look at it (nothing to copy when none is
 * registered: it is cut from the caller's buffer at once). */
#include "net/ipv4/ipv4.h"

#include <errno.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/mib.h"
#include "net/core/secret.h"
#include "net/ethernet/arp.h"
#include "net/ipv4/internal.h"
#include "net/ipv4/ip_mib.h"
#include "net/netfilter/netfilter.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

/* RFC 6864 4.1: an ID must be unique per source, destination and protocol
 * among fragmentable datagrams in flight. One counter for every
 * destination would do that, but would also tell anyone who can make us
 * answer them how many datagrams we sent to others meanwhile (nmap's idle
 * scan, -sI, uses exactly that). So, as Linux's ip_idents: a table of
 * counters picked by a keyed hash of the triple, each triple starting at
 * its own secret offset; an observer sees only its own bucket move. The
 * hash is a keyed multiply-xorshift rather than SipHash: it runs for every
 * datagram, and what protects other buckets is that an observer cannot
 * see them, not the hash's strength (Linux too keeps this one cheap). */
#define IDENTIFICATION_BUCKET_BITS 11                 /* 2048 counters, as Linux */

static uint16_t identification_counters[1u << IDENTIFICATION_BUCKET_BITS];
static uint64_t identification_keys[4];                /* odd multipliers, secret */
static bool identification_keys_ready;

static void identification_keys_init(void)
{
	struct siphash_key secrets[2];
	net_secret_key(&secrets[0]);
	net_secret_key(&secrets[1]);
	const uint64_t words[4] = { secrets[0].k0, secrets[0].k1, secrets[1].k0, secrets[1].k1 };
	for (unsigned i = 0; i < 4; i++)
		identification_keys[i] = words[i] | 1;
	identification_keys_ready = true;
}

/* The first of count consecutive IDs (a TSO pkt's segments take one each). */
static be16 new_identification(be32 source, be32 destination, uint8_t protocol, uint32_t count)
{
	if (!identification_keys_ready)
		identification_keys_init();
	uint64_t hash = source * identification_keys[0] + destination * identification_keys[1] +
			protocol * identification_keys[2];
	hash ^= hash >> 29;
	hash *= identification_keys[3];
	uint16_t *counter = &identification_counters[hash >> (64 - IDENTIFICATION_BUCKET_BITS)];
	uint16_t identification = (uint16_t)((hash >> 16) + *counter);
	*counter = (uint16_t)(*counter + count);
	return htons(identification);
}

void ipv4_write_header(uint8_t *at, const struct ipv4_datagram_fields *fields, unsigned header_length,
		       const uint8_t *options, unsigned options_length, size_t payload_length, uint16_t flags_offset)
{
	struct ipv4_header *header = (struct ipv4_header *)at;
	*header = (struct ipv4_header){
		.version_ihl = (uint8_t)(IPV4_VERSION << 4 | header_length / 4),
		.type_of_service = fields->type_of_service,
		.total_length = htons((uint16_t)(header_length + payload_length)),
		.identification = fields->identification,
		.flags_fragment_offset = htons(flags_offset),
		.time_to_live = fields->time_to_live,
		.protocol = fields->protocol,
		.source = fields->source,
		.destination = fields->destination,
	};
	uint8_t *option_bytes = at + IPV4_HEADER_MIN_LENGTH;
	if (options_length)
		memcpy(option_bytes, options, options_length);
	memset(option_bytes + options_length, IPV4_OPTION_END, header_length - IPV4_HEADER_MIN_LENGTH - options_length);
	header->header_checksum = internet_checksum(header, header_length);
}

void ipv4_payload_copy(const struct ipv4_payload *payload, size_t offset, size_t length, uint8_t *destination)
{
	if (payload->chain) {   /* in range by construction (ip_fragment_pkt) */
		pkt_copy_out(payload->chain, payload->chain_offset + (uint32_t)offset, destination, (uint32_t)length);
		return;
	}
	for (unsigned part = 0; part < 2 && length; part++) {
		if (offset >= payload->lengths[part]) {
			offset -= payload->lengths[part];
			continue;
		}
		size_t chunk = payload->lengths[part] - offset;
		if (chunk > length)
			chunk = length;
		memcpy(destination, payload->parts[part] + offset, chunk);
		destination += chunk;
		length -= chunk;
		offset = 0;
	}
}

int ipv4_local_out(const struct ipv4_routed *routed, struct pkt *pkt)
{
	struct netdev *out = routed->interface->device;
	if (nf_hook(NF_INET_LOCAL_OUT, pkt, NULL, out) != NF_ACCEPT ||
	    nf_hook(NF_INET_POST_ROUTING, pkt, NULL, out) != NF_ACCEPT)
		return 0;
	/* A TSO super-segment is cut below us (pkt.h); anything else larger
	 * than the MTU is fragmented here. A chain that fits (TCP's zero-copy
	 * segments, its checksum maybe left to the device) goes as it is. */
	if (pkt->gso_size == 0 && pkt_total_length(pkt) > routed->mtu)
		return ip_fragment_pkt(routed, pkt);
	arp_output(routed->interface, routed->next_hop, pkt);
	return 0;
}

/* Whether LOCAL_OUT or POST_ROUTING has anything registered: a datagram
 * then passes them whole before it is cut (see ipv4_output_buffer). */
static bool output_hooked(void)
{
	return nf_hook_lists[NF_INET_LOCAL_OUT] != NULL || nf_hook_lists[NF_INET_POST_ROUTING] != NULL;
}

/* The whole datagram (header and payload) in a chain of pkts, for the
 * hooks; NULL (counted) when the pool cannot hold it. */
static struct pkt *datagram_chain(const struct ipv4_datagram_fields *fields, const struct ipv4_payload *payload)
{
	unsigned header_length = ipv4_header_length_for(fields->options_length);
	size_t payload_length = ipv4_payload_length(payload);
	struct pkt *head = NULL;
	for (size_t offset = 0; head == NULL || offset < payload_length;) {
		struct pkt *piece = pkt_alloc();
		if (piece == NULL) {
			ipv4_mib_count(IPV4_MIB_FRAG_FAILS);
			net_drop(head, NET_DROP_IP_FRAGMENT_NO_BUFFER);
			return NULL;
		}
		size_t room = PKT_DATA_SIZE - (head ? 0 : header_length);
		size_t length = payload_length - offset < room ? payload_length - offset : room;
		if (head == NULL)
			ipv4_write_header(pkt_put(piece, header_length), fields, header_length, fields->options,
					  fields->options_length, payload_length, 0);
		ipv4_payload_copy(payload, offset, length, pkt_put(piece, (uint32_t)length));
		if (head)
			pkt_append_fragment(head, piece);
		else
			head = piece;
		offset += length;
	}
	pkt_set_network_header(head);
	head->protocol = ETHERTYPE_IPV4;
	return head;
}

static int route(be32 destination, struct ipv4_routed *routed)
{
	routed->interface = net_route(destination, &routed->next_hop);
	if (routed->interface == NULL)
		return -ENETUNREACH;
	routed->mtu = routed->interface->device->mtu;
	return 0;
}

static void fill_fields(struct ipv4_datagram_fields *fields, be32 source, be32 destination, uint8_t protocol,
			const struct ipv4_output_options *options, uint32_t datagrams)
{
	*fields = (struct ipv4_datagram_fields){
		.source = source,
		.destination = destination,
		.protocol = protocol,
		.time_to_live = options->time_to_live ? options->time_to_live : IPV4_DEFAULT_TTL,
		.type_of_service = options->type_of_service,
		.identification = new_identification(source, destination, protocol, datagrams),
		.options = options->options,
		.options_length = options->options ? options->options_length : 0,
	};
}

/* The header goes into pkt's headroom; larger than the MTU (no DF), the
 * datagram is cut after the hooks (ipv4_local_out). */
static int send_whole(struct pkt *pkt, const struct ipv4_routed *routed, const struct ipv4_datagram_fields *fields,
		      bool dont_fragment)
{
	unsigned header_length = ipv4_header_length_for(fields->options_length);
	size_t payload_length = pkt_total_length(pkt);
	uint8_t *header = pkt_push(pkt, header_length);
	if (header == NULL) {
		net_drop(pkt, NET_DROP_ETH_NO_HEADROOM);
		return -ENOBUFS;
	}
	ipv4_write_header(header, fields, header_length, fields->options, fields->options_length, payload_length,
			  dont_fragment ? IPV4_FLAG_DONT_FRAGMENT : 0);
	pkt_set_network_header(pkt);
	pkt->protocol = ETHERTYPE_IPV4;
	return ipv4_local_out(routed, pkt);
}

int ipv4_output_with_options(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol,
			     const struct ipv4_output_options *options)
{
	net_mib_count(NET_MIB_IP_OUT_REQUESTS);
	struct ipv4_routed routed;
	if (options->options && options->options_length > IPV4_HEADER_MAX_LENGTH - IPV4_HEADER_MIN_LENGTH) {
		net_drop(pkt, NET_DROP_ETH_NO_HEADROOM);
		return -EINVAL;
	}
	if (route(destination, &routed) != 0) {
		ipv4_mib_count(IPV4_MIB_OUT_NO_ROUTES);
		net_drop(pkt, NET_DROP_IP_NO_ROUTE);
		return -ENETUNREACH;
	}
	/* A TSO pkt becomes at most this many datagrams on the wire. */
	uint32_t datagrams = pkt->gso_size ? (pkt_total_length(pkt) + pkt->gso_size - 1) / pkt->gso_size : 1;
	struct ipv4_datagram_fields fields;
	fill_fields(&fields, source, destination, protocol, options, datagrams);
	size_t total_length = ipv4_header_length_for(fields.options_length) + (size_t)pkt_total_length(pkt);
	/* A TSO super-segment (pkt.h) is cut into MTU-sized frames below
	 * us: its transport sized gso_size for the route's MTU. */
	bool segmented_below = pkt->gso_size && total_length <= IPV4_TOTAL_LENGTH_MAX;
	if (total_length <= routed.mtu || segmented_below)
		return send_whole(pkt, &routed, &fields, options->dont_fragment);
	if (options->dont_fragment || total_length > IPV4_TOTAL_LENGTH_MAX || pkt->fragments) {
		net_drop(pkt, NET_DROP_IP_FRAGMENT_NEEDED);
		return -EMSGSIZE;
	}
	return send_whole(pkt, &routed, &fields, false);
}

int ipv4_output_buffer(const void *transport_header, size_t header_length, const void *payload_data,
		       size_t payload_length, be32 source, be32 destination, uint8_t protocol,
		       const struct ipv4_output_options *options)
{
	net_mib_count(NET_MIB_IP_OUT_REQUESTS);
	struct ipv4_routed routed;
	if (route(destination, &routed) != 0) {
		ipv4_mib_count(IPV4_MIB_OUT_NO_ROUTES);
		net_drop(NULL, NET_DROP_IP_NO_ROUTE);
		return -ENETUNREACH;
	}
	struct ipv4_datagram_fields fields;
	fill_fields(&fields, source, destination, protocol, options, 1);
	struct ipv4_payload payload = { { transport_header, payload_data }, { header_length, payload_length }, NULL, 0 };
	size_t total_length = ipv4_header_length_for(fields.options_length) + ipv4_payload_length(&payload);
	if (total_length > IPV4_TOTAL_LENGTH_MAX || (options->dont_fragment && total_length > routed.mtu)) {
		net_drop(NULL, NET_DROP_IP_FRAGMENT_NEEDED);
		return -EMSGSIZE;
	}
	if (total_length > routed.mtu || total_length > PKT_DATA_SIZE) {
		if (!output_hooked())
			return ip_fragment_output(&routed, &fields, &payload);   /* no hook to show it to: cut at once */
		struct pkt *whole = datagram_chain(&fields, &payload);
		return whole ? ipv4_local_out(&routed, whole) : -ENOBUFS;
	}
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		net_drop(NULL, NET_DROP_NO_BUFFER);
		return -ENOBUFS;
	}
	ipv4_payload_copy(&payload, 0, ipv4_payload_length(&payload), pkt_put(pkt, (uint32_t)ipv4_payload_length(&payload)));
	return send_whole(pkt, &routed, &fields, options->dont_fragment);
}

void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol)
{
	static const struct ipv4_output_options dont_fragment = { .dont_fragment = true };
	ipv4_output_with_options(pkt, source, destination, protocol, &dont_fragment);
}
