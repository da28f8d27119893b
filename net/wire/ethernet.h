/* ethernet.h - Ethernet II frame header (IEEE 802.3 clause 3.1.1, without
 * preamble and FCS: NICs strip both). */
#ifndef KEEL_NET_WIRE_ETHERNET_H
#define KEEL_NET_WIRE_ETHERNET_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"

#define ETHERNET_ADDRESS_LENGTH 6
#define ETHERNET_HEADER_LENGTH 14
#define ETHERNET_VLAN_TAG_LENGTH 4
#define ETHERNET_MIN_FRAME_LENGTH 60  /* 64 on the wire minus the 4-byte FCS */
#define ETHERNET_MTU 1500             /* largest payload of an untagged frame (1518 - header - FCS) */

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_IPV6 0x86DD

struct ethernet_header {
	uint8_t destination[ETHERNET_ADDRESS_LENGTH];
	uint8_t source[ETHERNET_ADDRESS_LENGTH];
	be16 ethertype;
} __attribute__((packed));
_Static_assert(sizeof(struct ethernet_header) == ETHERNET_HEADER_LENGTH, "Ethernet header is 14 bytes");

extern const uint8_t ethernet_broadcast_address[ETHERNET_ADDRESS_LENGTH];

/* The header at pkt->data, or NULL when the frame is shorter than one. */
static inline struct ethernet_header *ethernet_header_view(const struct pkt *pkt)
{
	return pkt->length >= ETHERNET_HEADER_LENGTH ? (struct ethernet_header *)pkt->data : NULL;
}

/* The I/G bit, first bit on the wire (802.3 3.2.3): group (multicast or broadcast). */
static inline bool ethernet_address_is_group(const uint8_t *address) { return address[0] & 1; }
static inline bool ethernet_address_is_broadcast(const uint8_t *address)
{
	return memcmp(address, ethernet_broadcast_address, ETHERNET_ADDRESS_LENGTH) == 0;
}

#endif
