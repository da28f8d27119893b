/* fuzz_nft.c - libFuzzer harness: the nftables ruleset parser and what it
 * feeds (net/netfilter/nft_*.c), compiled unchanged against glibc over
 * tests/host/nft_check_shim.c (two fake devices, a fake clock, IPv4 and
 * ICMP output recorded).
 *
 * Input: ruleset text, loaded as `nft -f` would load it. Whatever it is,
 * the load either fails with an error text that starts like nft's
 * ("<file>:" or "Error:") or succeeds; then the ruleset must survive the
 * round trip (printed, flushed, the listing parsed again, printed: equal),
 * and a few crafted packets run through every hook (matches, sets, jumps,
 * counters, limits, logs, rejects). A mismatch aborts. Each input starts
 * from an empty ruleset and ends with it flushed (no leak across inputs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/netfilter/nft.h"
#include "tests/host/host_check.h"   /* panic() and the failure count the shim shares */
#include "tests/host/nft_check.h"

static char listing[2][1 << 18];
static size_t listing_length;

static void collect(void *context, const char *text, size_t length)
{
	char *buffer = context;
	if (listing_length + length < sizeof(listing[0])) {
		memcpy(buffer + listing_length, text, length);
		listing_length += length;
		buffer[listing_length] = '\0';
	}
}

static void list_into(int which)
{
	listing_length = 0;
	listing[which][0] = '\0';
	nft_list_ruleset(collect, listing[which], false);   /* handles are renumbered by a reload, as in nft */
}

static void run_packets(void)
{
	static const struct { const char *source; uint8_t protocol; uint16_t port; uint8_t flags; } packets[] = {
		{ "10.0.0.1", 6, 80, 0x02 }, { "10.9.1.2", 6, 22, 0x12 }, { "192.0.2.7", 17, 53, 0 },
		{ "10.1.0.5", 1, 8, 0 }, { "1.2.3.5", 6, 8080, 0x10 }, { "10.0.0.3", 17, 9, 0 },
	};
	for (size_t i = 0; i < sizeof(packets) / sizeof(packets[0]); i++) {
		for (int hook = 0; hook < NF_INET_HOOK_COUNT; hook++) {
			struct netdev *in = hook == NF_INET_LOCAL_OUT || hook == NF_INET_POST_ROUTING ? NULL : &check_eth0;
			struct netdev *out = hook == NF_INET_PRE_ROUTING || hook == NF_INET_LOCAL_IN ? NULL : &check_eth1;
			struct pkt *pkt = check_packet(packets[i].source, "10.0.0.2", packets[i].protocol, 40000 + i,
						       packets[i].port, packets[i].flags, in ? in : &check_eth1);
			if (pkt == NULL)
				abort();
			pkt->conntrack_state = (uint8_t)(i % 3 == 0 ? 0 : 1u << (i % 4));
			if (nf_hook((enum nf_inet_hook)hook, pkt, in, out) == NF_ACCEPT)
				pkt_free(pkt);
			pkt = check_packet(packets[i].source, "10.0.0.2", packets[i].protocol, 1, packets[i].port, 0, &check_eth0);
			struct nft_nat_result result;
			nft_nat_evaluate((enum nf_inet_hook)hook, pkt, in, out, &result);
			pkt_free(pkt);
		}
		check_now_ns += 1000000;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		check_pool_init();
		ready = true;
	}
	char error[1024];
	nft_flush_ruleset();
	if (nft_load_text((const char *)data, size, "fuzz.nft", error, sizeof(error)) != 0) {
		if (strncmp(error, "fuzz.nft:", 9) != 0)
			abort();
		return 0;
	}
	list_into(0);
	nft_flush_ruleset();
	if (nft_load_text(listing[0], strlen(listing[0]), "listing", error, sizeof(error)) != 0) {
		fprintf(stderr, "the listing does not parse back: %s\n---\n%s", error, listing[0]);
		abort();
	}
	list_into(1);
	if (strcmp(listing[0], listing[1]) != 0) {
		fprintf(stderr, "round trip differs:\n---\n%s---\n%s", listing[0], listing[1]);
		abort();
	}
	run_packets();
	nft_flush_ruleset();
	return 0;
}
