/* arp.h - ARP packets for IPv4 over Ethernet (RFC 826). */
#ifndef KEEL_NET_WIRE_ARP_H
#define KEEL_NET_WIRE_ARP_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/wire/ethernet.h"

#define ARP_HARDWARE_ETHERNET 1   /* RFC 826 ar$hrd; IANA "Hardware Types" */
#define ARP_OPERATION_REQUEST 1
#define ARP_OPERATION_REPLY 2

/* RFC 826 "Packet format", with hln = 6 and pln = 4. */
struct arp_packet {
	be16 hardware_type;
	be16 protocol_type;
	uint8_t hardware_length;
	uint8_t protocol_length;
	be16 operation;
	uint8_t sender_mac[ETHERNET_ADDRESS_LENGTH];
	be32 sender_ip;
	uint8_t target_mac[ETHERNET_ADDRESS_LENGTH];
	be32 target_ip;
} __attribute__((packed));
#define ARP_PACKET_LENGTH 28
_Static_assert(sizeof(struct arp_packet) == ARP_PACKET_LENGTH, "ARP for IPv4 over Ethernet is 28 bytes");

/* The packet at pkt->data, or NULL when shorter than one. */
static inline struct arp_packet *arp_packet_view(const struct pkt *pkt)
{
	return pkt->length >= ARP_PACKET_LENGTH ? (struct arp_packet *)pkt->data : NULL;
}

#endif
