/* tcp_check.h - what the files of tests/host/tcp_check (test_tcp.py's
 * driver) share: the failure counter and CHECK/CHECK_EQ, the packet pool,
 * the scripted peer (segments injected through tcp_input, TCP's output
 * read back from the shim's capture) and the connection fixture, all in
 * tcp_check_peer.c; and TCP_CHECK_TESTS, the list of tests (name, run in
 * this order by "all"), each test_<name> defined in one tcp_check_*.c. */
#ifndef KEEL_TESTS_TCP_CHECK_H
#define KEEL_TESTS_TCP_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/tcp/internal.h"
#include "tests/host/tcp_host_shim.h"

/* failures and panic() are defined by tcp_check_main.c. */
#define HOST_CHECK_SHARED
#include "tests/host/host_check.h"

#define CHECK_EQ(actual, expected)                                                                \
	do {                                                                                      \
		long long actual_value = (long long)(actual), expected_value = (long long)(expected); \
		if (actual_value != expected_value) {                                             \
			printf("FAIL: %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, \
			       #actual, actual_value, #expected, expected_value);                 \
			failures++;                                                               \
		}                                                                                 \
	} while (0)

#ifndef IPPROTO_TCP
#define IPPROTO_TCP 6
#endif
#define PEER_PORT 40000
#define LOCAL_PORT 80
#define PEER_ISS 1000u
#define POOL_SIZE 256
#define MS (1000000ull)

#define TCP_CHECK_TESTS(X)                                                                        \
	X(sequence) X(siphash) X(ring) X(reassembly) X(scoreboard) X(buffer_sizes) X(syncookie) X(cubic) \
	X(options_negotiated) X(data_both_ways) X(delayed_ack) X(peer_closes_first) X(we_close_first) \
	X(simultaneous_close) X(simultaneous_open) X(active_open) X(connect_refused_and_timeout)     \
	X(reset_validation) X(challenge_ack_limit) X(closed_port_reset) X(malformed_segments)         \
	X(out_of_order_and_sack) X(paws) X(retransmission_backoff) X(rto_recovers)                   \
	X(fast_retransmit_newreno) X(sack_recovery) X(zero_window) X(window_edge_never_retreats) X(persist_gives_up) X(keepalive)                      \
	X(close_with_unread_data_resets) X(lingering_close) X(syn_received) X(syn_cookies)           \
	X(accept_queue_bound) X(time_wait_reuse) X(receive_autotuning) X(tso_super_segments)         \
	X(zero_copy_send) X(icmp_path_mtu) X(icmp_connection_errors) X(gso_malformed) \
	X(small_queues_bound_bytes_below) X(small_queues_keep_a_released_connection)

#define TCP_CHECK_DECLARE(name) void test_##name(void);
TCP_CHECK_TESTS(TCP_CHECK_DECLARE)
#undef TCP_CHECK_DECLARE

/* ---- the packet pool: POOL_SIZE pkts of malloc'ed memory --------------------- */

void pool_create(void);
void pool_destroy(void);
/* Every test ends with this: no pkt leaked. */
void check_pool_full(void);

/* ---- the peer: segments in, segments out ------------------------------------ */

struct segment {
	uint16_t source_port, destination_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint8_t options[TCP_OPTIONS_MAX_LENGTH];
	unsigned options_length;
	const void *data;
	unsigned length;
};

/* Hands a segment from 10.0.0.2 to tcp_input. */
void inject(const struct segment *segment);

struct output {
	bool present;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint16_t source_port, destination_port;
	struct tcp_options options;
	unsigned length;
	uint8_t payload[SHIM_SEGMENT_MAX];
};

/* The oldest segment TCP sent and the test did not take yet (present false if none). */
struct output next_output(void);

/* ---- a connection fixture: the test is the peer at 10.0.0.2:40000 ------------- */

struct connection {
	struct sock *listener;
	struct sock *sk;
	struct tcp_sock *tcb;
	uint32_t peer_next;       /* next sequence number the peer sends */
	uint32_t our_next;        /* next sequence number we send (what the peer acknowledges) */
	uint32_t ts_value;        /* the peer's timestamp clock */
	uint32_t our_ts;          /* our last timestamp seen */
	bool timestamps;
	uint16_t peer_window;     /* unscaled field the peer advertises */
};

/* The peer sends data (and flags) at peer_next, acknowledging our_next. */
void peer_send(struct connection *c, uint8_t flags, const void *data, unsigned length);
void peer_ack(struct connection *c);
/* next_output(), remembering our timestamp for the peer's echo. */
struct output take(struct connection *c);
struct sock *open_listener(uint16_t port, int backlog);
void send_syn(struct connection *c, uint32_t iss, bool options);
/* Passive open with every option; leaves the SYN-ACK checked and the connection accepted. */
void establish(struct connection *c, bool options);
void close_abortively(struct sock *sk);
/* Ends a test: sockets closed abortively (SO_LINGER 0: RST, nothing left behind). */
void close_all(struct connection *c);

#endif
