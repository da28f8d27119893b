/* fuzz_tcp.c - libFuzzer harness: TCP input against a live connection.
 * net/tcp compiled unchanged over tests/host/tcp_host_shim.c, driven by
 * tcp_check's scripted peer (tests/host/tcp_check_peer.c): each input
 * starts with a connection accepted on port 80 from 10.0.0.2:40000 (the
 * real three-way handshake, with or without options), then runs a
 * script of operations read from the input, so segments reach the state
 * machine in ESTABLISHED and in every state the application's send,
 * shutdown and close and the peer's FIN and RST lead to (CLOSE_WAIT,
 * FIN_WAIT_1/2, CLOSING, LAST_ACK, TIME_WAIT).
 *
 * Input: byte 0 bit 0: negotiate options (timestamps, SACK, window scale).
 * Then operations, each an opcode byte (mod 6) and its operands:
 *   0 segment: flags(1) seq(2) ack(2) window(2) options-length(1, mod 41)
 *     options (sent up to the last whole 32-bit word) data-length(2,
 *     mod 1421) data. seq and ack are signed offsets
 *     (big-endian) from the peer's next sequence number and from the last
 *     one we sent, so 0 is the in-window, everything-acknowledged value;
 *     a segment at offset 0 moves the peer's next sequence number on. The
 *     checksum is always right (the peer fixture fills it).
 *   1 the application sends length(2, mod 8192) bytes;  2 it reads;
 *   3 shutdown(SHUT_WR);  4 close() (the connection goes on orphaned);
 *   5 the clock moves on step(1)^2 * 10 ms (timers: RTO, delayed ACK,
 *     zero-window probe, FIN_WAIT_2, TIME_WAIT).
 * After the script: an abortive close, the clock 3 hours on (an orphaned
 * connection retransmits for about 15 minutes before giving up), and the
 * connection must be gone and the packet pool full again, else the
 * harness aborts (a leak). It found the persist timer that never gave up
 * on a silent zero window (net/tcp/timer.c; its reproducer is now in the
 * corpus as regression-persist-probes-unanswered). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/socket/sock.h"
#include "net/tcp/tcp.h"
/* First: it defines failures and panic(), which tcp_check.h only declares. */
#include "tests/host/host_check.h"
#include "tests/host/tcp_check.h"

/* A segment's payload: what a 1500-byte IPv4 packet holds behind 60 bytes of TCP header (the
 * peer fixture builds each segment in one pkt buffer). */
#define DATA_MAX 1420u
#define SEND_MAX 8192u
/* After close_all's 200 s: beyond every retransmission series (tcp_retries2 = 15 with the RTO
 * capped at 120 s is about 15 minutes, as Linux) and every FIN_WAIT_2 and TIME_WAIT timer. */
#define SETTLE_NS (3 * 3600 * 1000 * MS)


struct script {
	const uint8_t *data;
	size_t size, offset;
};

static uint8_t byte(struct script *s) { return s->offset < s->size ? s->data[s->offset++] : 0; }
static uint16_t word(struct script *s) { uint16_t high = byte(s); return (uint16_t)(high << 8 | byte(s)); }

/* Bytes of the script as a payload: up to length, fewer at its end. */
static const uint8_t *take_bytes(struct script *s, unsigned *length)
{
	if (*length > s->size - s->offset)
		*length = (unsigned)(s->size - s->offset);
	const uint8_t *start = s->data + s->offset;
	s->offset += *length;
	return start;
}

/* What we sent: the highest sequence number used becomes our_next. */
static void drain_output(struct connection *c)
{
	struct output out;
	while ((out = take(c)).present) {
		uint32_t end = out.seq + out.length + !!(out.flags & TCP_FLAG_SYN) + !!(out.flags & TCP_FLAG_FIN);
		if ((int32_t)(end - c->our_next) > 0)
			c->our_next = end;
	}
}

static void send_segment(struct connection *c, struct script *s)
{
	struct segment segment = { PEER_PORT, LOCAL_PORT };
	segment.flags = byte(s);
	int16_t seq_offset = (int16_t)word(s), ack_offset = (int16_t)word(s);
	segment.seq = c->peer_next + (uint32_t)(int32_t)seq_offset;
	segment.ack = c->our_next + (uint32_t)(int32_t)ack_offset;
	segment.window = word(s);
	unsigned options_length = byte(s) % (TCP_OPTIONS_MAX_LENGTH + 1);
	memcpy(segment.options, take_bytes(s, &options_length), options_length);
	segment.options_length = options_length & ~3u;   /* the data offset counts 32-bit words */
	unsigned length = word(s) % (DATA_MAX + 1);
	segment.data = take_bytes(s, &length);
	segment.length = length;
	inject(&segment);
	if (seq_offset == 0)
		c->peer_next += length + !!(segment.flags & TCP_FLAG_SYN) + !!(segment.flags & TCP_FLAG_FIN);
}

static void run_operation(struct connection *c, struct script *s)
{
	static uint8_t buffer[SEND_MAX];
	switch (byte(s) % 6) {
	case 0:
		send_segment(c, s);
		break;
	case 1: {
		unsigned length = word(s) % SEND_MAX;
		if (c->sk)
			tcp_ops.send(c->sk, buffer, length, 0, NULL);
		break;
	}
	case 2:
		if (c->sk)
			tcp_ops.receive(c->sk, buffer, sizeof(buffer), 0, NULL);
		break;
	case 3:
		if (c->sk)
			tcp_ops.shutdown(c->sk, SHUT_WR);
		break;
	case 4:
		if (c->sk)
			sock_free_unaccepted(c->sk);
		c->sk = NULL;
		break;
	default: {
		unsigned step = byte(s);
		host_time_advance((uint64_t)step * step * 10 * MS);
	}
	}
	drain_output(c);
}

static struct tcp_sock *connection_left(void)
{
	return tcp_table_lookup(SHIM_LOCAL_ADDRESS, htons(LOCAL_PORT), SHIM_REMOTE_ADDRESS, htons(PEER_PORT));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int started;
	if (!started) {
		started = 1;
		setvbuf(stdout, NULL, _IONBF, 0);   /* the fixture's FAIL lines survive an abort */
		shim_set_cmdline("keel.tcp.timewait_ms", "2000");
		pool_create();
		tcp_init();
	}
	struct script s = { data, size, 0 };
	struct connection c;
	int failures_before = failures;
	establish(&c, byte(&s) & 1);
	if (failures != failures_before) {
		fprintf(stderr, "fuzz_tcp: the handshake failed\n");
		abort();
	}
	while (s.offset < s.size)
		run_operation(&c, &s);
	close_all(&c);
	host_time_advance(SETTLE_NS);
	shim_discard_output();
	struct tcp_sock *left = connection_left();
	if (left != NULL) {
		fprintf(stderr, "fuzz_tcp: the connection is still in state %d 3 hours after it was closed\n",
			(int)left->state);
		abort();
	}
	check_pool_full();
	if (failures != failures_before) {
		fprintf(stderr, "fuzz_tcp: the packet pool is not full again after the connection ended\n");
		abort();
	}
	return 0;
}
