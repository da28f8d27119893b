/* wire_check_udp.c - UDP input (RFC 768, net/udp/udp.c) fed literal
 * frames, with a real SOCK_DGRAM socket (net/udp/socket.c) bound to port
 * 5000: a datagram delivered to it, payload and sender intact, with or
 * without a checksum (0: none computed); the checklist (truncated, length
 * below the header or beyond the IP payload, bad checksum) one drop reason
 * each and nothing queued; a UDP length shorter than the IP payload cuts
 * the rest off (as Linux); no socket bound: ICMP port unreachable quoting
 * the datagram (RFC 1122 4.1.3.1), but never in answer to a broadcast
 * (RFC 1122 3.2.2). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "net/core/byteorder.h"
#include "net/core/drop.h"
#include "net/socket/sock.h"
#include "net/udp/udp.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

#define BOUND_PORT 5000
#define PEER_ADDRESS 0x0A630001u        /* 10.99.0.1, host order */
#define PEER_PORT 40000

/* ---- frames: us 10.99.0.2 at 02:00:00:00:00:02, the peer 10.99.0.1 at
 * 02:00:00:00:00:01 ---- */

/* a UDP datagram from 10.99.0.1:40000 to 10.99.0.2:5000, "ping" (60 bytes) */
static const uint8_t datagram_to_bound_port[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x5c, 0x74,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* the same datagram sent without a checksum (0: none computed, RFC 768) (60 bytes) */
static const uint8_t datagram_checksum_zero[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x00, 0x00,                                      /* UDP checksum 0: none computed (RFC 768) */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* the same datagram with its checksum off by one (60 bytes) */
static const uint8_t datagram_bad_checksum[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x5c, 0x75,                                      /* UDP checksum (WRONG: correct is 0x5c74) */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* a UDP header cut to 6 bytes: the IP payload ends there (60 bytes) */
static const uint8_t datagram_truncated[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x1a,                                      /* total length 26 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xec,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x08,                                      /* UDP length 8 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* UDP length 7: below the 8-byte header (60 bytes) */
static const uint8_t datagram_length_7[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x07,                                      /* UDP length 7: below the header */
	0x5c, 0x7e,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* UDP length 40 in an IP payload of 12 bytes (60 bytes) */
static const uint8_t datagram_length_40[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x28,                                      /* UDP length 40: the IP payload holds 12 */
	0x5c, 0x3c,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* UDP length 10 in an IP payload of 12 bytes: the datagram is "pi", the rest is cut off (60 bytes) */
static const uint8_t datagram_length_10[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x0a,                                      /* UDP length 10: 2 bytes of data, 2 more after it */
	0xca, 0xdf,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* a UDP datagram from 10.99.0.1:40000 to 10.99.0.2:7777, where nothing is bound (46 bytes) */
static const uint8_t datagram_to_closed_port[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x1e, 0x61,                                      /* UDP destination port 7777 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x51, 0x9b,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
};

/* our answer: port unreachable quoting the IP header, the UDP header and the data (74 bytes) */
static const uint8_t port_unreachable[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x3c,                                      /* total length 60 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x39,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x03,                                            /* ICMP type 3 (destination unreachable) */
	0x03,                                            /* ICMP code 3 (port unreachable) */
	0x11, 0xe3,                                      /* ICMP checksum */
	0x00, 0x00, 0x00, 0x00,                          /* unused, zero */
	0x45,                                            /* quoted version 4, IHL 5 (20 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x20,                                      /* quoted total length 32 */
	0x2b, 0x1f,                                      /* quoted identification 0x2b1f */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x11,                                            /* quoted protocol 17 (UDP) */
	0x3a, 0xe6,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x9c, 0x40,                                      /* quoted UDP source port 40000 */
	0x1e, 0x61,                                      /* quoted UDP destination port 7777 */
	0x00, 0x0c,                                      /* quoted UDP length 12 */
	0x51, 0x9b,                                      /* quoted UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* quoted data: "ping" */
};

/* a UDP datagram to 10.99.0.255:7777 in a broadcast frame (60 bytes) */
static const uint8_t datagram_to_subnet_broadcast[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x39, 0xe9,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0xff,                          /* destination 10.99.0.255: our subnet's broadcast */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x1e, 0x61,                                      /* UDP destination port 7777 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x50, 0x9e,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* a UDP datagram to 255.255.255.255:7777 in a broadcast frame (60 bytes) */
static const uint8_t datagram_to_limited_broadcast[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x45, 0x4b,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0xff, 0xff, 0xff, 0xff,                          /* destination 255.255.255.255: the limited broadcast */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x1e, 0x61,                                      /* UDP destination port 7777 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x5c, 0x00,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* a UDP datagram to 10.99.0.255:5000 in a broadcast frame (60 bytes) */
static const uint8_t datagram_to_broadcast_bound_port[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x2b, 0x1f,                                      /* identification 0x2b1f */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x11,                                            /* protocol 17 (UDP) */
	0x39, 0xe9,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0xff,                          /* destination 10.99.0.255: our subnet's broadcast */
	0x9c, 0x40,                                      /* UDP source port 40000 */
	0x13, 0x88,                                      /* UDP destination port 5000 */
	0x00, 0x0c,                                      /* UDP length 12 */
	0x5b, 0x77,                                      /* UDP checksum */
	0x70, 0x69, 0x6e, 0x67,                          /* data: "ping" */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding to 60 bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ---- the socket on port 5000, as an application's bind() makes it ---- */

static struct sock bound_socket;

static void bind_socket(void)
{
	bound_socket = (struct sock){ .ops = &udp_ops, .fd = -1 };
	EXPECT_EQ(udp_ops.create(&bound_socket), 0);
	const struct sock_endpoint local = { 0, htons(BOUND_PORT) };
	EXPECT_EQ(udp_ops.bind(&bound_socket, &local), 0);
}

static void close_socket(void)
{
	udp_ops.release(&bound_socket);
}

/* The next datagram the socket holds is data, from the peer's port 40000. */
static void expect_received(const char *data)
{
	uint8_t buffer[64];
	struct sock_endpoint from = { 0, 0 };
	long length = udp_ops.receive(&bound_socket, buffer, sizeof(buffer), 0, &from);
	EXPECT_EQ(length, strlen(data));
	EXPECT(length >= 0 && memcmp(buffer, data, (size_t)length) == 0);
	EXPECT_EQ(ntohl(from.address), PEER_ADDRESS);
	EXPECT_EQ(ntohs(from.port), PEER_PORT);
}

static void expect_nothing_received(void)
{
	uint8_t buffer[64];
	EXPECT_EQ(udp_ops.receive(&bound_socket, buffer, sizeof(buffer), 0, NULL), -EAGAIN);
}

/* ---- cases ---- */

static void delivered(const uint8_t *frame, unsigned length, const char *data)
{
	bind_socket();
	uint64_t wakes = wire_wakes();
	wire_receive(frame, length);
	EXPECT_EQ(wire_wakes(), wakes + 1);
	expect_received(data);
	expect_nothing_received();
	EXPECT_NO_DROPS();
	close_socket();
}

static void dropped(const uint8_t *frame, unsigned length, enum net_drop_reason reason)
{
	bind_socket();
	wire_receive(frame, length);
	EXPECT_DROPS(reason);
	expect_nothing_received();
	close_socket();
}

static void udp_delivered_to_bound_socket(void)
{
	delivered(datagram_to_bound_port, sizeof(datagram_to_bound_port), "ping");
}

static void udp_checksum_zero_accepted(void)
{
	delivered(datagram_checksum_zero, sizeof(datagram_checksum_zero), "ping");
}

/* RFC 1122 3.3.6: a host accepts broadcasts; a wildcard bind receives them. */
static void udp_broadcast_delivered(void)
{
	delivered(datagram_to_broadcast_bound_port, sizeof(datagram_to_broadcast_bound_port), "ping");
}

static void udp_length_shorter_than_payload(void)
{
	delivered(datagram_length_10, sizeof(datagram_length_10), "pi");
}

static void udp_truncated(void)
{
	dropped(datagram_truncated, sizeof(datagram_truncated), NET_DROP_UDP_TRUNCATED);
}

static void udp_length_below_header(void)
{
	dropped(datagram_length_7, sizeof(datagram_length_7), NET_DROP_UDP_BAD_LENGTH);
}

static void udp_length_beyond_payload(void)
{
	dropped(datagram_length_40, sizeof(datagram_length_40), NET_DROP_UDP_BAD_LENGTH);
}

static void udp_bad_checksum(void)
{
	dropped(datagram_bad_checksum, sizeof(datagram_bad_checksum), NET_DROP_UDP_BAD_CHECKSUM);
}

static void udp_no_socket_port_unreachable(void)
{
	peer_resolved();
	INJECT(datagram_to_closed_port);
	EXPECT_SENT(port_unreachable, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_DROPS(NET_DROP_UDP_NO_SOCKET);
}

static void udp_no_socket_broadcast_unanswered(void)
{
	peer_resolved();
	INJECT(datagram_to_subnet_broadcast);
	EXPECT_DROPS(NET_DROP_UDP_NO_SOCKET, NET_DROP_ICMP_ERROR_NOT_ALLOWED);
	INJECT(datagram_to_limited_broadcast);
	EXPECT_DROPS(NET_DROP_UDP_NO_SOCKET, NET_DROP_ICMP_ERROR_NOT_ALLOWED);
}

const struct wire_case wire_udp_cases[] = {
	{ "udp_delivered_to_bound_socket", udp_delivered_to_bound_socket },
	{ "udp_checksum_zero_accepted", udp_checksum_zero_accepted },
	{ "udp_broadcast_delivered", udp_broadcast_delivered },
	{ "udp_length_shorter_than_payload", udp_length_shorter_than_payload },
	{ "udp_truncated", udp_truncated },
	{ "udp_length_below_header", udp_length_below_header },
	{ "udp_length_beyond_payload", udp_length_beyond_payload },
	{ "udp_bad_checksum", udp_bad_checksum },
	{ "udp_no_socket_port_unreachable", udp_no_socket_port_unreachable },
	{ "udp_no_socket_broadcast_unanswered", udp_no_socket_broadcast_unanswered },
	{ NULL, NULL },
};
