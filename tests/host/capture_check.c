/* capture_check.c - host driver for tests/host/test_capture.py: runs the
 * packet capture (net/core/capture*.c, compiled for the host with ASan and
 * UBSan) against a malloc'd pkt pool and the fake clock, from a script (the
 * file named by its argument), one command a line:
 *
 *   output <path>                 the stream read from now on is appended there
 *   realtime <ns>|none            what rtc_realtime_ns() says (none: no valid CMOS date)
 *   start <dev> <protocol> <host> <port> <frame_limit> <duration_ms>
 *                                 capture_start (dev 0: every device; host a.b.c.d or 0);
 *                                 prints "start <result>"
 *   rx <dev> <hex frame>          a frame handed up by device dev (1..3)
 *   tx <dev> <hex frame> [partial <start> <offset>] [split <length>,...] [external]
 *                                 a frame handed to the driver: PKT_CHECKSUM_PARTIAL with
 *                                 checksum_start <start> bytes into the frame; its bytes cut
 *                                 into a head and fragments of those lengths, the rest in
 *                                 fragments of a buffer's size (a frame longer than one buffer
 *                                 needs split; external: fragments point at memory outside
 *                                 the pool)
 *   read <bytes>                  one capture_read of at most that many; prints "read <n>"
 *   drain                         capture_read until it returns 0; prints "drained <n>"
 *   finished                      prints "finished 0|1"
 *   advance <ms>                  moves the fake clock on
 *   stop                          capture_stop
 *   stats                         prints "stats sessions=.. captured=.. dropped=.. malformed=.. active=.."
 *   ring <seed> <steps>           the record buffer alone (capture_ring.c), small, against a
 *                                 model: random records and reads; prints "ring refused=<n>"
 *
 * Every tapped pkt is checked to be unchanged by the tap (the checksum is
 * finished in the copy only) and freed; at the end the pool must be full.
 * Exit status 0 when every check passed; failures print "FAIL: ..." lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/time/clock.h"
#include "net/core/capture.h"
#include "net/core/capture_internal.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "tests/host/host_time_shim.h"

#include "host_check.h"

#define POOL_COUNT 64
#define DEVICES 3
#define FRAME_MAX 70000
#define FRAGMENTS_MAX 16

static struct netdev devices[DEVICES];
static int64_t realtime_ns = -1;
static FILE *output;

/* The kernel's services the capture files call. */
int64_t rtc_realtime_ns(void) { return realtime_ns; }

unsigned netdev_index(const struct netdev *dev) { return (unsigned)(dev - devices) + 1; }

static struct netdev *device(const char *number)
{
	long index = strtol(number, NULL, 10);
	if (index < 1 || index > DEVICES) {
		printf("FAIL: no device %s\n", number);
		exit(2);
	}
	return &devices[index - 1];
}

static int nibble(char digit)
{
	if (digit >= '0' && digit <= '9')
		return digit - '0';
	if (digit >= 'a' && digit <= 'f')
		return digit - 'a' + 10;
	printf("FAIL: bad hex digit %c\n", digit);
	exit(2);
}

static uint32_t parse_hex(const char *hex, uint8_t *bytes)
{
	uint32_t length = 0;
	for (; hex && hex[0] && hex[1] && length < FRAME_MAX; hex += 2)
		bytes[length++] = (uint8_t)(nibble(hex[0]) << 4 | nibble(hex[1]));
	return length;
}

/* The pkt for a frame: its first pieces[0] bytes in the head buffer (after
 * the usual headroom), then fragments of the listed lengths, then the rest
 * in fragments of at most a buffer's data. */
static struct pkt *build_pkt(const uint8_t *frame, uint32_t length, const uint32_t *pieces, unsigned piece_count,
			     bool external)
{
	uint32_t head_length = piece_count ? pieces[0] : length;
	struct pkt *pkt = pkt_alloc();
	uint8_t *head = pkt && head_length <= length ? pkt_put(pkt, head_length) : NULL;
	if (head == NULL) {
		printf("FAIL: no pkt of %u bytes\n", head_length);
		exit(2);
	}
	memcpy(head, frame, head_length);
	uint32_t offset = head_length;
	for (unsigned i = 1; offset < length; i++) {
		uint32_t piece = i < piece_count ? pieces[i] : PKT_DATA_SIZE;
		if (piece > length - offset)
			piece = length - offset;
		struct pkt *fragment = pkt_alloc();
		if (fragment == NULL || (!external && piece > PKT_DATA_SIZE)) {
			printf("FAIL: no fragment of %u bytes\n", piece);
			exit(2);
		}
		if (external)
			pkt_attach_external(fragment, frame + offset, piece);
		else
			memcpy(pkt_put(fragment, piece), frame + offset, piece);
		pkt_append_fragment(pkt, fragment);
		offset += piece;
	}
	CHECK(pkt_total_length(pkt) == length);
	return pkt;
}

static void tap_and_check(struct netdev *dev, struct pkt *pkt, enum capture_direction direction)
{
	static uint8_t before[FRAME_MAX], after[FRAME_MAX];
	uint32_t length = pkt_total_length(pkt);
	pkt_copy_out(pkt, 0, before, length);
	capture_tap_if_active(dev, pkt, direction);
	CHECK(pkt_total_length(pkt) == length);
	pkt_copy_out(pkt, 0, after, length);
	CHECK(memcmp(before, after, length) == 0);
	pkt_free(pkt);
}

static void command_tx(char *arguments)
{
	static uint8_t frame[FRAME_MAX];
	struct netdev *dev = device(strtok(arguments, " "));
	uint32_t length = parse_hex(strtok(NULL, " \n"), frame);
	uint32_t pieces[FRAGMENTS_MAX];
	unsigned piece_count = 0;
	long checksum_start = -1, checksum_offset = 0;
	bool external = false;
	for (char *word = strtok(NULL, " \n"); word; word = strtok(NULL, " \n")) {
		if (strcmp(word, "partial") == 0) {
			checksum_start = strtol(strtok(NULL, " "), NULL, 10);
			checksum_offset = strtol(strtok(NULL, " \n"), NULL, 10);
		} else if (strcmp(word, "split") == 0) {
			char *cursor = strtok(NULL, " \n");
			while (cursor && *cursor && piece_count < FRAGMENTS_MAX) {
				pieces[piece_count++] = (uint32_t)strtoul(cursor, &cursor, 10);
				if (*cursor++ != ',')
					break;
			}
		} else if (strcmp(word, "external") == 0) {
			external = true;
		}
	}
	struct pkt *pkt = build_pkt(frame, length, pieces, piece_count, external);
	if (checksum_start >= 0) {
		pkt->checksum_state = PKT_CHECKSUM_PARTIAL;
		pkt->checksum_start = (uint16_t)(pkt_headroom(pkt) + checksum_start);
		pkt->checksum_offset = (uint16_t)checksum_offset;
	}
	tap_and_check(dev, pkt, CAPTURE_TRANSMITTED);
}

static void command_start(char *arguments)
{
	long dev = 0, protocol = 0, port = 0, limit = 0, duration_ms = 0;
	char host[32] = "0";
	sscanf(arguments, "%ld %ld %31s %ld %ld %ld", &dev, &protocol, host, &port, &limit, &duration_ms);
	struct capture_filter filter = { .ip_protocol = (uint8_t)protocol, .port = (uint16_t)port };
	if (strcmp(host, "0") != 0)
		inet_pton(AF_INET, host, &filter.host);
	int result = capture_start(dev ? &devices[dev - 1] : NULL, &filter, (uint32_t)limit,
				   (uint64_t)duration_ms * NSEC_PER_MSEC);
	printf("start %d\n", result);
}

static size_t read_into_output(size_t capacity)
{
	static uint8_t buffer[1 << 20];
	if (capacity > sizeof(buffer))
		capacity = sizeof(buffer);
	size_t count = capture_read(buffer, capacity);
	CHECK(count <= capacity);
	if (output && count)
		fwrite(buffer, 1, count, output);
	return count;
}

static void command_stats(void)
{
	struct capture_stats stats;
	capture_get_stats(&stats);
	printf("stats sessions=%llu captured=%llu dropped=%llu malformed=%llu active=%d\n",
	       (unsigned long long)stats.sessions, (unsigned long long)stats.frames_captured,
	       (unsigned long long)stats.frames_dropped, (unsigned long long)stats.frames_malformed, stats.active);
}

/* A 61-byte buffer (odd, so records end everywhere), records of 1..40
 * bytes each filled with its own number, reads of 0..50 bytes: every byte
 * read must be the next one the model (a plain FIFO) holds, so a record
 * placed over unread bytes, or a read past the data, shows. */
static void ring_check(unsigned seed, unsigned steps)
{
	enum { SIZE = 61, MODEL = 1 << 16 };
	static uint8_t model[MODEL];
	uint8_t *bytes = malloc(SIZE);
	struct capture_ring ring;
	capture_ring_init(&ring, bytes, SIZE);
	unsigned model_head = 0, model_tail = 0, refused = 0, serial = 0;
	srand(seed);
	for (unsigned step = 0; step < steps; step++) {
		uint32_t length = 1 + (uint32_t)rand() % 40;
		uint8_t *record = capture_ring_reserve(&ring, length);
		if (record == NULL) {
			refused++;
			/* An empty buffer takes any record that fits it. */
			CHECK(!capture_ring_empty(&ring));
			CHECK(model_tail - model_head + length > SIZE || ring.wrapped || ring.write + length > SIZE);
		} else {
			CHECK(record >= bytes && record + length <= bytes + SIZE);
			memset(record, (uint8_t)++serial, length);
			for (uint32_t i = 0; i < length; i++)
				model[model_tail++ % MODEL] = (uint8_t)serial;
		}
		uint8_t out[50];
		size_t count = capture_ring_read(&ring, out, (size_t)rand() % sizeof(out));
		CHECK(count <= model_tail - model_head);
		for (size_t i = 0; i < count && model_head < model_tail; i++)
			CHECK(out[i] == model[model_head++ % MODEL]);
		CHECK(capture_ring_empty(&ring) == (model_head == model_tail));
	}
	free(bytes);
	printf("ring refused=%u\n", refused);
}

static void command(char *line)
{
	static uint8_t frame[FRAME_MAX];
	char *name = strtok(line, " \n");
	char *arguments = strtok(NULL, "\n");
	if (name == NULL)
		return;
	if (strcmp(name, "output") == 0) {
		if (output)
			fclose(output);
		output = fopen(arguments, "ab");
		CHECK(output != NULL);
	} else if (strcmp(name, "realtime") == 0) {
		realtime_ns = strcmp(arguments, "none") == 0 ? -1 : strtoll(arguments, NULL, 10);
	} else if (strcmp(name, "start") == 0) {
		command_start(arguments);
	} else if (strcmp(name, "rx") == 0) {
		struct netdev *dev = device(strtok(arguments, " "));
		uint32_t length = parse_hex(strtok(NULL, " \n"), frame);
		tap_and_check(dev, build_pkt(frame, length, NULL, 0, false), CAPTURE_RECEIVED);
	} else if (strcmp(name, "tx") == 0) {
		command_tx(arguments);
	} else if (strcmp(name, "read") == 0) {
		printf("read %zu\n", read_into_output(strtoul(arguments, NULL, 10)));
	} else if (strcmp(name, "drain") == 0) {
		size_t total = 0, count;
		while ((count = read_into_output(4096)) != 0)
			total += count;
		printf("drained %zu\n", total);
	} else if (strcmp(name, "finished") == 0) {
		printf("finished %d\n", capture_finished());
	} else if (strcmp(name, "advance") == 0) {
		host_time_advance(strtoull(arguments, NULL, 10) * NSEC_PER_MSEC);
	} else if (strcmp(name, "stop") == 0) {
		capture_stop();
	} else if (strcmp(name, "stats") == 0) {
		command_stats();
	} else if (strcmp(name, "ring") == 0) {
		unsigned seed = 0, steps = 0;
		sscanf(arguments, "%u %u", &seed, &steps);
		ring_check(seed, steps);
	} else {
		printf("FAIL: unknown command %s\n", name);
		failures++;
	}
}

int main(int argc, char **argv)
{
	FILE *script = argc == 2 ? fopen(argv[1], "r") : NULL;
	if (script == NULL) {
		printf("usage: capture_check <script>\n");
		return 2;
	}
	uint8_t *buffers = malloc((size_t)POOL_COUNT * PKT_BUFFER_SIZE);
	struct pkt *descriptors = malloc(POOL_COUNT * sizeof(struct pkt));
	uint8_t *in_use = malloc(POOL_COUNT);
	pkt_pool_attach(buffers, descriptors, in_use, POOL_COUNT);
	for (unsigned i = 0; i < DEVICES; i++) {
		snprintf(devices[i].name, sizeof(devices[i].name), "eth%u", i);
		uint8_t mac[ETHERNET_ADDRESS_LENGTH] = { 0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + i) };
		memcpy(devices[i].mac, mac, sizeof(mac));
	}
	static char line[2 * FRAME_MAX + 256];
	while (fgets(line, sizeof(line), script))
		command(line);
	fclose(script);
	capture_stop();
	if (output)
		fclose(output);
	struct pkt_pool_stats pool = pkt_pool_get_stats();
	CHECK(pool.free == pool.total);
	free(buffers);
	free(descriptors);
	free(in_use);
	printf("capture_check: %d failures\n", failures);
	return failures ? 1 : 0;
}
