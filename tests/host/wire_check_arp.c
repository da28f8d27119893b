/* wire_check_arp.c - ARP (RFC 826, net/ethernet/arp.c) fed literal frames:
 * the input checklist in its order (truncated, format, operation, group
 * sender, not for us, address conflict), one drop reason each and nothing
 * sent; a request for our address answered with the exact reply (RFC 826:
 * "Swap hardware and protocol fields, putting the local hardware and
 * protocol addresses in the sender fields. Set the ar$op field to
 * ares_op$REPLY"); a reply to our own request filling the cache, so that
 * the packet that waited for it goes out; no reply: the retries, then the
 * drop. */
#include <stdint.h>

#include "net/core/drop.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

#define SECOND 1000000000ull

/* ---- frames: us 10.99.0.2 at 02:00:00:00:00:02, the peer 10.99.0.1 at
 * 02:00:00:00:00:01, another host 10.99.0.7 at 02:00:00:00:00:07 ---- */

/* who-has 10.99.0.2 tell 10.99.0.1: the peer asks for our MAC (60 bytes) */
static const uint8_t request_for_us[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* 10.99.0.2 is-at 02:00:00:00:00:02, to the asker (60 bytes) */
static const uint8_t reply_to_peer[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x02,                                      /* operation 2 (reply) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* sender hardware address: our MAC */
	0x0a, 0x63, 0x00, 0x02,                          /* sender protocol address: 10.99.0.2, ours */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* target hardware address: the asker's */
	0x0a, 0x63, 0x00, 0x01,                          /* target protocol address: the asker's */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* padding to 60 bytes: zeros */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* the request cut to 27 of its 28 ARP bytes, frame not padded (41 bytes) */
static const uint8_t request_truncated[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00,                                /* target protocol address, cut after 3 of its 4 bytes */
};

/* hardware type 6 (IEEE 802 networks), not Ethernet (60 bytes) */
static const uint8_t request_hardware_type_6[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x06,                                      /* hardware type 6 (IEEE 802): not ours */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* protocol type 0x86dd: ARP for IPv6 addresses does not exist (60 bytes) */
static const uint8_t request_protocol_type_ipv6[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x86, 0xdd,                                      /* protocol type 0x86dd (IPv6): not ours */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* hardware address length 8 on Ethernet (60 bytes) */
static const uint8_t request_hardware_length_8[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x08,                                            /* hardware address length 8: Ethernet's are 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* protocol address length 16 for IPv4 (60 bytes) */
static const uint8_t request_protocol_length_16[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x10,                                            /* protocol address length 16: IPv4's are 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* operation 3 (RARP request, RFC 903): not ARP's (60 bytes) */
static const uint8_t request_opcode_3[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x03,                                      /* operation 3 (RARP request): neither request nor reply */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* a request whose sender MAC is a multicast (group) address (60 bytes) */
static const uint8_t request_group_sender[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x01, 0x00, 0x5e, 0x00, 0x00, 0x01,              /* Ethernet source 01:00:5e:00:00:01 (multicast) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x01, 0x00, 0x5e, 0x00, 0x00, 0x01,              /* sender hardware address 01:00:5e:00:00:01: group bit set */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address 10.99.0.2 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* who-has 10.99.0.9 tell 10.99.0.1: not our address (60 bytes) */
static const uint8_t request_for_other[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* sender hardware address 02:00:00:00:00:01 */
	0x0a, 0x63, 0x00, 0x01,                          /* sender protocol address 10.99.0.1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x09,                          /* target protocol address 10.99.0.9: not ours */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* who-has 10.99.0.1 tell 10.99.0.2 from another MAC: someone claims our address (60 bytes) */
static const uint8_t request_claiming_us[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x66,              /* Ethernet source 02:00:00:00:00:66 (an impostor) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x66,              /* sender hardware address 02:00:00:00:00:66: not ours */
	0x0a, 0x63, 0x00, 0x02,                          /* sender protocol address 10.99.0.2: OURS */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address 00:00:00:00:00:00 */
	0x0a, 0x63, 0x00, 0x01,                          /* target protocol address 10.99.0.1 */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,  /* padding to 60 bytes, non-zero as some NICs leave it */
	0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
	0xa5, 0xa5,
};

/* who-has 10.99.0.7 tell 10.99.0.2: our request for the next hop (60 bytes) */
static const uint8_t request_from_us[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x01,                                      /* operation 1 (request) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* sender hardware address: our MAC */
	0x0a, 0x63, 0x00, 0x02,                          /* sender protocol address: 10.99.0.2, ours */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,              /* target hardware address: unknown, zeros */
	0x0a, 0x63, 0x00, 0x07,                          /* target protocol address 10.99.0.7: whom we look for */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* padding to 60 bytes: zeros */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* 10.99.0.7 is-at 02:00:00:00:00:07: the answer to our request (60 bytes) */
static const uint8_t reply_from_other[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* Ethernet source 02:00:00:00:00:07 (10.99.0.7's) */
	0x08, 0x06,                                      /* EtherType 0x0806 (ARP) */
	0x00, 0x01,                                      /* hardware type 1 (Ethernet) */
	0x08, 0x00,                                      /* protocol type 0x0800 (IPv4) */
	0x06,                                            /* hardware address length 6 */
	0x04,                                            /* protocol address length 4 */
	0x00, 0x02,                                      /* operation 2 (reply) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* sender hardware address 02:00:00:00:00:07 */
	0x0a, 0x63, 0x00, 0x07,                          /* sender protocol address 10.99.0.7 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* target hardware address: our MAC */
	0x0a, 0x63, 0x00, 0x02,                          /* target protocol address: 10.99.0.2, ours */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* an echo request from 10.99.0.7, whose MAC we do not know yet (60 bytes) */
static const uint8_t echo_request_from_other[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* Ethernet source 02:00:00:00:00:07 (10.99.0.7's) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xbb,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x07,                          /* source 10.99.0.7 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x3c, 0x3a,                                      /* ICMP checksum */
	0x07, 0x07, 0x00, 0x01,                          /* identifier 0x0707, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply to 10.99.0.7, sent once its MAC is known (60 bytes) */
static const uint8_t echo_reply_to_other[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x07,              /* Ethernet destination 02:00:00:00:00:07 (10.99.0.7, by ARP) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x66, 0x01,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x07,                          /* destination 10.99.0.7 */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x44, 0x3a,                                      /* ICMP checksum */
	0x07, 0x07, 0x00, 0x01,                          /* identifier 0x0707, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* ---- cases ---- */

static void arp_request_reply(void)
{
	INJECT(request_for_us);
	EXPECT_SENT(reply_to_peer, FRAME_EXACT);
	EXPECT_NO_DROPS();
}

static void arp_truncated(void)
{
	INJECT(request_truncated);
	EXPECT_DROPS(NET_DROP_ARP_TRUNCATED);
}

static void arp_bad_hardware_type(void)
{
	INJECT(request_hardware_type_6);
	EXPECT_DROPS(NET_DROP_ARP_BAD_FORMAT);
}

static void arp_bad_protocol_type(void)
{
	INJECT(request_protocol_type_ipv6);
	EXPECT_DROPS(NET_DROP_ARP_BAD_FORMAT);
}

static void arp_bad_hardware_length(void)
{
	INJECT(request_hardware_length_8);
	EXPECT_DROPS(NET_DROP_ARP_BAD_FORMAT);
}

static void arp_bad_protocol_length(void)
{
	INJECT(request_protocol_length_16);
	EXPECT_DROPS(NET_DROP_ARP_BAD_FORMAT);
}

static void arp_bad_opcode(void)
{
	INJECT(request_opcode_3);
	EXPECT_DROPS(NET_DROP_ARP_BAD_OPCODE);
}

static void arp_group_sender(void)
{
	INJECT(request_group_sender);
	EXPECT_DROPS(NET_DROP_ARP_BAD_SENDER);
}

static void arp_not_for_us(void)
{
	INJECT(request_for_other);
	EXPECT_DROPS(NET_DROP_ARP_NOT_FOR_US);
}

static void arp_address_conflict(void)
{
	INJECT(request_claiming_us);
	EXPECT_DROPS(NET_DROP_ARP_ADDRESS_CONFLICT);
}

/* Our echo reply to an unknown neighbour waits for ARP: the request goes
 * out, the reply fills the cache, the waiting packet leaves to the MAC it
 * gave; the next reply needs no request. */
static void arp_reply_fills_cache(void)
{
	INJECT(echo_request_from_other);
	EXPECT_SENT(request_from_us, FRAME_EXACT);
	EXPECT_NOTHING_SENT();
	INJECT(reply_from_other);
	EXPECT_SENT(echo_reply_to_other, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	INJECT(echo_request_from_other);
	EXPECT_SENT(echo_reply_to_other, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* No answer: the request is sent ARP_REQUEST_TRIES times, a second apart,
 * then the waiting packet is dropped (net/ethernet/arp_cache.h). */
static void arp_unresolved_gives_up(void)
{
	INJECT(echo_request_from_other);
	EXPECT_SENT(request_from_us, FRAME_EXACT);
	host_time_advance(SECOND);
	EXPECT_SENT(request_from_us, FRAME_EXACT);
	host_time_advance(SECOND);
	EXPECT_SENT(request_from_us, FRAME_EXACT);
	EXPECT_NO_DROPS();
	host_time_advance(SECOND);
	EXPECT_NOTHING_SENT();
	EXPECT_DROPS(NET_DROP_ARP_UNRESOLVED);
}

const struct wire_case wire_arp_cases[] = {
	{ "arp_request_reply", arp_request_reply },
	{ "arp_truncated", arp_truncated },
	{ "arp_bad_hardware_type", arp_bad_hardware_type },
	{ "arp_bad_protocol_type", arp_bad_protocol_type },
	{ "arp_bad_hardware_length", arp_bad_hardware_length },
	{ "arp_bad_protocol_length", arp_bad_protocol_length },
	{ "arp_bad_opcode", arp_bad_opcode },
	{ "arp_group_sender", arp_group_sender },
	{ "arp_not_for_us", arp_not_for_us },
	{ "arp_address_conflict", arp_address_conflict },
	{ "arp_reply_fills_cache", arp_reply_fills_cache },
	{ "arp_unresolved_gives_up", arp_unresolved_gives_up },
	{ NULL, NULL },
};
