/* capture.h - packet capture from inside the image (the management port's
 * GET /pcap, issue 13).
 *
 * Contract: one capture session at a time. The taps sit where Linux's
 * packet taps sit: receive right after the driver hands a frame up
 * (netdev_receive), transmit right before a frame goes to the driver. While no
 * session is open a tap costs one predictable branch. A tapped frame that
 * matches the filter is copied (up to the snap length) into a bounded buffer;
 * when the reader is slower than the traffic the frame is dropped and counted,
 * the packet path never waits. The reader pulls the session as a byte stream
 * in the libpcap file format (global header first, then one record per frame)
 * that tcpdump, tshark and Wireshark read; records say the frame's direction
 * and device. Checksums the NIC would fill in (offload) are filled in the copy,
 * so a capture shows intact frames.
 *
 * The stream (net/core/capture_format.h): libpcap 2.4, microsecond
 * timestamps, link type LINUX_SLL2 (tcpdump -i any's), whose header carries
 * the interface index (netdev_index) and the packet type: 0 to us, 1
 * broadcast, 2 multicast, 3 to another host, 4 sent by us. A session's
 * records sit in a buffer of CAPTURE_BUFFER_BYTES taken from the heap at
 * capture_start and given back at capture_stop, so no memory is held while
 * no one captures. Frames are recorded whole (a TSO super-segment as the
 * one frame the driver is handed, as Linux's taps see it), so a record's
 * captured length is always its length. */
#ifndef KEEL_NET_CORE_CAPTURE_H
#define KEEL_NET_CORE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netdev;
struct pkt;

/* The session's buffer: room for three of the largest records (a 64 KiB
 * TSO super-segment), or 170 full-size frames (1536-byte records). */
#define CAPTURE_BUFFER_BYTES (256u * 1024u)
/* The global header's snap length: tcpdump's default (MAXIMUM_SNAPLEN);
 * no frame is longer, so none is cut. */
#define CAPTURE_SNAP_LENGTH 262144u

enum capture_direction {
	CAPTURE_RECEIVED,
	CAPTURE_TRANSMITTED,
};

/* A frame matches when every non-zero field matches (IPv4 only when a field is set). */
struct capture_filter {
	uint8_t ip_protocol; /* IPv4 protocol number (1 icmp, 6 tcp, 17 udp); 0: any */
	uint32_t host;       /* IPv4 source or destination, network byte order; 0: any */
	uint16_t port;       /* TCP/UDP source or destination port, host order; 0: any */
};

struct capture_stats {
	uint64_t sessions;        /* started */
	uint64_t frames_captured; /* records handed to readers (put in the session buffer they read) */
	uint64_t frames_dropped;  /* matched but no room: the reader was too slow */
	uint64_t frames_malformed; /* matched but shorter than an Ethernet header (or longer than any
	                            * IPv4 datagram): no record can say what they are */
	uint64_t buffer_failures; /* capture_start found no heap for the buffer (-ENOMEM) */
	bool active;              /* a session is open (capture_start .. capture_stop) */
};

/* Opens a session on dev (NULL: every device) that ends after frame_limit
 * frames (0: no limit) or duration_ns nanoseconds (0: no limit), whichever
 * comes first. Returns 0, -EBUSY when a session is open, -EINVAL (a port
 * with an ip_protocol other than TCP or UDP: nothing could match), or
 * -ENOMEM (no heap for the buffer). filter NULL: every frame. */
int capture_start(struct netdev *dev, const struct capture_filter *filter, uint32_t frame_limit, uint64_t duration_ns);
/* Copies up to capacity bytes of the session's pcap stream (whole or partial
 * records); returns the bytes copied, 0 when nothing is pending now. */
size_t capture_read(void *buffer, size_t capacity);
/* True once the session reached its frame limit or duration and everything
 * was read (the reader then calls capture_stop). */
bool capture_finished(void);
/* Ends the session (also when the reader went away) and discards what is left. */
void capture_stop(void);
void capture_get_stats(struct capture_stats *stats);

/* The taps, called by net/core's receive and transmit paths only, through
 * capture_tap_if_active: while no session records, a tap is one load and
 * one branch predicted not taken. */
void capture_tap(struct netdev *dev, const struct pkt *pkt, enum capture_direction direction);
/* True while a session records (open, limit and duration not reached). */
extern bool capture_active;
static inline void capture_tap_if_active(struct netdev *dev, const struct pkt *pkt, enum capture_direction direction)
{
	if (__builtin_expect(capture_active, 0))
		capture_tap(dev, pkt, direction);
}

#endif
