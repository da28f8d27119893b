/* tcp_host_shim.c - the kernel services net/tcp/ needs, for the host
 * (contract in tcp_host_shim.h). The timer queue is a plain sorted list,
 * like kernel/time/timer.c's, run only by host_time_advance: time never moves on its
 * own, so every test is deterministic. */
#include "tests/host/tcp_host_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "kernel/time/timer.h"
#include "net/core/checksum.h"
#include "net/core/gso.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ipv4.h"
#include "net/socket/sock.h"
#include "net/tcp/internal.h"
#include "net/wire/ipv4.h"

struct netdev shim_device = { .name = "eth0", .mtu = 1500 };
static struct net_interface interface = { &shim_device, SHIM_LOCAL_ADDRESS, 0x00FFFFFFu, 0 };
static struct shim_segment captured[SHIM_CAPTURE_MAX];
static unsigned captured_count, captured_taken;
static const char *keys[16], *values[16];
static unsigned key_count;

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	if (getenv("TCP_CHECK_VERBOSE"))
		vprintf(format, arguments);
	va_end(arguments);
}

void shim_set_cmdline(const char *key, const char *value)
{
	keys[key_count] = key;
	values[key_count++] = value;
}

const char *cmdline_get(const char *key)
{
	for (unsigned i = key_count; i-- > 0;)
		if (strcmp(keys[i], key) == 0)
			return values[i];
	return NULL;
}

uint64_t cmdline_get_u64(const char *key, uint64_t fallback)
{
	const char *value = cmdline_get(key);
	return value ? strtoull(value, NULL, 0) : fallback;
}

/* The network below TCP. */
struct net_interface *net_route(be32 destination, be32 *next_hop)
{
	*next_hop = destination;
	return &interface;
}

struct net_interface *net_interface_of(const struct netdev *dev) { return &interface; }

struct net_interface *net_interface_with_address(be32 address)
{
	return address && address == interface.address ? &interface : NULL;
}

bool net_interface_is_broadcast(const struct net_interface *unused, be32 address)
{
	return address == 0xFFFFFFFFu || address == (interface.address | ~interface.netmask);
}

static bool holding;
static struct pkt *held[SHIM_HELD_MAX];
static unsigned held_count;

static void capture(struct pkt *pkt, be32 source, be32 destination)
{
	if (pkt->checksum_state == PKT_CHECKSUM_PARTIAL) {  /* as the device would */
		be16 checksum = internet_checksum(pkt->data, pkt->length);
		memcpy(pkt->data + pkt->checksum_offset, &checksum, sizeof(checksum));
	}
	if (captured_count < SHIM_CAPTURE_MAX && pkt->length <= SHIM_SEGMENT_MAX) {
		struct shim_segment *segment = &captured[captured_count++];
		segment->source = source;
		segment->destination = destination;
		segment->length = pkt->length;
		memcpy(segment->bytes, pkt->data, pkt->length);
		segment->checksum_ok = tcp_checksum_valid(segment->bytes, segment->length, source, destination);
	}
	if (holding && held_count < SHIM_HELD_MAX)
		held[held_count++] = pkt;   /* "in the driver's ring" until shim_give_back */
	else
		pkt_free(pkt);
}

void shim_hold_output(bool hold) { holding = hold; }

unsigned shim_held(void) { return held_count; }

void shim_give_back(unsigned count)
{
	unsigned given = 0;
	for (; given < count && given < held_count; given++)
		pkt_free(held[given]);
	memmove(held, held + given, (held_count - given) * sizeof(held[0]));
	held_count -= given;
}

unsigned shim_super_segments;
unsigned shim_oversized_chains;
static const uint8_t *immutable_start;
static size_t immutable_length;

void shim_set_immutable(const void *start, size_t length)
{
	immutable_start = start;
	immutable_length = length;
}

bool kernel_memory_immutable(const void *address, size_t length)
{
	const uint8_t *start = address;
	return immutable_start && start >= immutable_start && start <= immutable_start + immutable_length &&
	       length <= (size_t)(immutable_start + immutable_length - start);
}

bool netdev_tso_usable(const struct netdev *dev) { return dev->features & NETDEV_FEATURE_TSO4; }

/* A frame cut by net/core/gso.c: its IPv4 header must be right too. */
static int capture_frame(struct netdev *unused, struct pkt *frame)
{
	struct ipv4_header *ip = (struct ipv4_header *)(frame->data + 14);
	unsigned ip_length = ipv4_header_length(ip);
	if (internet_checksum(ip, ip_length) != 0 || ntohs(ip->total_length) != frame->length - 14) {
		printf("FAIL: gso frame with a bad IPv4 header\n");
		pkt_free(frame);
		return -1;
	}
	be32 source = ip->source, destination = ip->destination;
	pkt_pull(frame, 14 + ip_length);
	capture(frame, source, destination);
	return 0;
}

/* A super-segment goes through the real software segmentation (net/core/gso.c)
 * for a device without checksum offload, so each captured frame is what
 * a TSO device would put on the wire, checksums complete. */
static void segment_in_software(struct pkt *pkt, be32 source, be32 destination)
{
	static struct netdev segmenting_device = { .name = "gso0", .mtu = 1500 };
	uint32_t tcp_length = pkt_total_length(pkt);
	struct ipv4_header *ip = (struct ipv4_header *)pkt_push(pkt, IPV4_HEADER_MIN_LENGTH);
	*ip = (struct ipv4_header){ .version_ihl = 0x45, .total_length = htons((uint16_t)(20 + tcp_length)),
				    .identification = htons(100), .time_to_live = 64, .protocol = IP_PROTOCOL_TCP,
				    .source = source, .destination = destination };
	uint8_t *ethernet = pkt_push(pkt, 14);
	memset(ethernet, 0, 12);
	ethernet[12] = 0x08;
	ethernet[13] = 0x00;
	shim_super_segments++;
	unsigned buffers = 0;
	for (const struct pkt *buffer = pkt; buffer; buffer = pkt_next_buffer(pkt, buffer))
		buffers++;
	if (buffers > shim_device.tx_max_buffers)
		shim_oversized_chains++;
	gso_transmit(&segmenting_device, pkt, capture_frame);
}

void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol)
{
	if (pkt->gso_size)
		segment_in_software(pkt, source, destination);
	else
		capture(pkt, source, destination);
}

unsigned shim_pending(void) { return captured_count - captured_taken; }

const struct shim_segment *shim_take(void)
{
	return captured_taken < captured_count ? &captured[captured_taken++] : NULL;
}

void shim_discard_output(void)
{
	captured_taken = captured_count = 0;
}

void shim_reset(void)
{
	shim_discard_output();
}

/* The socket layer. */
#define WAKE_TABLE 64
static const void *wake_socks[WAKE_TABLE];
static uint32_t wake_counts[WAKE_TABLE];

struct sock *sock_allocate(const struct sock_protocol_ops *ops)
{
	struct sock *sk = calloc(1, sizeof(*sk));
	sk->ops = ops;
	sk->fd = -1;
	if (ops->create(sk) != 0) {
		free(sk);
		return NULL;
	}
	return sk;
}

void sock_free_unaccepted(struct sock *sk)
{
	sk->ops->release(sk);
	for (unsigned i = 0; i < WAKE_TABLE; i++)
		if (wake_socks[i] == sk)
			wake_socks[i] = NULL;
	free(sk);
}

void sock_wake(struct sock *sk)
{
	sk->wake_count++;
	for (unsigned i = 0; i < WAKE_TABLE; i++) {
		if (wake_socks[i] == sk || wake_socks[i] == NULL) {
			wake_socks[i] = sk;
			wake_counts[i]++;
			return;
		}
	}
}

uint32_t shim_wakes(const void *sk)
{
	for (unsigned i = 0; i < WAKE_TABLE; i++)
		if (wake_socks[i] == sk)
			return wake_counts[i];
	return 0;
}

