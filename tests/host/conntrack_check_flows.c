/* conntrack_check_flows.c - scenarios of the table and of UDP and ICMP:
 * tuples and their hashing, UDP's UNREPLIED -> ASSURED stream, ICMP echo,
 * ICMP errors RELATED to the flow they quote (or INVALID), timeouts and
 * the expiry sweep, an unconfirmed entry dropped with its packet, the
 * table full (early drop of an unassured entry, else the counted drop),
 * and the console's conntrack output. */
#include <stdio.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "tests/host/conntrack_check.h"
#include "tests/host/host_time_shim.h"
#include "net/netfilter/conntrack_sysctl.h"

static uint8_t udp(bool from_inside, uint16_t inside_port, uint16_t outside_port)
{
	if (from_inside)
		return pass_state(make_udp(INSIDE_HOST, OUTSIDE_HOST, inside_port, outside_port, 32, false), PATH_FORWARD_OUT);
	return pass_state(make_udp(OUTSIDE_HOST, INSIDE_HOST, outside_port, inside_port, 32, false), PATH_FORWARD_IN);
}

void scenario_tuple(void)
{
	CHECK_EQ(sizeof(struct nf_conn), 96);
	printf("bytes per entry: %zu (%zu with its bucket); entries in 64 MiB: %llu\n", sizeof(struct nf_conn),
	       sizeof(struct nf_conn) + sizeof(uint32_t),
	       (unsigned long long)((64ull << 20) / (sizeof(struct nf_conn) + sizeof(uint32_t))));
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_NEW);
	unsigned direction = 9;
	struct conntrack_tuple original = { INSIDE_HOST, OUTSIDE_HOST, htons(5000), htons(53), 17, 0, 0, 0 };
	struct conntrack_tuple reply;
	CHECK(conntrack_invert(&original, &reply));
	CHECK(reply.source == OUTSIDE_HOST && reply.destination == INSIDE_HOST && reply.source_port == htons(53));
	struct nf_conn *entry = conntrack_find(&original, &direction);
	CHECK(entry != NULL && direction == CONNTRACK_DIRECTION_ORIGINAL);
	CHECK(conntrack_find(&reply, &direction) == entry && direction == CONNTRACK_DIRECTION_REPLY);
	/* ICMP: the identifier stays, request and reply types swap. */
	struct conntrack_tuple echo = { INSIDE_HOST, OUTSIDE_HOST, htons(77), 0, 1, ICMP_TYPE_ECHO_REQUEST, 0, 0 };
	CHECK(conntrack_invert(&echo, &reply) && reply.icmp_type == ICMP_TYPE_ECHO_REPLY && reply.source_port == htons(77));
	echo.icmp_type = ICMP_TYPE_DESTINATION_UNREACHABLE;
	CHECK(!conntrack_invert(&echo, &reply));
	/* Other ports, other entries; the two directions of 200 flows all found. */
	for (uint16_t port = 1; port <= 200; port++)
		CHECK_EQ(udp(true, port, 9), NF_CT_STATE_NEW);
	for (uint16_t port = 1; port <= 200; port++)
		CHECK_EQ(udp(false, port, 9), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(conntrack_count(), 201);
}

void scenario_udp(void)
{
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_NEW);
	struct nf_conn *entry = entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 17, 5000, 53);
	CHECK(entry && !(entry->status & NF_CT_STATUS_SEEN_REPLY));
	CHECK_EQ((entry->expires_ns - host_time_now_ns) / SECOND, 30);
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_NEW);   /* still unreplied: still NEW, as Linux */
	CHECK_EQ(udp(false, 5000, 53), NF_CT_STATE_ESTABLISHED);
	CHECK(entry->status & NF_CT_STATUS_SEEN_REPLY);
	CHECK(!(entry->status & NF_CT_STATUS_ASSURED));
	CHECK_EQ((entry->expires_ns - host_time_now_ns) / SECOND, 30);
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_ESTABLISHED);
	CHECK(!(entry->status & NF_CT_STATUS_ASSURED));   /* a query and its answer: not yet a stream */
	CHECK_EQ((entry->expires_ns - host_time_now_ns) / SECOND, 30);
	host_time_advance(2 * SECOND + 1);
	CHECK_EQ(udp(false, 5000, 53), NF_CT_STATE_ESTABLISHED);
	CHECK(entry->status & NF_CT_STATUS_ASSURED);
	CHECK_EQ((entry->expires_ns - host_time_now_ns) / SECOND, 120);
	/* UDP without a checksum is tracked too. */
	CHECK_EQ(pass_state(make_udp(INSIDE_HOST, OUTSIDE_HOST, 6000, 53, 10, true), PATH_FORWARD_OUT), NF_CT_STATE_NEW);
	/* A corrupted checksum at PRE_ROUTING: INVALID, no entry. */
	struct pkt *pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 7000, 53, 10, false);
	pkt->data[30] ^= 0x40;
	CHECK_EQ(pass_state(pkt, PATH_FORWARD_OUT), NF_CT_STATE_INVALID);
	CHECK(entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 17, 7000, 53) == NULL);
}

void scenario_icmp(void)
{
	CHECK_EQ(pass_state(make_icmp_echo(INSIDE_HOST, OUTSIDE_HOST, ICMP_TYPE_ECHO_REQUEST, 77, 1), PATH_FORWARD_OUT),
		 NF_CT_STATE_NEW);
	CHECK_EQ(pass_state(make_icmp_echo(OUTSIDE_HOST, INSIDE_HOST, ICMP_TYPE_ECHO_REPLY, 77, 1), PATH_FORWARD_IN),
		 NF_CT_STATE_ESTABLISHED);
	/* A reply nobody asked for, another identifier: INVALID. */
	CHECK_EQ(pass_state(make_icmp_echo(OUTSIDE_HOST, INSIDE_HOST, ICMP_TYPE_ECHO_REPLY, 78, 1), PATH_FORWARD_IN),
		 NF_CT_STATE_INVALID);
	CHECK_EQ(conntrack_count(), 1);
	host_time_advance(31 * SECOND);
	CHECK_EQ(pass_state(make_icmp_echo(OUTSIDE_HOST, INSIDE_HOST, ICMP_TYPE_ECHO_REPLY, 77, 2), PATH_FORWARD_IN),
		 NF_CT_STATE_INVALID);   /* 30 s passed: the entry is gone */
}

void scenario_related(void)
{
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_NEW);
	struct nf_conn *entry = entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 17, 5000, 53);
	/* The server's port unreachable quotes the client's datagram. */
	struct pkt *quoted = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 32, false);
	struct pkt *error = pass(make_icmp_error(OUTSIDE_HOST, INSIDE_HOST, ICMP_TYPE_DESTINATION_UNREACHABLE,
						 ICMP_CODE_PORT_UNREACHABLE, quoted, 28),
				 PATH_FORWARD_IN);
	CHECK(error && error->conntrack_state == NF_CT_STATE_RELATED && error->conntrack == entry &&
	      error->conntrack_reply == CONNTRACK_DIRECTION_REPLY);
	pkt_free(error);
	/* A router on the way sends time exceeded: same flow, from anywhere. */
	CHECK_EQ(pass_state(make_icmp_error(ADDRESS(10, 98, 0, 254), INSIDE_HOST, ICMP_TYPE_TIME_EXCEEDED, 0, quoted, 28),
			    PATH_FORWARD_IN),
		 NF_CT_STATE_RELATED);
	pkt_free(quoted);
	/* Quoting a flow nobody tracks: INVALID. */
	quoted = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5001, 53, 32, false);
	CHECK_EQ(pass_state(make_icmp_error(OUTSIDE_HOST, INSIDE_HOST, 3, 3, quoted, 28), PATH_FORWARD_IN),
		 NF_CT_STATE_INVALID);
	/* Quoting less than 8 transport bytes, or an ICMP error: INVALID. */
	CHECK_EQ(pass_state(make_icmp_error(OUTSIDE_HOST, INSIDE_HOST, 3, 3, quoted, 24), PATH_FORWARD_IN),
		 NF_CT_STATE_INVALID);
	pkt_free(quoted);
	quoted = make_udp(OUTSIDE_HOST, INSIDE_HOST, 53, 5000, 32, false);
	struct pkt *inner_error = make_icmp_error(INSIDE_HOST, OUTSIDE_HOST, 3, 3, quoted, 28);
	CHECK_EQ(pass_state(make_icmp_error(OUTSIDE_HOST, INSIDE_HOST, 3, 3, inner_error, 28), PATH_FORWARD_IN),
		 NF_CT_STATE_INVALID);
	pkt_free(inner_error);
	pkt_free(quoted);
	CHECK_EQ(conntrack_count(), 1);
}

void scenario_timeouts(void)
{
	nf_conntrack_udp_timeout = 5;   /* sysctls take effect on the next packet */
	CHECK_EQ(udp(true, 5000, 53), NF_CT_STATE_NEW);
	struct tcp_segment syn = { INSIDE_HOST, OUTSIDE_HOST, 40000, 80, 1, 0, 0x02, 64240, 0, -1 };
	CHECK_EQ(pass_state(make_tcp(&syn), PATH_FORWARD_OUT), NF_CT_STATE_NEW);
	CHECK_EQ(conntrack_count(), 2);
	/* The sweep (a timer every second, a share of the buckets each time)
	 * removes entries nobody looks up: after 5 s the UDP one is due, and
	 * one full round of the table later it is gone. */
	host_time_advance(4 * SECOND);
	CHECK_EQ(conntrack_count(), 2);
	host_time_advance(40 * SECOND);
	CHECK_EQ(conntrack_count(), 1);
	host_time_advance(100 * SECOND);   /* SYN_SENT: 120 s */
	CHECK_EQ(conntrack_count(), 0);
	CHECK(pool_full());
	nf_conntrack_udp_timeout = 30;
}

/* A first packet dropped before confirmation leaves no entry (Linux:
 * unconfirmed entries die with their skb). */
void scenario_unconfirmed(void)
{
	struct pkt *pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 10, false);
	CHECK_EQ(nf_hook(NF_INET_PRE_ROUTING, pkt, &inside_device, NULL), NF_ACCEPT);
	CHECK(pkt->conntrack != NULL && pkt->conntrack_state == NF_CT_STATE_NEW);
	CHECK_EQ(conntrack_count(), 1);
	pkt_free(pkt);   /* as a FORWARD rule's drop would */
	CHECK_EQ(conntrack_count(), 0);
	CHECK(entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 17, 5000, 53) == NULL);
	CHECK_EQ(conntrack_stats.insert, 0);
	/* A pkt tracked once is not tracked again (looped back): one reference. */
	pkt = pass(make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 10, false), PATH_LOCAL_OUT);
	struct nf_conn *entry = pkt->conntrack;
	CHECK_EQ(entry->use, 2);
	CHECK_EQ(nf_hook(NF_INET_PRE_ROUTING, pkt, &outside_device, NULL), NF_ACCEPT);
	CHECK_EQ(nf_hook(NF_INET_LOCAL_IN, pkt, &outside_device, NULL), NF_ACCEPT);
	CHECK(pkt->conntrack == entry && entry->use == 2);
	pkt_free(pkt);
	CHECK_EQ(entry->use, 1);
	/* Delivered to a socket: the reference goes at once (nf_conntrack_reset). */
	pkt = pass(make_udp(OUTSIDE_HOST, INSIDE_HOST, 53, 5000, 10, false), PATH_LOCAL_IN);
	CHECK(pkt->conntrack == entry && entry->use == 2);
	nf_conntrack_reset(pkt);
	CHECK(pkt->conntrack == NULL && pkt->conntrack_state == 0 && entry->use == 1);
	pkt_free(pkt);
	CHECK_EQ(entry->use, 1);
	conntrack_flush();
	/* net/ipv4/icmp.c answers an echo request in place: the request's pkt,
	 * tracked on its way in, goes out as the reply and is tracked anew. */
	pkt = pass(make_icmp_echo(OUTSIDE_HOST, ROUTER_OUTSIDE, ICMP_TYPE_ECHO_REQUEST, 9, 1), PATH_LOCAL_IN);
	entry = pkt->conntrack;
	CHECK(entry && pkt->conntrack_state == NF_CT_STATE_NEW && entry->use == 2);
	struct ipv4_header *ip = (struct ipv4_header *)pkt->data;
	ip->source = ROUTER_OUTSIDE, ip->destination = OUTSIDE_HOST;
	pkt->data[20] = ICMP_TYPE_ECHO_REPLY;
	pkt->data[22] = pkt->data[23] = 0;
	be16 checksum = internet_checksum(pkt->data + 20, pkt->length - 20);
	memcpy(pkt->data + 22, &checksum, 2);
	CHECK(pass(pkt, PATH_LOCAL_OUT) == pkt);
	CHECK(pkt->conntrack == entry && pkt->conntrack_state == NF_CT_STATE_ESTABLISHED && pkt->conntrack_reply == 1);
	CHECK_EQ(entry->use, 2);
	CHECK(entry->status & NF_CT_STATUS_SEEN_REPLY);
	pkt_free(pkt);
	CHECK_EQ(entry->use, 1);
}

/* Two first packets of one flow in flight together: the second clashes at confirmation. */
void scenario_clash(void)
{
	struct pkt *first = make_udp(INSIDE_HOST, OUTSIDE_HOST, 6000, 53, 10, false);
	struct pkt *second = make_udp(INSIDE_HOST, OUTSIDE_HOST, 6000, 53, 10, false);
	CHECK_EQ(nf_hook(NF_INET_PRE_ROUTING, first, &inside_device, NULL), NF_ACCEPT);
	CHECK_EQ(nf_hook(NF_INET_PRE_ROUTING, second, &inside_device, NULL), NF_ACCEPT);
	CHECK(first->conntrack != second->conntrack);
	CHECK_EQ(nf_hook(NF_INET_POST_ROUTING, first, &inside_device, &outside_device), NF_ACCEPT);
	CHECK_EQ(nf_hook(NF_INET_POST_ROUTING, second, &inside_device, &outside_device), NF_DROP);
	CHECK_EQ(drops[NET_DROP_CONNTRACK_INSERT_FAILED], 1);
	CHECK_EQ(conntrack_stats.insert_failed, 1);
	pkt_free(first);
	CHECK_EQ(conntrack_count(), 1);
}

/* Fragments (conntrack expects reassembly before it, as Linux's
 * nf_defrag_ipv4): a later fragment has no ports and is UNTRACKED; a
 * first one is tracked by its ports, its checksum (over the whole
 * datagram) not checked. */
void scenario_fragments(void)
{
	struct pkt *pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 100, false);
	struct ipv4_header *ip = (struct ipv4_header *)pkt->data;
	ip->flags_fragment_offset = htons(IPV4_FLAG_MORE_FRAGMENTS);
	CHECK_EQ(pass_state(pkt, PATH_FORWARD_OUT), NF_CT_STATE_NEW);
	pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 100, false);
	ip = (struct ipv4_header *)pkt->data;
	ip->flags_fragment_offset = htons(16);
	struct pkt *passed = pass(pkt, PATH_FORWARD_OUT);
	CHECK(passed && passed->conntrack_state == NF_CT_STATE_UNTRACKED && passed->conntrack == NULL);
	pkt_free(passed);
	/* Malformed headers: INVALID, counted as errors. */
	uint64_t errors = conntrack_stats.error;
	pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 100, false);
	pkt->data[0] = 0x44;   /* IHL 4 */
	CHECK_EQ(pass_state(pkt, PATH_FORWARD_OUT), NF_CT_STATE_INVALID);
	pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 100, false);
	pkt->data[2] = 0x10;   /* total length beyond the packet */
	CHECK_EQ(pass_state(pkt, PATH_FORWARD_OUT), NF_CT_STATE_INVALID);
	pkt = make_udp(INSIDE_HOST, OUTSIDE_HOST, 5000, 53, 0, false);
	pkt_trim(pkt, 22);
	pkt->data[3] = 22;
	CHECK_EQ(pass_state(pkt, PATH_FORWARD_OUT), NF_CT_STATE_INVALID);   /* 2 bytes of UDP */
	CHECK_EQ(conntrack_stats.error, errors + 3);
}

/* nf_conntrack_max = 64 (main sets it for table_full*). */
void scenario_table_full(void)
{
	for (uint16_t port = 1; port <= 64; port++)
		CHECK_EQ(udp(true, port, 53), NF_CT_STATE_NEW);
	CHECK_EQ(conntrack_count(), 64);
	/* Full of unassured entries: each new flow evicts one (Linux's early drop). */
	for (uint16_t port = 100; port < 110; port++)
		CHECK_EQ(udp(true, port, 53), NF_CT_STATE_NEW);
	CHECK_EQ(conntrack_stats.early_drop, 10);
	CHECK_EQ(conntrack_stats.drop, 0);
	CHECK_EQ(conntrack_count(), 64);
	CHECK(entry_of_flow(INSIDE_HOST, OUTSIDE_HOST, 17, 109, 53) != NULL);
}

void scenario_table_full_assured(void)
{
	for (uint16_t port = 1; port <= 64; port++) {
		CHECK_EQ(udp(true, port, 53), NF_CT_STATE_NEW);
		CHECK_EQ(udp(false, port, 53), NF_CT_STATE_ESTABLISHED);
	}
	host_time_advance(3 * SECOND);
	for (uint16_t port = 1; port <= 64; port++)
		CHECK_EQ(udp(true, port, 53), NF_CT_STATE_ESTABLISHED);   /* a stream now: ASSURED */
	/* Nothing to evict: the new flow's packet is dropped and counted. */
	CHECK_EQ(udp(true, 1000, 53), 0xFF);
	CHECK_EQ(drops[NET_DROP_CONNTRACK_TABLE_FULL], 1);
	CHECK_EQ(conntrack_stats.drop, 1);
	CHECK_EQ(conntrack_stats.early_drop, 0);
	/* Established flows go on. */
	CHECK_EQ(udp(false, 7, 53), NF_CT_STATE_ESTABLISHED);
	CHECK_EQ(conntrack_count(), 64);
}

static char captured_out[8192], captured_err[1024];

static void capture(void *context, const char *line)
{
	char *buffer = context == NULL ? captured_out : captured_err;
	size_t size = context == NULL ? sizeof(captured_out) : sizeof(captured_err);
	strncat(buffer, line, size - strlen(buffer) - 1);
}
static void capture_err(void *context, const char *line) { capture((void *)1, line); }

static int run(const char *const *argv, int argc)
{
	captured_out[0] = captured_err[0] = '\0';
	return conntrack_command(argc, argv, capture, capture_err, NULL);
}

void scenario_print(void)
{
	struct tcp_segment s = { INSIDE_HOST, OUTSIDE_HOST, 40000, 80, 1000, 0, 0x02, 64240, 0, -1 };
	pass_state(make_tcp(&s), PATH_FORWARD_OUT);
	s = (struct tcp_segment){ OUTSIDE_HOST, INSIDE_HOST, 80, 40000, 5000, 1001, 0x12, 65160, 0, -1 };
	pass_state(make_tcp(&s), PATH_FORWARD_IN);
	s = (struct tcp_segment){ INSIDE_HOST, OUTSIDE_HOST, 40000, 80, 1001, 5001, 0x10, 502, 0, -1 };
	pass_state(make_tcp(&s), PATH_FORWARD_OUT);
	udp(true, 5000, 53);
	pass_state(make_icmp_echo(INSIDE_HOST, OUTSIDE_HOST, 8, 77, 1), PATH_FORWARD_OUT);
	pass_state(make_icmp_echo(OUTSIDE_HOST, INSIDE_HOST, 0, 77, 1), PATH_FORWARD_IN);
	host_time_advance(SECOND / 2);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-L" }, 2), 0);
	printf("%s%s", captured_out, captured_err);
	CHECK(strstr(captured_out, "tcp      6 431999 ESTABLISHED src=10.97.0.2 dst=10.98.0.2 sport=40000 dport=80 "
				   "src=10.98.0.2 dst=10.97.0.2 sport=80 dport=40000 [ASSURED] mark=0 use=1\n"));
	CHECK(strstr(captured_out, "udp      17 29 src=10.97.0.2 dst=10.98.0.2 sport=5000 dport=53 [UNREPLIED] "
				   "src=10.98.0.2 dst=10.97.0.2 sport=53 dport=5000 mark=0 use=1\n"));
	CHECK(strstr(captured_out, "icmp     1 29 src=10.97.0.2 dst=10.98.0.2 type=8 code=0 id=77 "
				   "src=10.98.0.2 dst=10.97.0.2 type=0 code=0 id=77 mark=0 use=1\n"));
	CHECK(strcmp(captured_err, "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.\n") == 0);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-L", "-p", "udp" }, 4), 0);
	CHECK(strstr(captured_err, ": 1 flow entries have been shown.") && !strstr(captured_out, "tcp"));
	CHECK_EQ(run((const char *const[]){ "conntrack", "-C" }, 2), 0);
	CHECK(strcmp(captured_out, "3\n") == 0);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-S" }, 2), 0);
	printf("%s", captured_out);
	CHECK(strcmp(captured_out, "cpu=0   \tfound=3 invalid=0 insert=3 insert_failed=0 drop=0 early_drop=0 error=0 "
				   "search_restart=0 clash_resolve=0 chaintoolong=0\n") == 0);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-D", "-s", "10.97.0.2", "--dport", "53" }, 6), 0);
	CHECK(strstr(captured_out, "udp      17") && strstr(captured_err, ": 1 flow entries have been deleted."));
	CHECK_EQ(conntrack_count(), 2);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-D", "-p", "udp" }, 4), 1);
	CHECK_EQ(run((const char *const[]){ "conntrack", "-L", "--sport", "x" }, 4), 2);
	CHECK(strstr(captured_err, "Bad parameter"));
	CHECK_EQ(run((const char *const[]){ "conntrack", "-F" }, 2), 0);
	CHECK(strcmp(captured_err, "conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n") == 0);
	CHECK_EQ(conntrack_count(), 0);
}
