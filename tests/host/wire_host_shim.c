/* wire_host_shim.c - the kernel services the real net/ethernet, net/ipv4
 * and net/udp code needs on the host (contract in wire_host_shim.h). The
 * timer queue is a sorted list run only by host_time_advance, so time never
 * moves on its own and every case is deterministic. Everything below the
 * stack's transmit path is one fake device whose xmit copies the frame
 * into a capture buffer, as a NIC would put it on the wire. */
#include "tests/host/wire_host_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/core/cmdline.h"
#include "kernel/time/clock.h"
#include "kernel/time/rtc.h"
#include "kernel/time/timer.h"
#include "net/core/drop.h"
#include "net/core/pkt.h"
#include "net/core/pkt_pool.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/interface.h"
#include "net/socket/sock.h"
#include "net/tcp/tcp.h"

#define POOL_SIZE 64

/* What the kernel's command line would say: Linux's nfsroot syntax,
 * <client>:<server>:<gateway>:<netmask>:<hostname>:<device>:<autoconf>. */
static const char *const command_line[][2] = {
	{ "ip", "10.99.0.2::10.99.0.1:255.255.255.0::eth0:off" },
};
#define COMMAND_LINE_WORDS (sizeof(command_line) / sizeof(command_line[0]))

static struct wire_frame captured[WIRE_CAPTURE_MAX];
static unsigned captured_count, captured_taken;
static uint64_t wakes;

/* ---- console, clock, command line ---------------------------------------- */

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	if (getenv("WIRE_CHECK_VERBOSE"))
		vprintf(format, arguments);
	va_end(arguments);
}

const char *cmdline_get(const char *key)
{
	for (unsigned i = 0; i < COMMAND_LINE_WORDS; i++)
		if (strcmp(command_line[i][0], key) == 0)
			return command_line[i][1];
	return NULL;
}

uint64_t cmdline_get_u64(const char *key, uint64_t fallback)
{
	const char *value = cmdline_get(key);
	return value ? strtoull(value, NULL, 0) : fallback;
}

void cmdline_for_each_prefix(const char *prefix, void (*visit)(const char *key, const char *value, void *context),
			     void *context)
{
	for (unsigned i = 0; i < COMMAND_LINE_WORDS; i++)
		if (strncmp(command_line[i][0], prefix, strlen(prefix)) == 0)
			visit(command_line[i][0], command_line[i][1], context);
}

/* Wall-clock time stands still at WIRE_REALTIME_NS, so the IP Timestamp
 * option (milliseconds since midnight UT) records a known value. */
int64_t rtc_realtime_ns(void) { return WIRE_REALTIME_NS; }

/* ---- the device: eth0, its transmit ring a capture buffer --------------- */

static int device_open(struct netdev *dev) { return 0; }
static int device_poll(struct netdev *dev, int budget) { return 0; }
static void device_irq(struct netdev *dev) {}

static int device_xmit(struct netdev *dev, struct pkt *pkt)
{
	uint32_t length = pkt_total_length(pkt);
	if (captured_count < WIRE_CAPTURE_MAX && length <= WIRE_FRAME_MAX) {
		struct wire_frame *frame = &captured[captured_count++];
		frame->length = length;
		pkt_copy_out(pkt, 0, frame->bytes, length);
	} else {
		printf("FAIL: capture buffer full or frame of %u bytes too long\n", length);
	}
	pkt_free(pkt);
	return 0;
}

static const struct netdev_ops device_ops = {
	.open = device_open,
	.xmit = device_xmit,
	.poll = device_poll,
	.irq_enable = device_irq,
	.irq_disable = device_irq,
};

struct netdev wire_device = {
	.driver_name = "wire-capture",
	.ops = &device_ops,
	.mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 },
	.mtu = 1500,
	.link_up = true,
};

static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

void wire_shim_start(void)
{
	pool_buffers = malloc((size_t)POOL_SIZE * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(POOL_SIZE * sizeof(struct pkt));
	pool_in_use = malloc(POOL_SIZE);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, POOL_SIZE);
	if (netdev_register(&wire_device) != 0) {
		printf("FAIL: eth0 not registered\n");
		exit(1);
	}
	net_interface_configure();
	if (net_interface_of(&wire_device) == NULL) {
		printf("FAIL: ip= did not configure eth0\n");
		exit(1);
	}
}

void wire_receive(const uint8_t *frame, unsigned length)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL) {
		printf("FAIL: packet pool empty\n");
		return;
	}
	memcpy(pkt_put(pkt, length), frame, length);
	netdev_receive(&wire_device, pkt);
}

void wire_receive_super_frame(const uint8_t *frame, unsigned length, uint16_t gso_size, unsigned tcp_offset)
{
	struct pkt *head = NULL;
	for (unsigned offset = 0; offset < length;) {
		unsigned piece = length - offset < PKT_DATA_SIZE ? length - offset : PKT_DATA_SIZE;
		struct pkt *pkt = pkt_alloc();
		if (pkt == NULL) {
			printf("FAIL: packet pool empty\n");
			pkt_free(head);
			return;
		}
		memcpy(pkt_put(pkt, piece), frame + offset, piece);
		if (head)
			pkt_append_fragment(head, pkt);
		else
			head = pkt;
		offset += piece;
	}
	head->gso_size = gso_size;
	head->checksum_state = PKT_CHECKSUM_PARTIAL;
	head->checksum_start = (uint16_t)(pkt_headroom(head) + tcp_offset);
	head->checksum_offset = 16;   /* struct tcp_header's checksum */
	netdev_receive(&wire_device, head);
}

unsigned wire_pending(void) { return captured_count - captured_taken; }

const struct wire_frame *wire_take(void)
{
	return captured_taken < captured_count ? &captured[captured_taken++] : NULL;
}

void wire_discard_output(void) { captured_count = captured_taken = 0; }

/* ---- what the compiled sources call outside this test's scope ------------- */

void sock_wake(struct sock *sk)
{
	sk->wake_count++;
	wakes++;
}

uint64_t wire_wakes(void) { return wakes; }

/* TCP is not compiled in: ICMP errors about TCP find no connection. */
enum net_drop_reason tcp_icmp_error(const struct icmp_error_report *report)
{
	return NET_DROP_ICMP_ERROR_NO_SOCKET;
}

/* TCP segments reach IPv4's demux but no TCP: counted as a closed port would be. */
void tcp_input(struct netdev *dev, struct pkt *pkt)
{
	net_drop(pkt, TCP_DROP_NO_SOCKET);
}

/* keel.udp.testshutdown= is never set here; a call would be a bug. */
void kernel_shutdown(const char *reason)
{
	fprintf(stderr, "kernel_shutdown(%s) called in a host test\n", reason);
	abort();
}
