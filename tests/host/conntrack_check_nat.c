/* conntrack_check_nat.c - NAT scenarios over a fake rule engine
 * (fake_nat_rules per hook): masquerade keeping a free port, a collision
 * moving to another, a range running out (counted drop), checksums after
 * translation checked against a full recomputation (TCP, UDP, UDP
 * without checksum, ICMP echo, CHECKSUM_PARTIAL / TSO), ICMP errors'
 * quoted headers translated back, DNAT and its replies, redirect, and
 * masquerade without an address. */
#include <string.h>

#include "net/core/checksum.h"
#include "net/ipv4/interface.h"
#include "net/netfilter/nat_internal.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"
#include "tests/host/conntrack_check.h"

static int fake_drop_hook = -1;

static enum nf_verdict fake_lookup(struct pkt *pkt, const struct nf_hook_state *state, struct nat_range *range)
{
	fake_nat_lookups++;
	if ((int)state->hook == fake_drop_hook) {
		net_drop(pkt, NET_DROP_NFT_RULE_DROP);
		return NF_DROP;
	}
	*range = fake_nat_rules[state->hook];
	return NF_ACCEPT;
}

static void nat_start(void)
{
	CHECK_EQ(nat_enable(), 0);
	nat_set_rule_lookup(fake_lookup);
	memset(fake_nat_rules, 0, sizeof(fake_nat_rules));
}

static const struct ipv4_header *ip_of(const struct pkt *pkt) { return (const struct ipv4_header *)pkt->data; }
static uint16_t port_at(const struct pkt *pkt, unsigned offset)
{
	return (uint16_t)(pkt->data[IPV4_HEADER_MIN_LENGTH + offset] << 8 | pkt->data[IPV4_HEADER_MIN_LENGTH + offset + 1]);
}
static uint16_t source_port(const struct pkt *pkt) { return port_at(pkt, 0); }
static uint16_t destination_port(const struct pkt *pkt) { return port_at(pkt, 2); }

/* Both checksums valid, and the transport one equal (0 and 0xFFFF alike) to a fresh computation. */
static bool checksums_correct(struct pkt *pkt)
{
	if (!ipv4_checksum_valid(pkt) || !transport_checksum_valid(pkt))
		return false;
	const struct ipv4_header *ip = ip_of(pkt);
	unsigned offset = ip->protocol == IP_PROTOCOL_TCP ? 16 : ip->protocol == IP_PROTOCOL_UDP ? 6 : 2;
	uint8_t *field = pkt->data + IPV4_HEADER_MIN_LENGTH + offset;
	uint16_t stored;
	memcpy(&stored, field, 2);
	if (ip->protocol == IP_PROTOCOL_UDP && stored == 0)
		return true;
	memset(field, 0, 2);
	uint32_t length = pkt->length - IPV4_HEADER_MIN_LENGTH;
	uint64_t sum = ones_complement_sum(pkt->data + IPV4_HEADER_MIN_LENGTH, length);
	if (ip->protocol != IP_PROTOCOL_ICMP)
		sum += ipv4_pseudo_header_sum(ip->source, ip->destination, ip->protocol, length);
	uint16_t fresh = (uint16_t)~ones_complement_fold(sum);
	memcpy(field, &stored, 2);
	return fresh == stored || (uint16_t)(fresh ^ stored) == 0xFFFF;
}

static struct pkt *tcp_syn(be32 source, uint16_t sport, be32 destination, uint16_t dport, uint32_t payload)
{
	struct tcp_segment segment = { source, destination, sport, dport, 7, 0, TCP_FLAG_SYN, 64240, payload, -1 };
	return make_tcp(&segment);
}

void scenario_nat_port_kept(void)
{
	nat_start();
	fake_nat_rules[NF_INET_POST_ROUTING].kind = NAT_KIND_MASQUERADE;
	struct pkt *pkt = pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT);
	CHECK(pkt && ip_of(pkt)->source == ROUTER_OUTSIDE && source_port(pkt) == 40000 && checksums_correct(pkt));
	struct nf_conn *entry = pkt->conntrack;
	CHECK(entry->status & NF_CT_STATUS_SRC_NAT);
	CHECK(pkt->conntrack_status & NF_CT_STATUS_SRC_NAT);
	CHECK(entry->tuple[1].destination == ROUTER_OUTSIDE && entry->tuple[1].destination_port == htons(40000));
	pkt_free(pkt);
	/* The reply comes back to the router's address and reaches the inside host. */
	struct tcp_segment reply = { OUTSIDE_HOST, ROUTER_OUTSIDE, 80, 40000, 900, 8, TCP_FLAG_SYN | TCP_FLAG_ACK, 65160, 0, -1 };
	pkt = pass(make_tcp(&reply), PATH_FORWARD_IN);
	CHECK(pkt && ip_of(pkt)->destination == INSIDE_HOST && destination_port(pkt) == 40000 && checksums_correct(pkt));
	CHECK(pkt && pkt->conntrack_state == NF_CT_STATE_ESTABLISHED);
	pkt_free(pkt);
	/* Only the first packet asks the rules: 2 lookups (DST at prerouting, SRC at postrouting). */
	CHECK_EQ(fake_nat_lookups, 2);
}

void scenario_nat_collision(void)
{
	nat_start();
	fake_nat_rules[NF_INET_POST_ROUTING].kind = NAT_KIND_MASQUERADE;
	struct pkt *first = pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT);
	struct pkt *second = pass(tcp_syn(INSIDE_HOST2, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT);
	CHECK(first && second && source_port(first) == 40000);
	CHECK(second && source_port(second) != 40000 && source_port(second) >= 1024 && checksums_correct(second));
	uint16_t moved = second ? source_port(second) : 0;
	pkt_free(first);
	pkt_free(second);
	/* The router's own connection with the same ports as a masqueraded
	 * one: the destination's null binding keeps it, the source's moves
	 * its port (Linux's implicit source port remapping). */
	struct pkt *own = pass(tcp_syn(ROUTER_OUTSIDE, 40000, OUTSIDE_HOST, 80, 0), PATH_LOCAL_OUT);
	CHECK(own && ip_of(own)->source == ROUTER_OUTSIDE && source_port(own) != 40000 && checksums_correct(own));
	pkt_free(own);
	/* Replies to each port reach their own host. */
	struct tcp_segment reply = { OUTSIDE_HOST, ROUTER_OUTSIDE, 80, moved, 900, 8, TCP_FLAG_SYN | TCP_FLAG_ACK, 65160, 0, -1 };
	struct pkt *pkt = pass(make_tcp(&reply), PATH_FORWARD_IN);
	CHECK(pkt && ip_of(pkt)->destination == INSIDE_HOST2 && destination_port(pkt) == 40000 && checksums_correct(pkt));
	pkt_free(pkt);
	/* With a port range the port moves into it even when free. */
	fake_nat_rules[NF_INET_POST_ROUTING] =
		(struct nat_range){ .kind = NAT_KIND_MASQUERADE, .flags = NAT_RANGE_HAS_PORTS, .port_min = 50000, .port_max = 50009 };
	pkt = pass(tcp_syn(INSIDE_HOST, 41000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT);
	CHECK(pkt && source_port(pkt) >= 50000 && source_port(pkt) <= 50009 && checksums_correct(pkt));
	pkt_free(pkt);
}

void scenario_nat_exhausted(void)
{
	nat_start();
	fake_nat_rules[NF_INET_POST_ROUTING] = (struct nat_range){
		.kind = NAT_KIND_SNAT, .flags = NAT_RANGE_HAS_ADDRESS | NAT_RANGE_HAS_PORTS,
		.address_min = ROUTER_OUTSIDE, .address_max = ROUTER_OUTSIDE, .port_min = 50000, .port_max = 50003,
	};
	bool used[4] = { false };
	for (uint16_t port = 1; port <= 4; port++) {
		struct pkt *pkt = pass(make_udp(INSIDE_HOST, OUTSIDE_HOST, port, 53, 20, false), PATH_FORWARD_OUT);
		CHECK(pkt && source_port(pkt) >= 50000 && source_port(pkt) <= 50003);
		if (pkt && source_port(pkt) >= 50000 && source_port(pkt) <= 50003) {
			CHECK(!used[source_port(pkt) - 50000]);
			used[source_port(pkt) - 50000] = true;
		}
		pkt_free(pkt);
	}
	CHECK(pass(make_udp(INSIDE_HOST, OUTSIDE_HOST, 5, 53, 20, false), PATH_FORWARD_OUT) == NULL);
	CHECK_EQ(drops[NET_DROP_NAT_NO_FREE_PORT], 1);
	CHECK_EQ(conntrack_count(), 4);   /* the refused flow left nothing */
	/* The same flow to another server is another tuple: a port is free for it. */
	struct pkt *pkt = pass(make_udp(INSIDE_HOST, ADDRESS(10, 98, 0, 3), 5, 53, 20, false), PATH_FORWARD_OUT);
	CHECK(pkt != NULL);
	pkt_free(pkt);
}

/* SNAT to another address and port range, so every field moves. */
static void snat_everything(void)
{
	fake_nat_rules[NF_INET_POST_ROUTING] = (struct nat_range){
		.kind = NAT_KIND_SNAT, .flags = NAT_RANGE_HAS_ADDRESS | NAT_RANGE_HAS_PORTS,
		.address_min = ADDRESS(192, 0, 2, 77), .address_max = ADDRESS(192, 0, 2, 77), .port_min = 61000, .port_max = 61000,
	};
}

void scenario_nat_checksum(void)
{
	nat_start();
	snat_everything();
	/* TCP with an odd payload length, UDP, UDP without a checksum. */
	struct pkt *pkt = pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 333), PATH_FORWARD_OUT);
	CHECK(pkt && ip_of(pkt)->source == ADDRESS(192, 0, 2, 77) && source_port(pkt) == 61000 && checksums_correct(pkt));
	pkt_free(pkt);
	pkt = pass(make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 77, false), PATH_FORWARD_OUT);
	CHECK(pkt && source_port(pkt) == 61000 && checksums_correct(pkt));
	pkt_free(pkt);
	pkt = pass(make_udp(INSIDE_HOST, ADDRESS(10, 98, 0, 3), 5001, 53, 77, true), PATH_FORWARD_OUT);
	CHECK(pkt && source_port(pkt) == 61000 && ipv4_checksum_valid(pkt));
	CHECK(pkt && pkt->data[26] == 0 && pkt->data[27] == 0);   /* RFC 768: no checksum stays none */
	pkt_free(pkt);
	/* The reply to the UDP flow, translated back. */
	pkt = pass(make_udp(OUTSIDE_HOST, ADDRESS(192, 0, 2, 77), 53, 61000, 5, false), PATH_FORWARD_IN);
	CHECK(pkt && ip_of(pkt)->destination == INSIDE_HOST && destination_port(pkt) == 5000 && checksums_correct(pkt));
	pkt_free(pkt);
	/* ICMP echo: the identifier is the "port". */
	pkt = pass(make_icmp_echo(INSIDE_HOST, OUTSIDE_HOST, ICMP_TYPE_ECHO_REQUEST, 77, 1), PATH_FORWARD_OUT);
	CHECK(pkt && port_at(pkt, 4) == 61000 && checksums_correct(pkt));
	pkt_free(pkt);
	pkt = pass(make_icmp_echo(OUTSIDE_HOST, ADDRESS(192, 0, 2, 77), ICMP_TYPE_ECHO_REPLY, 61000, 1), PATH_FORWARD_IN);
	CHECK(pkt && ip_of(pkt)->destination == INSIDE_HOST && port_at(pkt, 4) == 77 && checksums_correct(pkt));
	pkt_free(pkt);
	/* Many random payloads: the incremental update always equals a recomputation. */
	for (unsigned round = 0; round < 200; round++) {
		conntrack_flush();
		pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, (uint16_t)(1000 + round), 53, round % 97, false);
		for (uint32_t index = 28; index < pkt->length; index++)
			pkt->data[index] = (uint8_t)(index * 31 + round * 17);
		struct udp_header *udp = (struct udp_header *)(pkt->data + 20);
		udp->checksum = 0;
		uint64_t sum = ipv4_pseudo_header_sum(INSIDE_HOST, OUTSIDE_HOST, 17, pkt->length - 20) +
			       ones_complement_sum(udp, pkt->length - 20);
		udp->checksum = (be16)~ones_complement_fold(sum);
		if (udp->checksum == 0)
			udp->checksum = UDP_CHECKSUM_ZERO_AS;
		pkt = pass(pkt, PATH_FORWARD_OUT);
		CHECK(pkt && checksums_correct(pkt));
		CHECK(pkt && !(pkt->data[26] == 0 && pkt->data[27] == 0));
		pkt_free(pkt);
	}
}

/* TX checksum offload: the field holds the pseudo-header sum; a port
 * change must not touch it, an address change must. TSO alike. */
void scenario_nat_partial(void)
{
	nat_start();
	snat_everything();
	static const uint8_t protocols[] = { IP_PROTOCOL_TCP, IP_PROTOCOL_UDP };
	for (unsigned index = 0; index < 2; index++) {
		uint8_t protocol = protocols[index];
		struct pkt *pkt = protocol == IP_PROTOCOL_TCP ? tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 1000)
							      : make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 1000, false);
		uint32_t length = pkt->length - IPV4_HEADER_MIN_LENGTH;
		unsigned offset = IPV4_HEADER_MIN_LENGTH + (protocol == IP_PROTOCOL_TCP ? 16 : 6);
		be16 pseudo = ipv4_pseudo_header_sum(INSIDE_HOST, OUTSIDE_HOST, protocol, length);
		memcpy(pkt->data + offset, &pseudo, 2);
		pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
		pkt->gso_size = protocol == IP_PROTOCOL_TCP ? 536 : 0;
		pkt = pass(pkt, PATH_LOCAL_OUT);
		CHECK(pkt && source_port(pkt) == 61000);
		if (pkt == NULL)
			continue;
		be16 expected = ipv4_pseudo_header_sum(ADDRESS(192, 0, 2, 77), OUTSIDE_HOST, protocol, length), stored;
		memcpy(&stored, pkt->data + offset, 2);
		CHECK(stored == expected || (uint16_t)(stored ^ expected) == 0xFFFF);
		/* What the device then computes is a correct checksum. */
		uint64_t sum = ones_complement_sum(pkt->data + IPV4_HEADER_MIN_LENGTH, length);
		be16 final = (be16)~ones_complement_fold(sum);
		memcpy(pkt->data + offset, &final, 2);
		CHECK(transport_checksum_valid(pkt) && ipv4_checksum_valid(pkt));
		pkt_free(pkt);
	}
}

/* The quoted datagram inside an error at pkt: its IPv4 header checksum,
 * and its transport checksum when quoted whole. */
static bool quote_correct(const struct pkt *pkt, be32 source, uint16_t sport, be32 destination, uint16_t dport,
			  bool whole)
{
	const uint8_t *inner = pkt->data + IPV4_HEADER_MIN_LENGTH + ICMP_HEADER_LENGTH;
	const struct ipv4_header *ip = (const struct ipv4_header *)inner;
	bool ok = ip->source == source && ip->destination == destination &&
		  (inner[20] << 8 | inner[21]) == sport && (inner[22] << 8 | inner[23]) == dport &&
		  ones_complement_sum(inner, IPV4_HEADER_MIN_LENGTH) == 0xFFFF;
	if (whole) {
		uint32_t length = ntohs(ip->total_length) - IPV4_HEADER_MIN_LENGTH;
		uint64_t sum = ones_complement_sum(inner + 20, length) +
			       ipv4_pseudo_header_sum(ip->source, ip->destination, ip->protocol, length);
		ok = ok && ones_complement_fold(sum) == 0xFFFF;
	}
	/* And the error's own checksums. */
	return ok && ipv4_checksum_valid(pkt) &&
	       ones_complement_sum(pkt->data + IPV4_HEADER_MIN_LENGTH, pkt->length - IPV4_HEADER_MIN_LENGTH) == 0xFFFF;
}

void scenario_nat_icmp_error(void)
{
	nat_start();
	fake_nat_rules[NF_INET_POST_ROUTING].kind = NAT_KIND_MASQUERADE;
	fake_nat_rules[NF_INET_POST_ROUTING].flags = NAT_RANGE_HAS_PORTS;
	fake_nat_rules[NF_INET_POST_ROUTING].port_min = fake_nat_rules[NF_INET_POST_ROUTING].port_max = 50000;
	struct pkt *sent = pass(make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 32, false), PATH_FORWARD_OUT);
	CHECK(sent && ip_of(sent)->source == ROUTER_OUTSIDE && source_port(sent) == 50000);
	if (sent == NULL)
		return;
	/* The server answers port unreachable, quoting what it got (the whole datagram, then only 28 bytes). */
	for (unsigned whole = 0; whole < 2; whole++) {
		struct pkt *error = make_icmp_error(OUTSIDE_HOST, ROUTER_OUTSIDE, ICMP_TYPE_DESTINATION_UNREACHABLE,
						    ICMP_CODE_PORT_UNREACHABLE, sent, whole ? sent->length : 28);
		error = pass(error, PATH_FORWARD_IN);
		CHECK(error && error->conntrack_state == NF_CT_STATE_RELATED);
		CHECK(error && ip_of(error)->destination == INSIDE_HOST &&
		      quote_correct(error, INSIDE_HOST, 5000, OUTSIDE_HOST, 53, whole));
		pkt_free(error);
	}
	/* The whole quote, in two buffers (a chained RX pkt): made one, then translated. */
	struct pkt *error = make_icmp_error(OUTSIDE_HOST, ROUTER_OUTSIDE, 3, 3, sent, sent->length);
	struct pkt *tail = pkt_alloc();
	uint32_t head_length = IPV4_HEADER_MIN_LENGTH + ICMP_HEADER_LENGTH + 28;
	memcpy(pkt_put(tail, error->length - head_length), error->data + head_length, error->length - head_length);
	pkt_trim(error, head_length);
	pkt_append_fragment(error, tail);
	error = pass(error, PATH_FORWARD_IN);
	CHECK(error && error->fragments == NULL && quote_correct(error, INSIDE_HOST, 5000, OUTSIDE_HOST, 53, true));
	pkt_free(error);
	pkt_free(sent);
	/* A ping: host unreachable quoting the translated request; the quote's
	 * identifier and ICMP checksum are restored too. */
	sent = pass(make_icmp_echo(INSIDE_HOST, OUTSIDE_HOST, ICMP_TYPE_ECHO_REQUEST, 77, 1), PATH_FORWARD_OUT);
	CHECK(sent && port_at(sent, 4) == 50000);
	if (sent) {
		error = pass(make_icmp_error(ADDRESS(10, 98, 0, 254), ROUTER_OUTSIDE, 3, 1, sent, sent->length), PATH_FORWARD_IN);
		const uint8_t *inner = error ? error->data + 28 : NULL;
		CHECK(error && ip_of(error)->destination == INSIDE_HOST && inner[20] == ICMP_TYPE_ECHO_REQUEST &&
		      (inner[24] << 8 | inner[25]) == 77 && memcmp(inner + 12, &(be32){ INSIDE_HOST }, 4) == 0 &&
		      ones_complement_sum(inner + 20, sent->length - 20) == 0xFFFF &&
		      ones_complement_sum(inner, 20) == 0xFFFF && ones_complement_sum(error->data + 20, error->length - 20) == 0xFFFF);
		pkt_free(error);
		pkt_free(sent);
	}
	/* A TCP flow: quoted with its checksum field, and without. */
	sent = pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 10), PATH_FORWARD_OUT);
	CHECK(sent && source_port(sent) == 50000);
	for (unsigned whole = 0; sent && whole < 2; whole++) {
		struct pkt *error = make_icmp_error(ADDRESS(10, 98, 0, 254), ROUTER_OUTSIDE, ICMP_TYPE_TIME_EXCEEDED, 0, sent,
						    whole ? sent->length : 28);
		error = pass(error, PATH_FORWARD_IN);
		CHECK(error && ip_of(error)->destination == INSIDE_HOST &&
		      quote_correct(error, INSIDE_HOST, 40000, OUTSIDE_HOST, 80, whole));
		pkt_free(error);
	}
	pkt_free(sent);
}

void scenario_nat_dnat(void)
{
	nat_start();
	/* Port forwarding: the router's 10.98.0.1:80 to the inside host's 8080. */
	fake_nat_rules[NF_INET_PRE_ROUTING] = (struct nat_range){
		.kind = NAT_KIND_DNAT, .flags = NAT_RANGE_HAS_ADDRESS | NAT_RANGE_HAS_PORTS,
		.address_min = INSIDE_HOST, .address_max = INSIDE_HOST, .port_min = 8080, .port_max = 8080,
	};
	struct pkt *pkt = pass(tcp_syn(OUTSIDE_HOST, 33000, ROUTER_OUTSIDE, 80, 0), PATH_FORWARD_IN);
	CHECK(pkt && ip_of(pkt)->destination == INSIDE_HOST && destination_port(pkt) == 8080 && checksums_correct(pkt));
	CHECK(pkt && (pkt->conntrack_status & NF_CT_STATUS_DST_NAT));
	pkt_free(pkt);
	struct tcp_segment reply = { INSIDE_HOST, OUTSIDE_HOST, 8080, 33000, 900, 8, TCP_FLAG_SYN | TCP_FLAG_ACK, 65160, 0, -1 };
	struct pkt *answer = pass(make_tcp(&reply), PATH_FORWARD_OUT);
	CHECK(answer && ip_of(answer)->source == ROUTER_OUTSIDE && source_port(answer) == 80 && checksums_correct(answer));
	/* The inside host's ICMP error about the client's segment goes out as the router's. */
	struct pkt *quoted = tcp_syn(OUTSIDE_HOST, 33000, INSIDE_HOST, 8080, 0);
	struct pkt *error = pass(make_icmp_error(INSIDE_HOST, OUTSIDE_HOST, 3, 3, quoted, 28), PATH_FORWARD_OUT);
	CHECK(error && ip_of(error)->source == ROUTER_OUTSIDE &&
	      quote_correct(error, OUTSIDE_HOST, 33000, ROUTER_OUTSIDE, 80, false));
	pkt_free(error);
	pkt_free(quoted);
	pkt_free(answer);
	/* conntrack -L shows the binding in the reply tuple. */
	char line[CONNTRACK_LINE_BYTES];
	conntrack_format_entry(entry_of_flow(OUTSIDE_HOST, ROUTER_OUTSIDE, 6, 33000, 80), line);
	printf("%s", line);
	CHECK(strstr(line, "src=10.98.0.2 dst=10.98.0.1 sport=33000 dport=80 src=10.97.0.2 dst=10.98.0.2 sport=8080 "
			   "dport=33000 mark=0 use=1\n"));
}

void scenario_nat_redirect_masquerade(void)
{
	nat_start();
	fake_nat_rules[NF_INET_PRE_ROUTING] =
		(struct nat_range){ .kind = NAT_KIND_REDIRECT, .flags = NAT_RANGE_HAS_PORTS, .port_min = 8080, .port_max = 8080 };
	fake_nat_rules[NF_INET_LOCAL_OUT] = fake_nat_rules[NF_INET_PRE_ROUTING];
	struct pkt *pkt = pass(tcp_syn(OUTSIDE_HOST, 33000, ADDRESS(203, 0, 113, 9), 80, 0), PATH_LOCAL_IN);
	CHECK(pkt && ip_of(pkt)->destination == ROUTER_OUTSIDE && destination_port(pkt) == 8080 && checksums_correct(pkt));
	pkt_free(pkt);
	pkt = pass(tcp_syn(ROUTER_OUTSIDE, 34000, ADDRESS(203, 0, 113, 9), 80, 0), PATH_LOCAL_OUT);
	CHECK(pkt && ip_of(pkt)->destination == ADDRESS(127, 0, 0, 1) && destination_port(pkt) == 8080);
	pkt_free(pkt);
	/* Masquerade out of an interface without an address: counted drop, no entry. */
	memset(fake_nat_rules, 0, sizeof(fake_nat_rules));
	fake_nat_rules[NF_INET_POST_ROUTING].kind = NAT_KIND_MASQUERADE;
	struct net_interface *outside = net_interface_of(&outside_device);
	be32 saved = outside->address;
	outside->address = 0;
	unsigned before = conntrack_count();
	CHECK(pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT) == NULL);
	CHECK_EQ(drops[NET_DROP_NAT_NO_ADDRESS], 1);
	CHECK_EQ(conntrack_count(), before);
	outside->address = saved;
	/* A rule that drops in a nat chain: the engine's drop, no entry. */
	fake_drop_hook = NF_INET_POST_ROUTING;
	CHECK(pass(tcp_syn(INSIDE_HOST, 40001, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT) == NULL);
	CHECK_EQ(drops[NET_DROP_NFT_RULE_DROP], 1);
	CHECK_EQ(conntrack_count(), before);
	fake_drop_hook = -1;
}

/* An interface's address changes (a DHCP renewal with another address):
 * the connections masqueraded behind the old one are forgotten, as Linux's
 * nf_nat_masquerade inetaddr notifier does; an explicit snat to the same
 * address and other addresses' connections stay. */
void scenario_nat_address_change(void)
{
	nat_start();
	CHECK(address_watcher != NULL);
	fake_nat_rules[NF_INET_POST_ROUTING].kind = NAT_KIND_MASQUERADE;
	pkt_free(pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT));
	fake_nat_rules[NF_INET_POST_ROUTING] = (struct nat_range){ .kind = NAT_KIND_SNAT, .flags = NAT_RANGE_HAS_ADDRESS,
								   .address_min = ROUTER_OUTSIDE, .address_max = ROUTER_OUTSIDE };
	pkt_free(pass(tcp_syn(INSIDE_HOST, 40001, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT));
	CHECK_EQ(conntrack_count(), 2);
	struct net_interface *outside = net_interface_of(&outside_device);
	address_watcher(outside, ADDRESS(192, 0, 2, 1));      /* another address went: nothing bound to it */
	CHECK_EQ(conntrack_count(), 2);
	address_watcher(outside, ROUTER_OUTSIDE);
	CHECK_EQ(conntrack_count(), 1);
	CHECK(entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, IP_PROTOCOL_TCP, 40000, 80) == NULL);
	CHECK(entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, IP_PROTOCOL_TCP, 40001, 80) != NULL);
	/* The flow's next packet starts over, masqueraded again. */
	fake_nat_rules[NF_INET_POST_ROUTING] = (struct nat_range){ .kind = NAT_KIND_MASQUERADE };
	struct pkt *pkt = pass(tcp_syn(INSIDE_HOST, 40000, OUTSIDE_HOST, 80, 0), PATH_FORWARD_OUT);
	CHECK(pkt && ip_of(pkt)->source == ROUTER_OUTSIDE && pkt->conntrack_state == NF_CT_STATE_NEW);
	pkt_free(pkt);
}
