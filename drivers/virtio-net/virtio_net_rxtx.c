/* virtio_net_rxtx.c - receive, transmit and the NAPI poll of virtio-net
 * (virtio 1.2 sections 5.1.6.2 to 5.1.6.4).
 *
 * RX: every buffer is a pkt posted as one device-writable descriptor that
 * starts header_size bytes before pkt->data, so the frame lands at
 * pkt->data. A used buffer is handed to the stack only once a fresh pkt has
 * replaced it on the ring; with an empty pool the frame is dropped and its
 * buffer goes straight back (rx_no_buffer), so the ring never drains.
 * With MRG_RXBUF a frame spanning num_buffers buffers is assembled as one
 * pkt with fragments (at most VIRTIO_NET_RX_BUFFERS_MAX; the state lives in
 * struct virtio_net, as a poll may end between its buffers) and judged as a
 * whole (virtio_net_rx_offload.c).
 * TX: the header is pushed into the pkt's headroom and goes out with the
 * head's data in the first descriptor of the chain, one more per fragment
 * (virtio_net_tx_offload.c fills the header); pkts (whole chains) are freed
 * when the device returns them, their bytes reported to byte queue limits
 * (netdev_tx_sent_queue when queued, netdev_tx_completed_queue when
 * returned) on every reclaim: xmit, tx_ready and poll. */
#include "drivers/virtio-net/virtio_net.h"

#include <string.h>

#include "kernel/time/clock.h"
#include "net/wire/ethernet.h"

/* Notifies the device of published buffers when it wants it (counted). */
static void virtio_net_kick(struct virtio_net *vn, struct virtqueue *queue)
{
	if (queue->available_shadow == queue->available_at_last_kick)
		return;
	if (virtqueue_publish(queue)) {
		vn->transport.ops->notify(&vn->transport, queue);
		vn->counters.notifications_sent++;
	} else {
		vn->counters.notifications_suppressed++;
	}
}

/* The descriptor covers the header in front of pkt->data and everything to
 * the end of the buffer (PKT_DATA_SIZE bytes of frame). */
static int post_rx_buffer(struct virtio_net *vn, struct pkt *pkt)
{
	uint8_t *start = pkt->data - vn->header_size;
	uint32_t length = (uint32_t)(pkt->buffer + PKT_BUFFER_SIZE - start);
	pkt->length = 0;
	return virtqueue_add_buffer(&vn->rx_queue, pkt_dma_address(pkt, start), length, true, pkt);
}

void virtio_net_rx_fill(struct virtio_net *vn)
{
	while (vn->rx_queue.free_count > 0) {
		struct pkt *pkt = pkt_alloc();
		if (!pkt)
			break;
		post_rx_buffer(vn, pkt);
	}
	virtio_net_kick(vn, &vn->rx_queue);
}

/* A fresh pkt takes the used buffer's place on the ring, so the ring never
 * drains; false (pool empty: counted, the buffer reposted) when there is none. */
static bool replace_on_ring(struct virtio_net *vn, struct pkt *pkt)
{
	struct pkt *replacement = pkt_alloc();
	if (!replacement) {
		vn->counters.rx_no_buffer++;
		vn->netdev.stats.rx_dropped++;
		post_rx_buffer(vn, pkt);  /* frame dropped, buffer reused */
		return false;
	}
	post_rx_buffer(vn, replacement);
	return true;
}

static void count_bad_length(struct virtio_net *vn)
{
	vn->counters.rx_bad_length++;
	vn->netdev.stats.rx_errors++;
	vn->netdev.stats.rx_frame_errors++;  /* Linux folds length errors into "frame" */
}

/* Drops the frame being assembled and the buffers it still has coming. */
static void abandon_frame(struct virtio_net *vn, uint16_t buffers_to_come)
{
	pkt_free(vn->rx_frame);
	vn->rx_frame = NULL;
	vn->rx_frame_missing = 0;
	vn->rx_discard_buffers = buffers_to_come < vn->rx_queue.size ? buffers_to_come : vn->rx_queue.size;
}

/* Every buffer of the frame is in: its header judged, then up the stack. */
static void frame_complete(struct virtio_net *vn, struct pkt *frame)
{
	const struct virtio_net_header *header = (const void *)(frame->data - vn->header_size);
	if (virtio_net_rx_offload(vn, frame, header) != 0) {
		vn->netdev.stats.rx_errors++;
		pkt_free(frame);
		return;
	}
	frame->timestamp_ns = clock_monotonic_ns();
	netdev_receive(&vn->netdev, frame);
}

/* 5.1.6.4: a buffer after the first of a merged frame holds frame bytes
 * from its very start (the header is in the first buffer only). */
static void receive_continuation(struct virtio_net *vn, struct pkt *pkt, uint32_t written)
{
	uint32_t capacity = (uint32_t)(pkt->buffer + PKT_BUFFER_SIZE - pkt->data) + vn->header_size;
	uint16_t to_come = (uint16_t)(vn->rx_frame_missing - 1);
	if (written == 0 || written > capacity) {
		count_bad_length(vn);
		abandon_frame(vn, to_come);
		post_rx_buffer(vn, pkt);  /* frame dropped, buffer reused */
		return;
	}
	if (!replace_on_ring(vn, pkt)) {
		abandon_frame(vn, to_come);
		return;
	}
	pkt->data -= vn->header_size;
	pkt_put(pkt, written);
	pkt_append_fragment(vn->rx_frame, pkt);
	if (--vn->rx_frame_missing > 0)
		return;
	struct pkt *frame = vn->rx_frame;
	vn->rx_frame = NULL;
	frame_complete(vn, frame);
}

/* The first buffer of a frame: its length, then how many buffers the frame
 * spans (num_buffers, with MRG_RXBUF). */
static void receive_head(struct virtio_net *vn, struct pkt *pkt, uint32_t written)
{
	uint32_t capacity = (uint32_t)(pkt->buffer + PKT_BUFFER_SIZE - pkt->data) + vn->header_size;
	if (written < vn->header_size + ETHERNET_HEADER_LENGTH || written > capacity) {
		count_bad_length(vn);
		post_rx_buffer(vn, pkt);  /* frame dropped, buffer reused */
		return;
	}
	const struct virtio_net_header *header = (const void *)(pkt->data - vn->header_size);
	uint16_t buffers = 1;
	if (virtio_net_has_feature(vn, VIRTIO_NET_F_MRG_RXBUF) && header->num_buffers > 1)
		buffers = header->num_buffers;
	if (buffers > VIRTIO_NET_RX_BUFFERS_MAX) {
		vn->counters.rx_merged_dropped++;
		vn->netdev.stats.rx_dropped++;
		abandon_frame(vn, (uint16_t)(buffers - 1));
		post_rx_buffer(vn, pkt);  /* frame dropped, buffer reused */
		return;
	}
	if (!replace_on_ring(vn, pkt)) {
		abandon_frame(vn, (uint16_t)(buffers - 1));
		return;
	}
	pkt_put(pkt, written - vn->header_size);
	if (buffers == 1) {
		frame_complete(vn, pkt);
		return;
	}
	vn->rx_frame = pkt;
	vn->rx_frame_missing = (uint16_t)(buffers - 1);
}

/* One used buffer; true when it started a frame (what the budget counts). */
static bool receive_buffer(struct virtio_net *vn, struct pkt *pkt, uint32_t written)
{
	if (vn->rx_discard_buffers > 0) {
		vn->rx_discard_buffers--;
		post_rx_buffer(vn, pkt);  /* frame dropped, buffer reused */
		return false;
	}
	if (vn->rx_frame) {
		receive_continuation(vn, pkt, written);
		return false;
	}
	receive_head(vn, pkt, written);
	return true;
}

static int receive(struct virtio_net *vn, int budget)
{
	int done = 0;
	while (done < budget) {
		uint32_t written;
		struct pkt *pkt = virtqueue_get_used(&vn->rx_queue, &written);
		if (!pkt)
			break;
		if (receive_buffer(vn, pkt, written))
			done++;
	}
	virtio_net_kick(vn, &vn->rx_queue);
	return done;
}

/* Frees what the device used and reports it to byte queue limits, which
 * may restart the queue: each pkt's bytes as xmit reported them, without
 * the header it pushed. */
static void reclaim_transmitted(struct virtio_net *vn)
{
	uint32_t written, bytes = 0;
	unsigned packets = 0;
	struct pkt *pkt;
	while ((pkt = virtqueue_get_used(&vn->tx_queue, &written)) != NULL) {
		bytes += pkt_total_length(pkt) - vn->header_size;
		packets++;
		pkt_free(pkt);
	}
	netdev_tx_completed_queue(&vn->netdev, packets, bytes);
	if (vn->tx_queue.free_count == vn->tx_queue.size)
		netdev_tx_ring_empty(&vn->netdev);
}

/* A counted safety net, not a mechanism: it should never fire (the tests
 * and `make bench` check it stays at zero). With EVENT_IDX, a device whose
 * avail_event equals its used index (QEMU completes TX buffers in order as
 * it takes them) has finished everything it took and waits for a
 * notification once the available index passes that event (2.7.10); if
 * the index has passed it and nothing moved for
 * TX_LOST_NOTIFICATION_NS, the notification was lost (the failure a fence
 * that does not reach the device causes, see virtqueue.h), so send one: a
 * notification is always allowed (2.7.13.4). A device still busy with our
 * buffers has avail_event past its used index and is left alone. */
#define TX_LOST_NOTIFICATION_NS (100 * NSEC_PER_MSEC)

static void tx_lost_notification_check(struct virtio_net *vn)
{
	struct virtqueue *queue = &vn->tx_queue;
	uint16_t used_index = queue->used->index;
	uint16_t event = *queue->available_event;
	bool waiting = queue->event_index && event == used_index && queue->available->index != event;
	if (!waiting) {
		vn->tx_check_waiting = false;
		return;
	}
	uint64_t now = clock_monotonic_ns();  /* only while the device looks idle: not on every poll */
	if (!vn->tx_check_waiting || used_index != vn->tx_check_used_index || event != vn->tx_check_event) {
		vn->tx_check_waiting = true;
		vn->tx_check_used_index = used_index;
		vn->tx_check_event = event;
		vn->tx_check_since_ns = now;
		return;
	}
	if (now - vn->tx_check_since_ns < TX_LOST_NOTIFICATION_NS)
		return;
	vn->transport.ops->notify(&vn->transport, queue);
	vn->counters.tx_forced_notifications++;
	vn->tx_check_since_ns = now;
}

int virtio_net_poll(struct netdev *dev, int budget)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	if (vn->config_changed) {
		vn->config_changed = false;
		virtio_net_config_changed(vn);
	}
	reclaim_transmitted(vn);
	tx_lost_notification_check(vn);
	int received = receive(vn, budget);
	/* Poll mode: keep the event indexes trailing what we consumed (2.7.7.2). */
	if (dev->irq_mode == NETDEV_IRQ_POLL)
		virtio_net_irq_disable(dev);
	return received;
}

static int drop_transmit(struct virtio_net *vn, struct pkt *pkt, uint64_t *counter)
{
	(*counter)++;
	pkt_free(pkt);
	return -1;
}

/* netdev_ops.tx_ready: descriptors for the whole chain after reclaiming. */
bool virtio_net_tx_ready(struct netdev *dev, const struct pkt *pkt)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	reclaim_transmitted(vn);
	return vn->tx_queue.free_count >= virtqueue_chain_descriptors(&vn->tx_queue, pkt_buffer_count(pkt));
}

int virtio_net_xmit(struct netdev *dev, struct pkt *pkt)
{
	struct virtio_net *vn = virtio_net_from_netdev(dev);
	reclaim_transmitted(vn);
	unsigned buffers = pkt_buffer_count(pkt);
	if (vn->tx_queue.free_count < virtqueue_chain_descriptors(&vn->tx_queue, buffers)) {
		vn->counters.tx_ring_full++;
		return drop_transmit(vn, pkt, &dev->stats.tx_dropped);
	}
	if (!netdev_tx_acceptable(dev, pkt))
		return drop_transmit(vn, pkt, &dev->stats.tx_errors);
	struct virtio_net_header header;
	if (virtio_net_tx_header(vn, pkt, &header) != 0)
		return drop_transmit(vn, pkt, &dev->stats.tx_errors);
	uint8_t *pushed = pkt_push(pkt, vn->header_size);
	if (!pushed)
		return drop_transmit(vn, pkt, &dev->stats.tx_errors);
	memcpy(pushed, &header, vn->header_size);
	/* ANY_LAYOUT / VERSION_1 (5.1.6.6): the header may share the head's descriptor. */
	struct virtqueue_segment segments[VIRTIO_NET_TX_BUFFERS_MAX];
	unsigned count = 0;
	for (const struct pkt *buffer = pkt; buffer && count < VIRTIO_NET_TX_BUFFERS_MAX;
	     buffer = pkt_next_buffer(pkt, buffer), count++) {
		segments[count].physical = pkt_dma_address(buffer, buffer->data);
		segments[count].length = buffer->length;
	}
	if (virtqueue_add_chain(&vn->tx_queue, segments, count, pkt) != 0) {
		vn->counters.tx_ring_full++;
		return drop_transmit(vn, pkt, &dev->stats.tx_dropped);
	}
	if (count > 1)
		vn->counters.tx_multi_buffer++;
	netdev_tx_sent_queue(dev, pkt_total_length(pkt) - vn->header_size);
	virtio_net_kick(vn, &vn->tx_queue);
	return 0;
}
