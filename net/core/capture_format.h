/* capture_format.h - the byte layout of the capture stream (the one
 * declaration of it): the libpcap file format, as tcpdump, tshark and
 * Wireshark read it (pcap-savefile(5); draft-ietf-opsawg-pcap), with
 * records of link type LINUX_SLL2 (www.tcpdump.org/linktypes/
 * LINKTYPE_LINUX_SLL2.html), Linux's "cooked" header of tcpdump -i any.
 *
 * The pcap headers are in the writer's byte order (readers tell it from the
 * magic number, as libpcap writes them); the SLL2 header is in network
 * byte order. An SLL2 record replaces the Ethernet header: it carries the
 * EtherType and the sender's address, then the frame from its network
 * header on. */
#ifndef KEEL_NET_CORE_CAPTURE_FORMAT_H
#define KEEL_NET_CORE_CAPTURE_FORMAT_H

#include <stdint.h>

#include "net/core/byteorder.h"

#define PCAP_MAGIC_MICROSECONDS 0xa1b2c3d4u   /* record timestamps in microseconds */
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4
#define PCAP_LINKTYPE_LINUX_SLL2 276

/* Once, at the start of the stream. */
struct pcap_file_header {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t timezone_offset;   /* always 0: timestamps are UTC */
	uint32_t timestamp_accuracy; /* always 0 */
	uint32_t snap_length;      /* no record holds more bytes of its frame */
	uint32_t linktype;
};
_Static_assert(sizeof(struct pcap_file_header) == 24, "pcap file header is 24 bytes");

/* Before each record's bytes. */
struct pcap_record_header {
	uint32_t seconds;          /* since the epoch (or since boot without a real-time clock) */
	uint32_t microseconds;
	uint32_t captured_length;  /* bytes that follow */
	uint32_t original_length;  /* bytes the record would hold uncut */
};
_Static_assert(sizeof(struct pcap_record_header) == 16, "pcap record header is 16 bytes");

/* SLL2 packet types (Linux's PACKET_* of <linux/if_packet.h>). */
#define SLL2_PACKET_HOST 0         /* to us */
#define SLL2_PACKET_BROADCAST 1
#define SLL2_PACKET_MULTICAST 2
#define SLL2_PACKET_OTHERHOST 3    /* to another host (seen in promiscuous mode) */
#define SLL2_PACKET_OUTGOING 4     /* sent by us */

#define SLL2_ARPHRD_ETHER 1        /* Linux's ARPHRD_ETHER: the device is Ethernet */
#define SLL2_ADDRESS_LENGTH_MAX 8

struct sll2_header {
	be16 protocol_type;        /* the frame's EtherType */
	be16 reserved;             /* must be zero */
	be32 interface_index;      /* 1-based, ip link's index */
	be16 arphrd_type;
	uint8_t packet_type;       /* SLL2_PACKET_* */
	uint8_t address_length;    /* bytes of address that count */
	uint8_t address[SLL2_ADDRESS_LENGTH_MAX]; /* the sender's link-layer address, zero padded */
} __attribute__((packed));
_Static_assert(sizeof(struct sll2_header) == 20, "SLL2 header is 20 bytes");

#endif
