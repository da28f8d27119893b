/* pkt_check.c - host driver for tests/host/test_pkt.py: runs net/core/pkt.c
 * (compiled for the host with ASan and UBSan) against a malloc'd pool, and
 * net/core/checksum.c and net/ipv4/ip_config.c on inputs from the command line.
 *
 *   pkt_check bounds|queue|pool|double-free
 *   pkt_check checksum <hex bytes>      prints the checksum as 4 hex digits (memory order)
 *   pkt_check ipconfig <text>           prints the parsed fields or "error: <reason>"
 *
 * Exit status 0 when every check passed; failures print "FAIL: ..." lines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "net/ipv4/ip_config.h"

#include "host_check.h"


static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

/* Exactly sized allocations, so ASan flags any byte outside a buffer. */
static void pool_create(unsigned count)
{
	free(pool_buffers);
	free(pool_descriptors);
	free(pool_in_use);
	pool_buffers = malloc((size_t)count * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(count * sizeof(struct pkt));
	pool_in_use = malloc(count);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, count);
}

static void pool_destroy(void)
{
	free(pool_buffers);
	free(pool_descriptors);
	free(pool_in_use);
	pool_buffers = NULL;
	pool_descriptors = NULL;
	pool_in_use = NULL;
}

/* Every test ends with this: nothing leaked. */
static void check_pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK(stats.free == stats.total);
}

static void test_push_pull(void)
{
	struct pkt *pkt = pkt_alloc();
	CHECK(pkt != NULL);
	CHECK(pkt_headroom(pkt) == PKT_HEADROOM && pkt->length == 0);
	CHECK(pkt_tailroom(pkt) == PKT_DATA_SIZE);
	uint8_t *header = pkt_push(pkt, PKT_HEADROOM);
	CHECK(header == pkt->buffer && pkt->length == PKT_HEADROOM);
	memset(header, 0xAA, PKT_HEADROOM);
	uint8_t *before = pkt->data;
	CHECK(pkt_push(pkt, 1) == NULL);                 /* beyond the headroom */
	CHECK(pkt->data == before && pkt->length == PKT_HEADROOM);
	CHECK(pkt_pull(pkt, PKT_HEADROOM + 1) == NULL);  /* beyond the length */
	CHECK(pkt->data == before && pkt->length == PKT_HEADROOM);
	CHECK(pkt_pull(pkt, PKT_HEADROOM) == pkt->buffer + PKT_HEADROOM);
	CHECK(pkt->length == 0);
	CHECK(pkt_pull(pkt, 0) == pkt->data);
	CHECK(pkt_pull(pkt, 1) == NULL);
	pkt_free(pkt);
}

static void test_put_trim(void)
{
	struct pkt *pkt = pkt_alloc();
	uint8_t *tail = pkt_put(pkt, PKT_DATA_SIZE);
	CHECK(tail == pkt->buffer + PKT_HEADROOM);
	memset(tail, 0x55, PKT_DATA_SIZE);               /* ASan: the whole tailroom is ours */
	CHECK(pkt_tailroom(pkt) == 0);
	CHECK(pkt_put(pkt, 1) == NULL);                  /* beyond the tailroom */
	CHECK(pkt->length == PKT_DATA_SIZE);
	pkt_trim(pkt, PKT_DATA_SIZE + 100);              /* longer: no-op */
	CHECK(pkt->length == PKT_DATA_SIZE);
	pkt_trim(pkt, 60);
	CHECK(pkt->length == 60 && pkt_tailroom(pkt) == PKT_DATA_SIZE - 60);
	pkt_trim(pkt, 0);
	CHECK(pkt->length == 0);
	CHECK(pkt_reserve(pkt, 16) == 0 && pkt_headroom(pkt) == PKT_HEADROOM + 16);
	CHECK(pkt_put(pkt, 4) != NULL);
	CHECK(pkt_reserve(pkt, 4) == -1);                /* only on an empty pkt */
	pkt_trim(pkt, 0);
	CHECK(pkt_reserve(pkt, PKT_DATA_SIZE) == -1);    /* beyond the tailroom */
	pkt_free(pkt);
	/* A fresh pkt has its metadata reset. */
	pkt = pkt_alloc();
	CHECK(pkt->length == 0 && pkt_headroom(pkt) == PKT_HEADROOM && pkt->flags == 0 && pkt->next == NULL);
	pkt_free(pkt);
}

static void test_bounds(void)
{
	pool_create(4);
	test_push_pull();
	test_put_trim();
	check_pool_full();
	pool_destroy();
}

static void test_queue(void)
{
	pool_create(8);
	struct pkt_queue queue;
	pkt_queue_init(&queue, 3);
	struct pkt *pkts[4];
	for (int i = 0; i < 4; i++)
		pkts[i] = pkt_alloc();
	for (int i = 0; i < 3; i++)
		CHECK(pkt_queue_push(&queue, pkts[i]) == 0);
	CHECK(queue.count == 3);
	CHECK(pkt_queue_push(&queue, pkts[3]) == -1);    /* full: freed, not queued */
	CHECK(queue.count == 3);
	CHECK(pkt_pool_get_stats().free == 8 - 3);
	CHECK(pkt_queue_pop(&queue) == pkts[0]);         /* FIFO */
	CHECK(pkts[0]->next == NULL);
	pkt_free(pkts[0]);
	CHECK(pkt_queue_pop(&queue) == pkts[1]);
	pkt_free(pkts[1]);
	pkt_queue_purge(&queue);
	CHECK(queue.count == 0 && queue.head == NULL && queue.tail == NULL);
	CHECK(pkt_queue_pop(&queue) == NULL);
	check_pool_full();
	pool_destroy();
}

static void test_pool(void)
{
	enum { COUNT = 64 };
	pool_create(COUNT);
	struct pkt *pkts[COUNT];
	for (int i = 0; i < COUNT; i++) {
		pkts[i] = pkt_alloc();
		CHECK(pkts[i] != NULL);
		memset(pkt_put(pkts[i], PKT_DATA_SIZE), i, PKT_DATA_SIZE);
	}
	for (int i = 1; i < COUNT; i++)                  /* buffers never overlap */
		CHECK(pkts[i]->buffer >= pkts[i - 1]->buffer + PKT_BUFFER_SIZE);
	CHECK(pkt_alloc() == NULL);                      /* empty: NULL, counted */
	CHECK(pkt_alloc() == NULL);
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK(stats.free == 0 && stats.low_water == 0 && stats.alloc_failures == 2 && stats.allocations == COUNT);
	for (int i = 0; i < COUNT; i++)
		CHECK(pkts[i]->data[PKT_DATA_SIZE - 1] == (uint8_t)i);
	for (int i = COUNT - 1; i >= 0; i--)
		pkt_free(pkts[i]);
	check_pool_full();
	CHECK(pkt_pool_get_stats().low_water == 0);
	pkt_free(NULL);
	pool_destroy();
}

/* Fragment chains: the total length, copying out across buffers (also
 * from an external fragment), the buffer count, and one pkt_free returning
 * every buffer of the chain to the pool. */
static void test_chain(void)
{
	enum { COUNT = 8 };
	pool_create(COUNT);
	static const uint8_t outside[3000] = { [0] = 0xA5, [2999] = 0x5A };
	struct pkt *head = pkt_alloc();
	memset(pkt_put(head, 100), 1, 100);
	struct pkt *second = pkt_alloc();
	memset(pkt_put(second, PKT_DATA_SIZE), 2, PKT_DATA_SIZE);
	pkt_append_fragment(head, second);
	struct pkt *external = pkt_alloc();
	pkt_attach_external(external, outside, sizeof(outside));
	pkt_append_fragment(head, external);
	CHECK(pkt_buffer_count(head) == 3);
	CHECK(pkt_total_length(head) == 100 + PKT_DATA_SIZE + sizeof(outside));
	CHECK(pkt_next_buffer(head, head) == second && pkt_next_buffer(head, second) == external);
	CHECK(pkt_next_buffer(head, external) == NULL);
	CHECK(external->flags & PKT_FLAG_EXTERNAL);
	uint8_t bytes[8];
	CHECK(pkt_copy_out(head, 98, bytes, 4) == 0);   /* across head and second */
	CHECK(bytes[0] == 1 && bytes[1] == 1 && bytes[2] == 2 && bytes[3] == 2);
	CHECK(pkt_copy_out(head, 100 + PKT_DATA_SIZE - 1, bytes, 2) == 0);
	CHECK(bytes[0] == 2 && bytes[1] == 0xA5);
	CHECK(pkt_copy_out(head, pkt_total_length(head) - 1, bytes, 1) == 0 && bytes[0] == 0x5A);
	CHECK(pkt_copy_out(head, pkt_total_length(head) - 1, bytes, 2) == -1);  /* beyond the end */
	CHECK(pkt_pool_get_stats().free == COUNT - 3);
	CHECK(pkt_pull_fragments(head) == -1);          /* more than the head's tailroom: unchanged */
	CHECK(pkt_buffer_count(head) == 3 && pkt_total_length(head) == 100 + PKT_DATA_SIZE + sizeof(outside));
	pkt_free(head);
	check_pool_full();
	/* A short chain becomes one buffer again: bytes in order, fragments freed. */
	struct pkt *short_head = pkt_alloc();
	memset(pkt_put(short_head, 40), 3, 40);
	struct pkt *tail = pkt_alloc();
	pkt_attach_external(tail, outside + sizeof(outside) - 5, 5);
	pkt_append_fragment(short_head, tail);
	CHECK(pkt_pull_fragments(short_head) == 0);
	CHECK(pkt_buffer_count(short_head) == 1 && short_head->length == 45 && pkt_total_length(short_head) == 45);
	CHECK(short_head->data[39] == 3 && short_head->data[44] == 0x5A);
	CHECK(pkt_pool_get_stats().free == COUNT - 1);
	pkt_free(short_head);
	check_pool_full();
	pool_destroy();
}

static void test_double_free(void)
{
	pool_create(2);
	struct pkt *pkt = pkt_alloc();
	pkt_free(pkt);
	pkt_free(pkt);                                   /* must panic */
	printf("FAIL: double free not detected\n");
	failures++;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void run_checksum(const char *hex)
{
	size_t length = strlen(hex) / 2;
	uint8_t *bytes = malloc(length + 1);             /* exact: ASan checks the tail reads */
	for (size_t i = 0; i < length; i++)
		bytes[i] = (uint8_t)(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
	be16 sum = internet_checksum(bytes, length);
	printf("%02x%02x\n", ((uint8_t *)&sum)[0], ((uint8_t *)&sum)[1]);
	free(bytes);
}

static void run_ipconfig(const char *text)
{
	struct ip_config config;
	const char *error = ip_config_parse(text, &config);
	if (error) {
		printf("error: %s\n", error);
		return;
	}
	static const char *const methods[] = { "off", "static", "autoconf" };
	char client[16], server[16], gateway[16], netmask[16];
	printf("method=%s client=%s server=%s gateway=%s netmask=%s hostname=%s device=%s autoconf=%s\n",
	       methods[config.method], ipv4_address_format(config.client, client),
	       ipv4_address_format(config.server, server), ipv4_address_format(config.gateway, gateway),
	       ipv4_address_format(config.netmask, netmask), config.hostname, config.device, config.autoconf);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *mode = argv[1];
	if (strcmp(mode, "bounds") == 0)
		test_bounds();
	else if (strcmp(mode, "queue") == 0)
		test_queue();
	else if (strcmp(mode, "pool") == 0)
		test_pool();
	else if (strcmp(mode, "chain") == 0)
		test_chain();
	else if (strcmp(mode, "double-free") == 0)
		test_double_free();
	else if (strcmp(mode, "checksum") == 0 && argc == 3)
		run_checksum(argv[2]);
	else if (strcmp(mode, "ipconfig") == 0 && argc == 3)
		run_ipconfig(argv[2]);
	else
		return 2;
	printf("%s: %d failures\n", mode, failures);
	return failures ? 1 : 0;
}
