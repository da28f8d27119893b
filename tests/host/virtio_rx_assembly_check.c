/* virtio_rx_assembly_check.c - the receive side of virtio-net's NAPI poll
 * (drivers/virtio-net/virtio_net_rxtx.c with virtqueue.c and
 * virtio_net_rx_offload.c) on the host, against a simulated device that
 * writes frames into the posted buffers as QEMU does with MRG_RXBUF
 * (virtio 1.2 5.1.6.3-5.1.6.4: the header in the first buffer only,
 * num_buffers there, frame bytes from the very start of the others).
 *
 * A TCP super-frame over 3 buffers arrives as one pkt with 2 fragments and
 * gso_size, also when the poll's budget ends between its buffers; a frame
 * claiming more than VIRTIO_NET_RX_BUFFERS_MAX buffers is dropped
 * (rx_merged_dropped) with the buffers it names, and the next frame is
 * received; an empty pool in the middle of a frame drops that frame
 * (rx_no_buffer) and its remaining buffers, and the ring stays full; a
 * continuation buffer of 0 bytes drops the frame (rx_bad_length). The ring
 * never loses a buffer and no pkt leaks. Prints "virtio_rx_assembly: N failures". */
#include "tests/host/host_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/virtio-net/virtio_net.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/pkt_pool.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

#define PAGE_BYTES 4096
#define RING 64
#define POOL (RING + 8)
#define HEADER_BYTES sizeof(struct virtio_net_header)
#define TCP_OFFSET (ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
#define HEADERS (TCP_OFFSET + TCP_HEADER_MIN_LENGTH)

static struct virtio_net vn;
static struct pkt *received[8];
static unsigned received_count;

/* ---- what the driver file calls outside the RX path -------------------- */

uint64_t pmm_alloc_pages(size_t count)
{
	void *pages = aligned_alloc(PAGE_BYTES, count * PAGE_BYTES);
	if (pages)
		memset(pages, 0, count * PAGE_BYTES);
	return (uint64_t)(uintptr_t)pages;
}

void pmm_free_pages(uint64_t physical, size_t count) { free((void *)(uintptr_t)physical); }
uint64_t clock_monotonic_ns(void) { return 1; }
void virtio_net_irq_disable(struct netdev *dev) {}
void virtio_net_config_changed(struct virtio_net *device) {}
bool netdev_tx_acceptable(const struct netdev *dev, const struct pkt *pkt) { return false; }
/* The transmit side's byte queue limits (net/core/netdev_bql.c): this check
 * drives the receive path only. */
void netdev_tx_sent_queue(struct netdev *dev, uint32_t bytes) {}
void netdev_tx_completed_queue(struct netdev *dev, unsigned packets, uint32_t bytes) {}
void netdev_tx_ring_empty(struct netdev *dev) {}
int virtio_net_tx_header(struct virtio_net *device, struct pkt *pkt, struct virtio_net_header *header) { return -1; }

void netdev_receive(struct netdev *dev, struct pkt *pkt)
{
	if (received_count < sizeof received / sizeof received[0])
		received[received_count++] = pkt;
	else
		pkt_free(pkt);
}

static void notify(struct virtio_pci_device *device, const struct virtqueue *queue) {}
static const struct virtio_pci_transport_ops transport_ops = { .name = "simulated", .notify = notify };

/* ---- the simulated device ------------------------------------------------ */

static uint16_t device_next_available;

/* Takes the next posted buffer, writes bytes into it, returns it used. */
static void device_fill(const uint8_t *bytes, uint32_t length)
{
	struct virtqueue *queue = &vn.rx_queue;
	CHECK(device_next_available != queue->available->index);   /* a buffer is posted */
	uint16_t id = queue->available->ring[device_next_available++ & (queue->size - 1)];
	volatile struct virtq_desc *descriptor = &queue->descriptors[id];
	CHECK(length <= descriptor->length);
	memcpy((void *)(uintptr_t)descriptor->address, bytes, length);
	volatile struct virtq_used *used = queue->used;
	used->ring[used->index & (queue->size - 1)].id = id;
	used->ring[used->index & (queue->size - 1)].length = length;
	used->index++;
}

static uint8_t frame[HEADERS + 5000];

/* A TCP super-frame of payload bytes (gso_size 1448) as QEMU's tap gives
 * it: num_buffers buffers, the first with the header and the frame's first
 * bytes, each later one full but the last. Returns the frame's length. */
static uint32_t device_send_super_frame(uint32_t payload, uint16_t num_buffers, bool zero_second)
{
	uint32_t length = HEADERS + payload;
	memset(frame, 0, HEADERS);
	frame[12] = 0x08;
	struct ipv4_header *ip = (void *)(frame + ETHERNET_HEADER_LENGTH);
	ip->version_ihl = 0x45;
	ip->total_length = htons((uint16_t)(length - ETHERNET_HEADER_LENGTH));
	ip->time_to_live = 64;
	ip->protocol = IP_PROTOCOL_TCP;
	ip->header_checksum = internet_checksum(ip, IPV4_HEADER_MIN_LENGTH);
	((struct tcp_header *)(frame + TCP_OFFSET))->data_offset = 5 << 4;
	for (uint32_t i = 0; i < payload; i++)
		frame[HEADERS + i] = (uint8_t)i;
	struct virtio_net_header header = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .header_length = HEADERS,
		.gso_size = 1448, .checksum_start = TCP_OFFSET, .checksum_offset = 16, .num_buffers = num_buffers,
	};
	static uint8_t first[PKT_DATA_SIZE + HEADER_BYTES];
	uint32_t in_first = length < PKT_DATA_SIZE ? length : PKT_DATA_SIZE;
	memcpy(first, &header, HEADER_BYTES);
	memcpy(first + HEADER_BYTES, frame, in_first);
	device_fill(first, HEADER_BYTES + in_first);
	uint32_t offset = in_first;
	for (uint16_t buffer = 1; buffer < num_buffers; buffer++) {
		uint32_t piece = length - offset < PKT_DATA_SIZE + HEADER_BYTES ? length - offset : PKT_DATA_SIZE + HEADER_BYTES;
		if (zero_second && buffer == 1)
			piece = 0;
		device_fill(frame + offset, piece);
		offset += piece;
	}
	return length;
}

/* ---- the checks ---------------------------------------------------------- */

static void check_received_super_frame(uint32_t length)
{
	CHECK(received_count == 1);
	if (received_count != 1)
		return;
	struct pkt *pkt = received[0];
	CHECK(pkt->fragment_count == 2 && pkt_total_length(pkt) == length && pkt->gso_size == 1448);
	static uint8_t copy[sizeof frame];
	CHECK(pkt_copy_out(pkt, 0, copy, length) == 0 && memcmp(copy, frame, length) == 0);
	pkt_free(pkt);
	received_count = 0;
}

static void check_ring_full(void)
{
	CHECK(vn.rx_queue.free_count == 0);
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK(stats.total - stats.free == RING);   /* every pkt is a posted buffer: none leaked */
}

static void super_frame_in_one_poll_and_across_polls(void)
{
	uint32_t length = device_send_super_frame(4500, 3, false);
	CHECK(virtio_net_poll(&vn.netdev, 64) == 1);
	check_received_super_frame(length);
	length = device_send_super_frame(4500, 3, false);
	CHECK(virtio_net_poll(&vn.netdev, 1) == 1);   /* the budget ends after the frame's first buffer */
	CHECK(received_count == 0);
	CHECK(virtio_net_poll(&vn.netdev, 64) == 0);  /* its last two buffers: no new frame */
	check_received_super_frame(length);
	check_ring_full();
}

static void too_many_buffers_dropped_with_theirs(void)
{
	uint64_t dropped = vn.counters.rx_merged_dropped;
	device_send_super_frame(100, VIRTIO_NET_RX_BUFFERS_MAX + 1, false);   /* every buffer it names used */
	uint32_t length = device_send_super_frame(4500, 3, false);
	virtio_net_poll(&vn.netdev, 64);
	CHECK(vn.counters.rx_merged_dropped == dropped + 1);
	check_received_super_frame(length);
	check_ring_full();
}

static void empty_pool_mid_frame_drops_the_frame(void)
{
	/* One pkt left: the first buffer gets its replacement, the second none. */
	struct pkt *held[POOL];
	unsigned count = 0;
	while ((held[count] = pkt_alloc()) != NULL)
		count++;
	CHECK(count == POOL - RING);
	pkt_free(held[--count]);
	uint64_t no_buffer = vn.counters.rx_no_buffer;
	device_send_super_frame(4500, 3, false);
	virtio_net_poll(&vn.netdev, 64);
	CHECK(received_count == 0);
	CHECK(vn.counters.rx_no_buffer == no_buffer + 1);
	for (unsigned i = 0; i < count; i++)
		pkt_free(held[i]);
	check_ring_full();
	uint32_t length = device_send_super_frame(4500, 3, false);
	virtio_net_poll(&vn.netdev, 64);
	check_received_super_frame(length);
}

static void empty_continuation_dropped(void)
{
	uint64_t bad = vn.counters.rx_bad_length;
	device_send_super_frame(4500, 3, true);
	virtio_net_poll(&vn.netdev, 64);
	CHECK(received_count == 0 && vn.counters.rx_bad_length == bad + 1);
	uint32_t length = device_send_super_frame(4500, 3, false);
	virtio_net_poll(&vn.netdev, 64);
	check_received_super_frame(length);
	check_ring_full();
}

int main(void)
{
	pkt_pool_attach(malloc((size_t)POOL * PKT_BUFFER_SIZE), malloc(POOL * sizeof(struct pkt)), malloc(POOL), POOL);
	vn.transport.ops = &transport_ops;
	vn.header_size = HEADER_BYTES;
	vn.features = VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_NET_F_MRG_RXBUF) |
		      VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_TSO4);
	CHECK(virtqueue_init(&vn.rx_queue, 0, RING, false) == 0);
	CHECK(virtqueue_init(&vn.tx_queue, 1, RING, false) == 0);
	vn.netdev.irq_mode = NETDEV_IRQ_MSIX;
	virtio_net_rx_fill(&vn);
	check_ring_full();
	super_frame_in_one_poll_and_across_polls();
	too_many_buffers_dropped_with_theirs();
	empty_pool_mid_frame_drops_the_frame();
	empty_continuation_dropped();
	printf("virtio_rx_assembly: %d failures\n", failures);
	return failures != 0;
}
