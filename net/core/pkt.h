/* pkt.h - the packet buffer every layer shares (our sk_buff).
 *
 *   buffer                data               data+length          buffer+PKT_BUFFER_SIZE
 *   |<---- headroom ----->|<----- packet ----->|<---- tailroom ----->|
 *
 * A pkt owns one fixed-size, physically contiguous, DMA-able buffer from a
 * pool allocated once at boot (`keel.pkts=`, default PKT_POOL_DEFAULT).
 * Headers are added with pkt_push (into the headroom) and removed with
 * pkt_pull; payload is appended with pkt_put and cut with pkt_trim. None of
 * them copies: they move `data`/`length` and return NULL (changing nothing)
 * when the move would leave the buffer.
 *
 * Ownership rule, for every function that takes a struct pkt *: it consumes
 * it. It either passes it on (to the next layer, a queue, a device ring) or
 * frees it; the caller never touches it again. A driver owns a TX pkt until
 * it reclaims the descriptor, an RX pkt until it hands it to netdev_receive.
 * An empty pool is not an error: pkt_alloc returns NULL and counts it.
 *
 * Multi-buffer packets (our skb frag list, used for TSO): a head pkt holds
 * the headers and the first payload bytes; `fragments` chains more pkts
 * (linked through their `next`) whose data/length continue the payload.
 * Only the head is pushed/pulled by the layers; pkt_total_length() is the
 * packet's length, pkt_free() frees the whole chain. `gso_size` != 0 asks
 * the device to cut the TCP payload into segments of that many bytes
 * (TSO); only devices with NETDEV_FEATURE_TSO4 get such packets, and only
 * devices with NETDEV_FEATURE_SCATTER_GATHER get chained ones (netdev.h).
 * A driver may hand up the same form (virtio-net GUEST_TSO4: a TCP
 * super-frame the host never cut, checksum PARTIAL): IPv4 forwards it
 * whole and cuts it before TCP input (net/core/gso.h). */
#ifndef KEEL_NET_PKT_H
#define KEEL_NET_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the deepest header stack we build (virtio-net 12 + Ethernet 14 +
 * VLAN 4 + IPv4 60 + TCP 60) rounded up. */
#define PKT_HEADROOM 192
/* A whole RX DMA area of 2048 bytes (e1000 RCTL.BSIZE, virtio mergeable
 * buffers) fits after the headroom. */
#define PKT_DATA_SIZE 2048
#define PKT_BUFFER_SIZE (PKT_HEADROOM + PKT_DATA_SIZE)
#define PKT_POOL_DEFAULT 1024

struct netdev;
struct nf_conn;

enum pkt_checksum_state {
	PKT_CHECKSUM_NONE = 0,      /* RX: not verified; TX: already complete in the data */
	PKT_CHECKSUM_UNNECESSARY,   /* RX: the NIC verified the L4 (and IPv4 header) checksum */
	PKT_CHECKSUM_PARTIAL,       /* TX: the NIC must fold checksum_start.. into checksum_offset */
};

struct pkt {
	uint8_t *buffer;            /* start of the DMA buffer (never moves) */
	uint8_t *data;              /* first byte of the packet */
	uint32_t length;            /* bytes from data */
	uint16_t network_offset;    /* from buffer: start of the L3 header, set by ethernet input/output */
	uint16_t transport_offset;  /* from buffer: start of the L4 header, set by IPv4 */
	uint16_t protocol;          /* EtherType, host order */
	uint8_t checksum_state;     /* enum pkt_checksum_state */
	uint8_t flags;              /* PKT_FLAG_* */
	uint16_t checksum_start;    /* PARTIAL: from buffer (like network_offset), where summing starts */
	uint16_t checksum_offset;   /* PARTIAL: from checksum_start, where the result goes */
	struct netdev *device;      /* RX: ingress device; TX: egress device */
	uint64_t timestamp_ns;      /* RX: when the driver took it off the ring */
	struct pkt *next;           /* link for struct pkt_queue (or a fragment chain); NULL when not linked */
	struct pkt *fragments;      /* more payload after this buffer, in order; NULL: one buffer */
	struct pkt *last_fragment;  /* the chain's tail (appending is O(1)) */
	uint32_t fragments_length;  /* bytes in all of them */
	uint16_t fragment_count;    /* how many there are */
	uint16_t gso_size;          /* TCP payload bytes per segment on the wire (TX TSO, or a super-frame received whole); 0: one frame */
	/* TX ownership (Linux's skb->destructor): pkt_free calls destructor
	 * on the head, where owner and owner_bytes (> 0) say whose bytes these
	 * were (TCP small queues, net/tcp/small_queues.c); software GSO hands
	 * them on to the frames it cuts (net/core/gso.c). */
	void (*destructor)(struct pkt *pkt);
	void *owner;
	uint32_t owner_bytes;
	/* Connection tracking (net/netfilter): the entry this packet belongs
	 * to, held (a reference) from the lookup until pkt_free; its state and
	 * status as the lookup saw them, so rules read them without the entry. */
	struct nf_conn *conntrack;
	uint16_t conntrack_status;  /* NF_CT_STATUS_* (net/netfilter/netfilter.h) */
	uint8_t conntrack_state;    /* NF_CT_STATE_* of this packet; 0: not looked up */
	uint8_t conntrack_reply;    /* 1: this packet travels in the reply direction */
	/* A datagram IPv4 reassembled to forward it: its largest fragment's
	 * total length (Linux's IPCB frag_max_size), the size it is cut to
	 * again on the way out; 0 for any other packet. */
	uint16_t fragment_max_size;
};

/* Set by connection tracking when it starts: releases the reference a pkt
 * holds on its entry (pkt_free calls it when pkt->conntrack is set). */
extern void (*pkt_conntrack_release)(struct nf_conn *conntrack);

#define PKT_FLAG_BROADCAST (1u << 0)  /* RX: destination MAC was broadcast */
#define PKT_FLAG_MULTICAST (1u << 1)  /* RX: destination MAC was multicast */
#define PKT_FLAG_EXTERNAL (1u << 2)   /* TX fragment: data is memory outside the buffer (pkt_attach_external) */

struct pkt_pool_stats {
	uint32_t total;
	uint32_t free;
	uint32_t low_water;          /* fewest free ever */
	uint64_t allocations;
	uint64_t alloc_failures;
};

/* Allocates the pool (needs pmm, paging). Returns 0 or -1. */
int pkt_pool_init(unsigned count);
/* The default pool size: PKT_POOL_DEFAULT, or fewer (a power of two, at
 * least the minimum) when that would take more than half the free memory. */
unsigned pkt_pool_size_for_memory(void);
/* A pkt with data = buffer + PKT_HEADROOM, length 0; NULL when the pool is empty. */
struct pkt *pkt_alloc(void);
void pkt_free(struct pkt *pkt);
struct pkt_pool_stats pkt_pool_get_stats(void);

/* Bytes of the packet in all its buffers. */
static inline uint32_t pkt_total_length(const struct pkt *pkt) { return pkt->length + pkt->fragments_length; }
/* Appends fragment (its data/length, never empty: a device descriptor
 * of no bytes is no buffer) to head's chain; consumes fragment. */
void pkt_append_fragment(struct pkt *head, struct pkt *fragment);
/* Makes an empty pkt a fragment whose bytes are length bytes of memory
 * that outlives any transmission (kernel/core/image.h: immutable) instead of
 * its own buffer: zero copy. Such a pkt is only ever a TX fragment: never
 * pushed, put into, or received into. */
void pkt_attach_external(struct pkt *pkt, const void *memory, uint32_t length);
/* Walks head's buffers: pkt_next_buffer(head, head) is the first fragment. */
static inline struct pkt *pkt_next_buffer(const struct pkt *head, const struct pkt *buffer)
{
	return buffer == head ? head->fragments : buffer->next;
}
/* Buffers of the packet: 1 + its fragments. */
static inline unsigned pkt_buffer_count(const struct pkt *head) { return 1u + head->fragment_count; }
/* Copies the fragments' bytes to the end of head's own buffer and frees
 * them (a short chain made one buffer again); -1, changing nothing, when
 * head's tailroom cannot take them. */
int pkt_pull_fragments(struct pkt *head);
/* Copies length bytes from offset (over all buffers) to destination; -1 if the packet is shorter. */
int pkt_copy_out(const struct pkt *head, uint32_t offset, void *destination, uint32_t length);

/* Physical (DMA) address of a byte of the buffer. */
uint64_t pkt_dma_address(const struct pkt *pkt, const void *byte);

static inline uint32_t pkt_headroom(const struct pkt *pkt) { return (uint32_t)(pkt->data - pkt->buffer); }
static inline uint32_t pkt_tailroom(const struct pkt *pkt) { return PKT_BUFFER_SIZE - pkt_headroom(pkt) - pkt->length; }

/* Prepends length bytes; returns the new data pointer, NULL without headroom. */
uint8_t *pkt_push(struct pkt *pkt, uint32_t length);
/* Removes length bytes from the front; returns the new data pointer, NULL if shorter. */
uint8_t *pkt_pull(struct pkt *pkt, uint32_t length);
/* Appends length bytes; returns where they start, NULL without tailroom. */
uint8_t *pkt_put(struct pkt *pkt, uint32_t length);
/* Shortens the packet to length (no-op if already shorter or equal). */
void pkt_trim(struct pkt *pkt, uint32_t length);
/* On an empty pkt: moves data forward by length (more headroom). Returns 0 or -1. */
int pkt_reserve(struct pkt *pkt, uint32_t length);

static inline uint8_t *pkt_network_header(const struct pkt *pkt) { return pkt->buffer + pkt->network_offset; }
static inline uint8_t *pkt_transport_header(const struct pkt *pkt) { return pkt->buffer + pkt->transport_offset; }
static inline void pkt_set_network_header(struct pkt *pkt) { pkt->network_offset = (uint16_t)pkt_headroom(pkt); }
static inline void pkt_set_transport_header(struct pkt *pkt) { pkt->transport_offset = (uint16_t)pkt_headroom(pkt); }
/* PARTIAL checksums: the protocol marks where summing starts while data is
 * its own header; a driver asks where that is from the frame it sends, so no
 * layer needs to know how many headers the others push. */
static inline void pkt_set_checksum_start(struct pkt *pkt) { pkt->checksum_start = (uint16_t)pkt_headroom(pkt); }
static inline uint32_t pkt_checksum_start_from_data(const struct pkt *pkt) { return pkt->checksum_start - pkt_headroom(pkt); }

/* A FIFO of pkts with a bound; pkt_queue_push consumes the pkt (frees it and
 * returns -1 when the queue is full, so the caller can count the drop). */
struct pkt_queue {
	struct pkt *head, *tail;
	uint32_t count;
	uint32_t limit;
};
static inline void pkt_queue_init(struct pkt_queue *queue, uint32_t limit)
{
	queue->head = queue->tail = NULL;
	queue->count = 0;
	queue->limit = limit;
}
int pkt_queue_push(struct pkt_queue *queue, struct pkt *pkt);
struct pkt *pkt_queue_pop(struct pkt_queue *queue);
void pkt_queue_purge(struct pkt_queue *queue); /* frees everything queued */

#endif
