/* tcp_check_main.c - host driver for tests/host/test_tcp.py: net/tcp/
 * compiled for the host (ASan + UBSan) over tcp_host_shim.c, driven by
 * scripted segments: the test plays the peer, injects segments through
 * tcp_input, reads what TCP sent from the captured output, and moves a
 * fake clock to fire timers. The tests live in tcp_check_<topic>.c (units,
 * handshake, data, close, validation, loss, offload, icmp), the peer they
 * share in tcp_check_peer.c, their list in tcp_check.h.
 *
 *   tcp_check <test>      runs one test (or "all"); prints "<test>: N failures"
 *   tcp_check list        prints the test names
 *   tcp_check options <hex>   parses option bytes, prints the result
 *
 * Every test ends with the packet pool full again (no pkt leaked); LeakSanitizer
 * checks the heap at exit (every socket is closed and every tcb freed). */
#include <stdio.h>
#include <string.h>

#include "net/tcp/tcp.h"
/* First: it defines failures and panic(), which tcp_check.h only declares. */
#include "tests/host/host_check.h"
#include "tests/host/tcp_check.h"

struct test {
	const char *name;
	void (*run)(void);
};

#define TCP_CHECK_ENTRY(name) { #name, test_##name },
static const struct test tests[] = { TCP_CHECK_TESTS(TCP_CHECK_ENTRY) };
#undef TCP_CHECK_ENTRY

static int hex_value(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

/* Prints a parsed option set in a fixed format for the Python side. */
static int print_options(const char *hex)
{
	uint8_t bytes[64];
	unsigned length = 0;
	for (; hex[0] && hex[1] && length < sizeof(bytes); hex += 2)
		bytes[length++] = (uint8_t)(hex_value(hex[0]) << 4 | hex_value(hex[1]));
	struct tcp_options options;
	tcp_options_parse(bytes, length, &options);
	printf("malformed=%d", options.malformed);
	if (options.has_mss)
		printf(" mss=%u", options.mss);
	if (options.has_window_scale)
		printf(" wscale=%u", options.window_scale);
	if (options.sack_permitted)
		printf(" sackok");
	if (options.has_timestamps)
		printf(" ts=%u,%u", options.ts_value, options.ts_echo);
	for (unsigned i = 0; i < options.sack_count; i++)
		printf(" sack=%u-%u", options.sack[i].start, options.sack[i].end);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "options") == 0)
		return print_options(argv[2]);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: tcp_check <test>|all|list|options <hex>\n");
		return 2;
	}
	shim_set_cmdline("keel.tcp.timewait_ms", "2000");
	pool_create();
	tcp_init();
	bool all = strcmp(argv[1], "all") == 0, found = false;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!all && strcmp(argv[1], tests[i].name) != 0)
			continue;
		found = true;
		int before = failures;
		tests[i].run();
		printf("%s: %d failures\n", tests[i].name, failures - before);
	}
	if (!found) {
		fprintf(stderr, "unknown test %s\n", argv[1]);
		return 2;
	}
	pool_destroy();
	return failures ? 1 : 0;
}
