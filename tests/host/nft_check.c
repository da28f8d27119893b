/* nft_check.c - host tests of the nftables engine (net/netfilter/nft_*.c)
 * with ASan/UBSan: parse errors with line and column (and the ruleset
 * refused whole), the printer's round trip, the evaluator at the real
 * hook registry on crafted packets (matches, sets, jumps, verdicts,
 * counters, limit, reject packets), NAT chain results, the nft command
 * forms, set lookups at scale. Usage: nft_check <scenario>|all; prints
 * "<scenario>: N failures". */
#include "tests/host/host_check.h"
#include "tests/host/nft_check.h"

#include <arpa/inet.h>
#include <string.h>

#include "net/netfilter/nft.h"
#include "net/netfilter/nft_internal.h"

static char listing_text[65536];
static size_t listing_length;

static void collect(void *context, const char *text, size_t length)
{
	if (listing_length + length < sizeof(listing_text)) {
		memcpy(listing_text + listing_length, text, length);
		listing_length += length;
		listing_text[listing_length] = '\0';
	}
}

static const char *listing(bool handles)
{
	listing_length = 0;
	listing_text[0] = '\0';
	nft_list_ruleset(collect, NULL, handles);
	return listing_text;
}

static char last_error[2048];

static int load(const char *text)
{
	return nft_load_text(text, strlen(text), "test.nft", last_error, sizeof(last_error));
}

static enum nf_verdict hook(enum nf_inet_hook where, struct pkt *pkt, struct netdev *in, struct netdev *out)
{
	return nf_hook(where, pkt, in, out);
}

/* ---- parse errors ---- */

struct error_case {
	const char *text;
	const char *expected;          /* the start of the error */
};

static const struct error_case error_cases[] = {
	{ "table ip filter {\n\tchain input {\n\t\ttcp dport 80 acept\n\t}\n}\n",
	  "test.nft:3:16-20: Error: syntax error, unexpected 'acept'" },
	{ "table ip t {\n chain c {\n  ip saddr 10.0.0.300 drop\n }\n}\n",
	  "test.nft:3:12-21: Error: Could not parse IPv4 address value '10.0.0.300'" },
	{ "table ip t {\n chain c {\n  jump nowhere\n }\n}\n", "test.nft:3:8-14: Error: Could not process rule: No such file" },
	{ "table ip t {\n chain c {\n", "test.nft:3:1-1: Error: syntax error, unexpected end of file, expecting '}'" },
	{ "table ip t {\n chain c {\n  ip saddr @nope drop\n }\n}\n", "test.nft:3:12-16: Error: No such file or directory" },
	{ "table ip t {\n chain c {\n  type filter hook input priority bogus; policy drop;\n }\n}\n",
	  "test.nft:3:35-39: Error: 'bogus' is invalid priority" },
	{ "table ip t {\n chain c {\n  type filter hook input priority 0;\n  dnat to 10.0.0.1\n }\n}\n",
	  "test.nft:4:3-6: Error: Could not process rule: Operation not supported" },
	{ "table ip t {\n chain a {\n }\n chain b {\n  jump a\n }\n}\nadd rule ip t a jump b\n",
	  "test.nft:5:8-8: Error: Could not process rule: Too many levels of symbolic links" },
	{ "table ip t {\n chain c {\n  log prefix \"abc\n }\n}\n", "test.nft:3:14-" },
	{ "table ip6 t {\n}\n", "test.nft:1:7-9: Error: unsupported family 'ip6'" },
	{ "table ip t {\n chain c {\n  tcp dport 70000 accept\n }\n}\n", "test.nft:3:13-17: Error: Could not parse internet network service" },
	{ "table ip t {\n chain c {\n  limit rate 10/fortnight accept\n }\n}\n", "test.nft:3:14-25: Error: Wrong time format" },
	{ "table ip t {\n set s {\n  type ipv4_addr\n  elements = { 10.0.0.0/8 }\n }\n}\n",
	  "test.nft:4:16-25: Error: You must add 'flags interval'" },
	{ "table ip t {\n chain c {\n  tcp dport $web accept\n }\n}\n", "test.nft:3:13-16: Error: unknown identifier 'web'" },
	{ "table ip t {\n chain b {\n  type filter hook input priority 0;\n }\n chain c {\n  jump b\n }\n}\n",
	  "test.nft:6:8-8: Error: Could not process rule: Operation not supported" },
	{ "table ip t {\n chain c {\n  accept counter\n }\n}\n", "test.nft:3:10-16: Error: syntax error, statement after a verdict" },
	{ "table ip t {\n chain c {\n  type nat hook prerouting priority dstnat;\n  dnat to 10.0.0.1:80\n }\n}\n",
	  "test.nft:4:11-21: Error: transport protocol mapping is only valid after transport protocol match" },
	{ "table ip t {\n chain c {\n  tcp dport 80 accept ^\n }\n}\n", "test.nft:3:23-23: Error: syntax error, unexpected junk '^'" },
	{ "table ip t {\n chain c {\n  goto later\n }\n}\n", "test.nft:3:8-12: Error: Could not process rule: No such file or directory (chain 'later')" },
	{ "table ip t {\n chain c {\n  iif \"nosuch0\" accept\n }\n}\n", "test.nft:3:7-15: Error: Interface does not exist" },
	{ "table ip t {\n chain c {\n  iifname { \"eth0\" \"eth1\" } accept\n }\n}\n",
	  "test.nft:3:20-25: Error: syntax error, unexpected quoted string, expecting ','" },
	{ "table ip t {\n chain c {\n  ip foo 1\n }\n}\n", "test.nft:3:6-8: Error: syntax error, unexpected 'foo', expecting a field of 'ip'" },
};

static void scenario_errors(void)
{
	static const char good[] = "table ip keep {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n"
				   "\t\ttcp dport 22 accept\n\t}\n}\n";
	nft_flush_ruleset();
	CHECK(load(good) == 0);
	char before[4096];
	snprintf(before, sizeof(before), "%s", listing(true));
	for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		int result = load(error_cases[i].text);
		bool ok = result == -1 && strncmp(last_error, error_cases[i].expected, strlen(error_cases[i].expected)) == 0;
		if (!ok)
			printf("case %zu: got '%s'\n   expected '%s'\n", i, last_error, error_cases[i].expected);
		CHECK(ok);
		CHECK(strcmp(before, listing(true)) == 0);     /* refused whole: the old ruleset stays */
	}
	/* nft's second and third lines: the source line and carets under the token. */
	load(error_cases[0].text);
	CHECK(strstr(last_error, "\n\t\ttcp dport 80 acept\n\t\t             ^^^^^") != NULL);
	/* 16 nested jumps are allowed (base -> c0 -> ... -> c15), 17 are refused. */
	for (int depth = 15; depth <= 16; depth++) {
		char text[4096];
		int used = snprintf(text, sizeof(text), "table ip deep {\n chain c%d {\n }\n", depth);
		for (int i = depth - 1; i >= 0; i--)
			used += snprintf(text + used, sizeof(text) - used, " chain c%d {\n  jump c%d\n }\n", i, i + 1);
		used += snprintf(text + used, sizeof(text) - used,
				 " chain base {\n  type filter hook output priority 0;\n  jump c0\n }\n}\n");
		CHECK(load(text) == (depth == 15 ? 0 : -1));
		if (depth == 15)
			CHECK(load("delete table ip deep") == 0);
	}
}

/* ---- printer round trip ---- */

static const char full_ruleset[] =
	"#!/usr/sbin/nft -f\n"
	"flush ruleset\n"
	"define web = { 80, 443 }\n"
	"table inet filter {\n"
	"\tset blocked {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.9.0.0/16, 192.0.2.7, 198.51.100.1-198.51.100.9 }\n\t}\n"
	"\tset ports { type inet_service; elements = { 8000, 8001 } }\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority filter; policy drop;\n"
	"\t\tct state established,related accept\n"
	"\t\tct state invalid counter drop\n"
	"\t\tct status dnat accept\n"
	"\t\tiif \"eth0\" ip saddr != 10.0.0.0/8 tcp dport $web counter accept\n"
	"\t\tiifname \"eth*\" oifname != \"eth1\" meta l4proto { tcp, udp } accept\n"
	"\t\tiifname { \"eth0\", \"lo\" } iif != { \"eth1\" } accept\n"
	"\t\tip saddr @blocked log prefix \"blocked: \" drop\n"
	"\t\tip daddr 10.0.0.1-10.0.0.5 ip protocol icmp icmp type { echo-request, 13 } limit rate 5/second accept\n"
	"\t\tudp sport 53 udp dport 1024-65535 accept\n"
	"\t\ttcp sport ssh tcp dport @ports tcp flags & (syn | ack) == syn accept\n"
	"\t\ttcp flags syn limit rate over 10/minute burst 20 packets drop\n"
	"\t\ttcp dport 81 reject with tcp reset\n"
	"\t\tudp dport 82 reject with icmp type host-unreachable\n"
	"\t\tudp dport 83 reject with icmp admin-prohibited\n"
	"\t\tudp dport 84 reject\n"
	"\t\tip saddr 10.0.0.9 reject with tcp reset\n"
	"\t\tjump more\n"
	"\t}\n"
	"\tchain more {\n\t\ttcp dport 8080 goto last\n\t\treturn\n\t}\n"
	"\tchain last {\n\t\tcounter packets 7 bytes 420 accept\n\t}\n"
	"}\n"
	"table ip nat {\n"
	"\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat + 5; policy accept;\n"
	"\t\ttcp dport 8080 dnat to 10.0.0.2:80\n\t\tudp dport 5353 redirect to :53\n\t}\n"
	"\tchain postrouting {\n\t\ttype nat hook postrouting priority -50; policy accept;\n"
	"\t\toifname \"eth1\" meta l4proto tcp snat to 203.0.113.1-203.0.113.9:1024-2048\n\t\tip protocol udp masquerade to :30000-40000\n\t\tmasquerade\n\t}\n"
	"}\n"
	"add rule ip nat postrouting position 9999 accept\n";

static void scenario_round_trip(void)
{
	nft_flush_ruleset();
	CHECK(load("add table ip nat\nadd chain ip nat postrouting { type nat hook postrouting priority -50; }\n"
		   "add rule ip nat postrouting accept") == 0);
	/* `position 9999` names no rule: the whole file is refused. */
	CHECK(load(full_ruleset) == -1);
	static char text[sizeof(full_ruleset) - 40];
	size_t cut = strstr(full_ruleset, "add rule ip nat postrouting position") - full_ruleset;
	memcpy(text, full_ruleset, cut);
	text[cut] = '\0';
	CHECK(load(text) == 0);
	if (failures)
		printf("%s\n", last_error);
	static char first[65536], second[65536];
	snprintf(first, sizeof(first), "%s", listing(false));
	if (getenv("NFT_CHECK_PRINT"))
		printf("%s", listing(true));
	nft_flush_ruleset();
	CHECK(strcmp(listing(false), "") == 0);
	CHECK(load(first) == 0);
	snprintf(second, sizeof(second), "%s", listing(false));
	CHECK(strcmp(first, second) == 0);
	if (strcmp(first, second) != 0)
		printf("---first\n%s---second\n%s", first, second);
	/* nft's canonical spellings. */
	CHECK(strstr(first, "table inet filter {\n\tset blocked {\n\t\ttype ipv4_addr\n\t\tflags interval\n") != NULL);
	CHECK(strstr(first, "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n") != NULL);
	CHECK(strstr(first, "\t\tiif \"eth0\" ip saddr != 10.0.0.0/8 tcp dport { 80, 443 } counter packets 0 bytes 0 accept\n") != NULL);
	CHECK(strstr(first, "ct state established,related accept\n") != NULL);
	CHECK(strstr(first, "\t\tiifname { \"eth0\", \"lo\" } iif != { \"eth1\" } accept\n") != NULL);
	CHECK(strstr(first, "tcp sport 22 tcp dport @ports tcp flags & (syn | ack) == syn accept\n") != NULL);
	CHECK(strstr(first, "icmp type { echo-request, timestamp-request } limit rate 5/second accept\n") != NULL);
	CHECK(strstr(first, "tcp flags syn limit rate over 10/minute burst 20 packets drop\n") != NULL);
	CHECK(strstr(first, "udp dport 82 reject with icmp host-unreachable\n") != NULL);
	CHECK(strstr(first, "udp dport 84 reject\n") != NULL);
	CHECK(strstr(first, "\t\tmeta l4proto tcp ip saddr 10.0.0.9 reject with tcp reset\n") != NULL);   /* nft's dependency */
	CHECK(strstr(first, "counter packets 7 bytes 420 accept\n") != NULL);
	CHECK(strstr(first, "type nat hook prerouting priority dstnat + 5; policy accept;\n") != NULL);
	CHECK(strstr(first, "type nat hook postrouting priority srcnat - 150") == NULL);
	CHECK(strstr(first, "type nat hook postrouting priority -50; policy accept;\n") != NULL);
	CHECK(strstr(first, "tcp dport 8080 dnat to 10.0.0.2:80\n") != NULL);
	CHECK(strstr(first, "oifname \"eth1\" meta l4proto tcp snat to 203.0.113.1-203.0.113.9:1024-2048\n") != NULL);
	CHECK(strstr(first, "\t\tmasquerade\n") != NULL);
	CHECK(strstr(first, "\t}\n\n\tchain more {\n") != NULL);     /* a blank line between blocks */
	unsigned tables, chains, rules;
	nft_ruleset_count(nft_ruleset_current(), &tables, &chains, &rules);
	CHECK(tables == 2 && chains == 5 && rules == 25);
}

/* ---- evaluation at the hooks ---- */

static const char filter_ruleset[] =
	"flush ruleset\n"
	"table ip filter {\n"
	"\tset blocked { type ipv4_addr; flags interval; elements = { 10.9.0.0/16, 192.0.2.7 } }\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority filter; policy drop;\n"
	"\t\tip saddr @blocked counter drop\n"
	"\t\tct state established,related accept\n"
	"\t\tiifname \"eth1\" jump from_eth1\n"
	"\t\ttcp dport 80 counter accept\n"
	"\t\ttcp dport 81 reject with tcp reset\n"
	"\t\tip saddr 10.7.0.1 reject with tcp reset\n"
	"\t\tudp dport 53 reject\n"
	"\t\tudp dport 54 reject with icmp admin-prohibited\n"
	"\t\ttcp dport { 8000-8010, 9000 } accept\n"
	"\t\ttcp flags & (syn | ack) == syn tcp dport 22 accept\n"
	"\t\ticmp type echo-request limit rate 2/second accept\n"
	"\t\tiifname { \"eth9\", \"eth0\" } udp dport 7000 accept\n"
	"\t}\n"
	"\tchain from_eth1 {\n\t\tip saddr 10.1.0.0/24 return\n\t\tdrop\n\t}\n"
	"}\n";

/* Runs LOCAL_IN on a new packet: the verdict, with check_* observations reset first. */
static enum nf_verdict input(const char *source, uint8_t protocol, uint16_t port, uint8_t flags, struct netdev *in)
{
	check_reset_observations();
	struct pkt *pkt = check_packet(source, "10.0.0.2", protocol, 40000, port, flags, in);
	enum nf_verdict verdict = hook(NF_INET_LOCAL_IN, pkt, in, NULL);
	if (verdict == NF_ACCEPT)
		pkt_free(pkt);
	return verdict;
}

static void scenario_evaluate(void)
{
	nft_flush_ruleset();
	for (int h = 0; h < NF_INET_HOOK_COUNT; h++)
		CHECK(nf_hook_lists[h] == NULL);
	CHECK(load(filter_ruleset) == 0);
	CHECK(nf_hook_lists[NF_INET_LOCAL_IN] != NULL);
	CHECK(nf_hook_lists[NF_INET_LOCAL_OUT] == NULL && nf_hook_lists[NF_INET_PRE_ROUTING] == NULL);
	CHECK(input("10.0.0.1", 6, 80, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.0.0.1", 6, 23, 0x02, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_POLICY_DROP);
	CHECK(input("10.9.5.5", 6, 80, 0x02, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP);
	CHECK(input("192.0.2.7", 6, 80, 0x02, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP);
	CHECK(input("192.0.2.8", 6, 80, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.0.0.1", 6, 8005, 0x10, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.0.0.1", 6, 8011, 0x10, &check_eth0) == NF_DROP);
	CHECK(input("10.0.0.1", 6, 9000, 0x10, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.0.0.1", 17, 9000, 0, &check_eth0) == NF_DROP);             /* tcp dport never matches UDP */
	CHECK(input("10.0.0.1", 6, 22, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.0.0.1", 6, 22, 0x12, &check_eth0) == NF_DROP);             /* SYN|ACK: not syn-only */
	CHECK(input("10.0.0.1", 17, 7000, 0, &check_eth0) == NF_ACCEPT);           /* iifname { ... } */
	CHECK(input("10.1.0.1", 17, 7000, 0, &check_eth1) == NF_DROP);
	struct pkt *pkt;
	/* a later fragment carries no ports: tcp dport never matches it */
	check_reset_observations();
	pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 80, 0x02, &check_eth0);
	pkt->data[6] = 0, pkt->data[7] = 10;
	CHECK(hook(NF_INET_LOCAL_IN, pkt, &check_eth0, NULL) == NF_DROP && check_last_drop == NET_DROP_NFT_POLICY_DROP);
	/* jump / return / drop in a regular chain */
	CHECK(input("10.1.0.5", 6, 80, 0x02, &check_eth1) == NF_ACCEPT);
	CHECK(input("10.2.0.5", 6, 80, 0x02, &check_eth1) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP);
	/* ct state: read from the pkt's conntrack fields; untracked (0) matches nothing */
	check_reset_observations();
	pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 23, 0x10, &check_eth0);
	pkt->conntrack_state = NF_CT_STATE_ESTABLISHED;
	CHECK(hook(NF_INET_LOCAL_IN, pkt, &check_eth0, NULL) == NF_ACCEPT);
	pkt_free(pkt);
	pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 23, 0x10, &check_eth0);
	pkt->conntrack_state = NF_CT_STATE_NEW;
	CHECK(hook(NF_INET_LOCAL_IN, pkt, &check_eth0, NULL) == NF_DROP);
	/* counters: the rule for port 80 saw three 40-byte packets */
	CHECK(strstr(listing(false), "tcp dport 80 counter packets 3 bytes 120 accept") != NULL);
	CHECK(strstr(listing_text, "ip saddr @blocked counter packets 2 bytes 80 drop") != NULL);
	nft_flush_ruleset();
	for (int h = 0; h < NF_INET_HOOK_COUNT; h++)
		CHECK(nf_hook_lists[h] == NULL);
}

/* reject in an output chain answers the local stack, as Linux's
 * nf_send_reset / nf_send_unreach at LOCAL_OUT: the RST comes "from" the
 * peer to our address, the ICMP error from our address to itself, both
 * through the loopback, nothing on the wire. */
static enum nf_verdict output(const char *destination, uint8_t protocol, uint16_t port, uint8_t flags, uint8_t ct_state)
{
	check_reset_observations();
	struct pkt *pkt = check_packet("10.0.0.2", destination, protocol, 40000, port, flags, NULL);
	pkt->conntrack_state = ct_state;
	enum nf_verdict verdict = hook(NF_INET_LOCAL_OUT, pkt, NULL, &check_eth0);
	if (verdict == NF_ACCEPT)
		pkt_free(pkt);
	return verdict;
}

static void scenario_reject_output(void)
{
	nft_flush_ruleset();
	CHECK(load("table ip filter {\n chain output {\n  type filter hook output priority filter;\n"
		   "  tcp dport 81 reject with tcp reset\n  udp dport 82 reject\n"
		   "  udp dport 83 reject with icmp host-unreachable\n }\n}\n") == 0);
	/* connect()'s SYN: RST,ACK with ACK = SEQ + 1, from the peer to us */
	CHECK(output("10.0.0.7", 6, 81, 0x02, NF_CT_STATE_NEW) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP);
	CHECK(check_tcp_sent == 0 && check_icmp_errors == 0 && check_looped == 1);
	CHECK(check_looped_protocol == 6 && check_looped_source == inet_addr("10.0.0.7") &&
	      check_looped_destination == inet_addr("10.0.0.2"));
	const uint8_t *rst = check_looped_bytes;
	CHECK(rst[0] == 0 && rst[1] == 81 && rst[2] == (40000 >> 8) && rst[3] == (40000 & 0xFF) && rst[13] == 0x14);
	CHECK(rst[8] == 0x11 && rst[9] == 0x22 && rst[10] == 0x33 && rst[11] == 0x45);
	CHECK(check_looped_conntrack_state == NF_CT_STATE_RELATED);      /* nf_ct_attach */
	/* UDP: port unreachable from our address to our address, quoting the datagram */
	CHECK(output("10.0.0.7", 17, 82, 0, 0) == NF_DROP && check_looped == 1 && check_icmp_errors == 0);
	CHECK(check_looped_protocol == 1 && check_looped_source == inet_addr("10.0.0.2") &&
	      check_looped_destination == inet_addr("10.0.0.2"));
	CHECK(check_looped_bytes[0] == 3 && check_looped_bytes[1] == 3 && check_looped_bytes[8] == 0x45);
	CHECK(memcmp(check_looped_bytes + 8 + 16, "\x0a\x00\x00\x07", 4) == 0);   /* the quote's destination */
	CHECK(check_looped_conntrack_state == 0);                         /* untracked stays untracked */
	CHECK(output("10.0.0.7", 17, 83, 0, 0) == NF_DROP && check_looped == 1 && check_looped_bytes[1] == 1);
	/* other traffic passes */
	CHECK(output("10.0.0.7", 17, 84, 0, 0) == NF_ACCEPT && check_looped == 0);
	nft_flush_ruleset();
}

static void scenario_reject(void)
{
	nft_flush_ruleset();
	CHECK(load(filter_ruleset) == 0);
	/* RFC 9293 3.10.7.1: no ACK -> <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SYN counting one */
	CHECK(input("10.0.0.1", 6, 81, 0x02, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP);
	CHECK(check_tcp_sent == 1);
	const uint8_t *rst = check_tcp_segment;
	CHECK(rst[0] == 0 && rst[1] == 81 && rst[2] == (40000 >> 8) && rst[3] == (40000 & 0xFF));
	CHECK(rst[4] == 0 && rst[5] == 0 && rst[6] == 0 && rst[7] == 0);
	CHECK(rst[8] == 0x11 && rst[9] == 0x22 && rst[10] == 0x33 && rst[11] == 0x45);
	CHECK(rst[13] == 0x14);
	CHECK(check_tcp_source == inet_addr("10.0.0.2") && check_tcp_destination == inet_addr("10.0.0.1"));
	/* the checksum over the pseudo-header verifies */
	uint32_t sum = 0x0a00 + 0x0002 + 0x0a00 + 0x0001 + 6 + 20;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)rst[i] << 8 | rst[i + 1];
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	CHECK(sum == 0xFFFF);
	/* ACK set -> <SEQ=SEG.ACK><CTL=RST> */
	CHECK(input("10.0.0.1", 6, 81, 0x10, &check_eth0) == NF_DROP && check_tcp_sent == 1);
	CHECK(rst[4] == 0x55 && rst[5] == 0x66 && rst[6] == 0x77 && rst[7] == 0x88 && rst[13] == 0x04);
	CHECK(rst[8] == 0 && rst[11] == 0);
	/* `reject with tcp reset` alone: only TCP (nft's implicit ip protocol tcp) */
	CHECK(input("10.7.0.1", 6, 23, 0x02, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_RULE_DROP &&
	      check_tcp_sent == 1);
	CHECK(input("10.7.0.1", 17, 9000, 0, &check_eth0) == NF_DROP && check_last_drop == NET_DROP_NFT_POLICY_DROP &&
	      check_tcp_sent == 0);
	CHECK(strstr(listing(false), "\t\tip protocol tcp ip saddr 10.7.0.1 reject with tcp reset\n") != NULL);
	/* an RST is never answered */
	CHECK(input("10.0.0.1", 6, 81, 0x04, &check_eth0) == NF_DROP && check_tcp_sent == 0);
	/* reject: ICMP port unreachable; with icmp admin-prohibited: code 13 */
	CHECK(input("10.0.0.1", 17, 53, 0, &check_eth0) == NF_DROP && check_icmp_errors == 1 && check_icmp_type == 3 &&
	      check_icmp_code == 3);
	CHECK(input("10.0.0.1", 17, 54, 0, &check_eth0) == NF_DROP && check_icmp_errors == 1 && check_icmp_code == 13);
	nft_flush_ruleset();
	scenario_reject_output();
}

static void scenario_limit(void)
{
	nft_flush_ruleset();
	CHECK(load(filter_ruleset) == 0);
	check_now_ns = 5000000000ull;
	unsigned accepted = 0;
	for (int i = 0; i < 20; i++)
		accepted += input("10.0.0.1", 1, 8, 0, &check_eth0) == NF_ACCEPT;
	CHECK(accepted == 5);                     /* the default burst of 5 */
	check_now_ns += 1000000000ull;            /* one second: two more */
	accepted = 0;
	for (int i = 0; i < 20; i++)
		accepted += input("10.0.0.1", 1, 8, 0, &check_eth0) == NF_ACCEPT;
	CHECK(accepted == 2);
	CHECK(input("10.0.0.1", 1, 0, 0, &check_eth0) == NF_DROP);   /* echo-reply: not matched */
	nft_flush_ruleset();
}

static void scenario_log(void)
{
	nft_flush_ruleset();
	CHECK(load("table ip t {\n chain c {\n  type filter hook input priority 0;\n  log prefix \"in: \" accept\n }\n}\n") == 0);
	check_now_ns = 100000000000ull;
	CHECK(input("10.0.0.1", 6, 80, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(check_console_lines == 1);
	CHECK(strstr(check_console_last, "in: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF "
					 "PROTO=TCP SPT=40000 DPT=80 WINDOW=0 RES=0x00 SYN URGP=0") == check_console_last);
	unsigned lines = 0;
	for (int i = 0; i < 50; i++)
		lines += (input("10.0.0.1", 17, 53, 0, &check_eth0), check_console_lines);
	CHECK(lines < 15);                        /* the console's budget: a burst of 10 */
	check_now_ns += 10000000000ull;
	CHECK(input("10.0.0.1", 17, 53, 0, &check_eth0) == NF_ACCEPT && check_console_lines == 2);
	CHECK(strstr(check_console_last, "PROTO=UDP SPT=40000 DPT=53 LEN=8") != NULL);
	/* a later fragment: its offset in 8-byte units, no transport header (Linux's FRAG:) */
	check_reset_observations();
	struct pkt *pkt = check_packet("10.0.0.1", "10.0.0.2", 17, 40000, 53, 0, &check_eth0);
	pkt->data[6] = 0x20, pkt->data[7] = 185;          /* MF, offset 1480 bytes */
	CHECK(hook(NF_INET_LOCAL_IN, pkt, &check_eth0, NULL) == NF_ACCEPT);
	pkt_free(pkt);
	CHECK(strstr(check_console_last, "TTL=64 ID=0 MF FRAG:185 PROTO=UDP") != NULL);
	nft_flush_ruleset();
}

/* `define`d variables wherever a literal NAT address or port goes, as nft
 * (its scanner stops a variable's name at ':' so "$server:80" is a variable
 * then ":80"). */
static void check_nat_target(const char *statement, uint8_t type, const char *low, const char *high, uint16_t port_min,
			     uint16_t port_max)
{
	static char text[1024];
	snprintf(text, sizeof(text),
		 "define server = 10.0.0.9\ndefine last = 10.0.0.12\ndefine port = 8000\ndefine outside = 203.0.113.1\n"
		 "table ip v {\n chain pre {\n  type nat hook prerouting priority dstnat;\n  tcp dport 8080 %s\n }\n"
		 " chain post {\n  type nat hook postrouting priority srcnat;\n  tcp dport 8080 %s\n }\n}\n",
		 type == NFT_NAT_DNAT ? statement : "accept", type == NFT_NAT_SNAT ? statement : "accept");
	if (load(text) != 0) {
		CHECK(!"loads");
		printf("%s: %s\n", statement, last_error);
	}
	struct nft_nat_result result;
	struct pkt *pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 8080, 0x02, &check_eth0);
	uint8_t hook = type == NFT_NAT_DNAT ? NF_INET_PRE_ROUTING : NF_INET_POST_ROUTING;
	CHECK(nft_nat_evaluate(hook, pkt, &check_eth0, &check_eth1, &result) == NF_ACCEPT);
	CHECK(result.type == type && result.has_address && result.address_min == inet_addr(low) &&
	      result.address_max == inet_addr(high));
	CHECK(result.has_port == (port_min != 0));
	CHECK(!result.has_port || (result.port_min == port_min && result.port_max == port_max));
	if (result.has_port != (port_min != 0) || (result.has_port && result.port_min != port_min))
		printf("%s: port %u-%u\n", statement, result.port_min, result.port_max);
	pkt_free(pkt);
	nft_flush_ruleset();
}

static void scenario_nat_variables(void)
{
	nft_flush_ruleset();
	check_nat_target("dnat to $server", NFT_NAT_DNAT, "10.0.0.9", "10.0.0.9", 0, 0);
	check_nat_target("dnat to $server:80", NFT_NAT_DNAT, "10.0.0.9", "10.0.0.9", 80, 80);
	check_nat_target("dnat ip to $server:$port", NFT_NAT_DNAT, "10.0.0.9", "10.0.0.9", 8000, 8000);
	check_nat_target("dnat to 10.0.0.7:$port", NFT_NAT_DNAT, "10.0.0.7", "10.0.0.7", 8000, 8000);
	check_nat_target("dnat to 10.0.0.9-$last:80-$port", NFT_NAT_DNAT, "10.0.0.9", "10.0.0.12", 80, 8000);
	check_nat_target("snat to $outside", NFT_NAT_SNAT, "203.0.113.1", "203.0.113.1", 0, 0);
	check_nat_target("snat ip to $outside:1024-2048", NFT_NAT_SNAT, "203.0.113.1", "203.0.113.1", 1024, 2048);
	/* the listing shows the values, as nft's does */
	CHECK(load("define server = 10.0.0.9\ntable ip v {\n chain pre {\n  type nat hook prerouting priority dstnat;\n"
		   "  tcp dport 8080 dnat to $server:80\n }\n}\n") == 0);
	CHECK(strstr(listing(false), "tcp dport 8080 dnat to 10.0.0.9:80\n") != NULL);
	nft_flush_ruleset();
	/* a statement ends at the line: a variable is not glued to the next rule */
	CHECK(load("define server = 10.0.0.9\ntable ip v {\n chain pre {\n  type nat hook prerouting priority dstnat;\n"
		   "  tcp dport 8080 dnat to $server :80 :81\n }\n}\n") == -1);
	CHECK(load("define server = { 10.0.0.9 }\ntable ip v {\n chain pre {\n  type nat hook prerouting priority dstnat;\n"
		   "  tcp dport 8080 dnat to $server\n }\n}\n") == -1);
	CHECK(load("table ip v {\n chain pre {\n  type nat hook prerouting priority dstnat;\n"
		   "  tcp dport 8080 dnat to $nobody:80\n }\n}\n") == -1);
	CHECK(strstr(last_error, "unknown identifier 'nobody'") != NULL);
}

static void scenario_nat(void)
{
	nft_flush_ruleset();
	CHECK(load("table ip nat {\n"
		   " chain prerouting {\n  type nat hook prerouting priority dstnat; policy accept;\n"
		   "  tcp dport 8080 dnat to 10.0.0.9:80\n  tcp dport 25 drop\n }\n"
		   " chain postrouting {\n  type nat hook postrouting priority srcnat; policy accept;\n"
		   "  oifname \"eth1\" masquerade\n }\n}\n") == 0);
	CHECK(nf_hook_lists[NF_INET_PRE_ROUTING] == NULL);      /* nat chains are consulted by NAT, not hooked */
	CHECK(nft_nat_chains_present(NF_INET_PRE_ROUTING) && !nft_nat_chains_present(NF_INET_LOCAL_OUT));
	struct nft_nat_result result;
	struct pkt *pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 8080, 0x02, &check_eth0);
	CHECK(nft_nat_evaluate(NF_INET_PRE_ROUTING, pkt, &check_eth0, NULL, &result) == NF_ACCEPT);
	CHECK(result.type == NFT_NAT_DNAT && result.has_address && result.address_min == inet_addr("10.0.0.9") &&
	      result.address_max == result.address_min && result.has_port && result.port_min == 80 && result.port_max == 80);
	pkt_free(pkt);
	pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 8081, 0x02, &check_eth0);
	CHECK(nft_nat_evaluate(NF_INET_PRE_ROUTING, pkt, &check_eth0, NULL, &result) == NF_ACCEPT && result.type == NFT_NAT_NONE);
	CHECK(nft_nat_evaluate(NF_INET_POST_ROUTING, pkt, NULL, &check_eth1, &result) == NF_ACCEPT &&
	      result.type == NFT_NAT_MASQUERADE && !result.has_address && !result.has_port);
	CHECK(nft_nat_evaluate(NF_INET_POST_ROUTING, pkt, NULL, &check_eth0, &result) == NF_ACCEPT && result.type == NFT_NAT_NONE);
	pkt_free(pkt);
	pkt = check_packet("10.0.0.1", "10.0.0.2", 6, 40000, 25, 0x02, &check_eth0);
	CHECK(nft_nat_evaluate(NF_INET_PRE_ROUTING, pkt, &check_eth0, NULL, &result) == NF_DROP);
	pkt_free(pkt);
	scenario_nat_variables();
	/* nft's placement rules */
	CHECK(load("table ip n2 {\n chain p {\n  type nat hook prerouting priority dstnat;\n  masquerade\n }\n}\n") == -1);
	CHECK(load("table ip n2 {\n chain p {\n  type nat hook forward priority 0;\n }\n}\n") == -1);
	nft_flush_ruleset();
}

static void scenario_commands(void)
{
	nft_flush_ruleset();
	CHECK(load(filter_ruleset) == 0);
	CHECK(input("10.0.0.1", 6, 80, 0x02, &check_eth0) == NF_ACCEPT);
	listing_length = 0;
	CHECK(nft_command("add rule ip filter input tcp dport 443 counter accept", collect, NULL) == 0);
	CHECK(input("10.0.0.1", 6, 443, 0x02, &check_eth0) == NF_ACCEPT);
	/* counters survive a change of the ruleset */
	CHECK(strstr(listing(false), "tcp dport 80 counter packets 1 bytes 40 accept") != NULL);
	listing_length = 0;
	CHECK(nft_command(" -a list ruleset\n", collect, NULL) == 0);
	const char *added = strstr(listing_text, "tcp dport 443 counter packets 1 bytes 40 accept # handle ");
	CHECK(added != NULL);
	CHECK(strstr(listing_text, "table ip filter { # handle 1\n") != NULL);
	unsigned handle = added ? (unsigned)atoi(strstr(added, "# handle ") + 9) : 0;
	char command[128];
	snprintf(command, sizeof(command), "delete rule ip filter input handle %u", handle);
	CHECK(nft_command(command, collect, NULL) == 0);
	CHECK(input("10.0.0.1", 6, 443, 0x02, &check_eth0) == NF_DROP);
	CHECK(strstr(listing(false), "443") == NULL);
	/* a bad command: nft's command-line error, the ruleset unchanged */
	listing_length = 0;
	CHECK(nft_command("delete rule ip filter input handle 999", collect, NULL) == -1);
	CHECK(strncmp(listing_text, "Error: Could not process rule: No such file or directory", 55) == 0);
	listing_length = 0;
	CHECK(nft_command("add rule ip filter input tcp dport", collect, NULL) == -1);
	CHECK(strstr(listing_text, "Error: syntax error, unexpected end of file, expecting internet network service\n"
				   "add rule ip filter input tcp dport\n") == listing_text);
	if (strstr(listing_text, "Error: syntax error, unexpected end of file, expecting") != listing_text)
		printf("%s", listing_text);
	/* insert: first in the chain */
	CHECK(nft_command("insert rule ip filter input tcp dport 23 accept", collect, NULL) == 0);
	CHECK(input("10.0.0.1", 6, 23, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(strstr(listing(false), "policy drop;\n\t\ttcp dport 23 accept\n") != NULL);
	listing_length = 0;
	CHECK(nft_command("list table ip filter", collect, NULL) == 0 && strncmp(listing_text, "table ip filter {", 17) == 0);
	CHECK(nft_command("flush ruleset", collect, NULL) == 0);
	CHECK(strcmp(listing(false), "") == 0 && nf_hook_lists[NF_INET_LOCAL_IN] == NULL);
}

static void scenario_sets(void)
{
	nft_flush_ruleset();
	static char text[400000];
	int used = snprintf(text, sizeof(text), "table ip s {\n set many { type inet_service; elements = { ");
	for (int port = 1; port <= 30000; port += 2)
		used += snprintf(text + used, sizeof(text) - used, "%s%d", port > 1 ? ", " : "", port);
	used += snprintf(text + used, sizeof(text) - used, " }\n }\n set nets { type ipv4_addr; flags interval; elements = { ");
	for (int i = 0; i < 1000; i++)
		used += snprintf(text + used, sizeof(text) - used, "%s10.%d.%d.0/24", i ? ", " : "", i / 250, i % 250 * 1);
	snprintf(text + used, sizeof(text) - used, " }\n }\n chain c {\n  type filter hook input priority 0; policy drop;\n"
						   "  tcp dport @many ip saddr @nets accept\n }\n}\n");
	CHECK(load(text) == 0);
	const struct nft_table *table = nft_ruleset_current()->tables[0];
	const struct nft_set *many = table->sets[0], *nets = table->sets[1];
	CHECK(many->hash_slots != NULL && nets->intervals != NULL && nets->interval_count == 4);   /* adjacent /24s merge */
	unsigned wrong = 0;
	for (uint32_t port = 0; port <= 30002; port++)
		wrong += nft_set_contains(many, port) != (port % 2 == 1 && port <= 29999);
	CHECK(wrong == 0);
	CHECK(nft_set_contains(nets, 0x0A000001) && nft_set_contains(nets, 0x0A03F9FF) && !nft_set_contains(nets, 0x0A03FA00));
	CHECK(input("10.1.2.3", 6, 101, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(input("10.1.2.3", 6, 100, 0x02, &check_eth0) == NF_DROP);
	CHECK(input("10.4.0.1", 6, 101, 0x02, &check_eth0) == NF_DROP);
	/* redefining a set adds elements (nft -f semantics), the installed set unchanged until the swap */
	CHECK(load("table ip s {\n set many { type inet_service; elements = { 100 } }\n}\n") == 0);
	CHECK(input("10.1.2.3", 6, 100, 0x02, &check_eth0) == NF_ACCEPT);
	CHECK(load("table ip s {\n set many { type ipv4_addr; }\n}\n") == -1);
	nft_flush_ruleset();
}

struct scenario {
	const char *name;
	void (*run)(void);
};

static const struct scenario scenarios[] = {
	{ "errors", scenario_errors }, { "round-trip", scenario_round_trip }, { "evaluate", scenario_evaluate },
	{ "reject", scenario_reject }, { "limit", scenario_limit }, { "log", scenario_log }, { "nat", scenario_nat },
	{ "commands", scenario_commands }, { "sets", scenario_sets },
};

int main(int argc, char **argv)
{
	check_pool_init();
	const char *which = argc > 1 ? argv[1] : "all";
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(which, "all") != 0 && strcmp(which, scenarios[i].name) != 0)
			continue;
		int before = failures;
		scenarios[i].run();
		printf("%s: %d failures\n", scenarios[i].name, failures - before);
	}
	nft_flush_ruleset();
	return failures ? 1 : 0;
}
