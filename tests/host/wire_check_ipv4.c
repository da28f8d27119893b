/* wire_check_ipv4.c - IPv4 input (RFC 791, RFC 1122 3.2.1; net/ipv4/input.c)
 * fed literal frames: each check of the header checklist in its order, one
 * drop reason each and nothing sent; TTL as the code handles it (0 dropped,
 * RFC 1812 5.3.1; 1 delivered, RFC 1122 3.2.1.7); martian sources
 * silently discarded (RFC 1122 3.2.1.3); an unknown protocol answered by
 * ICMP protocol unreachable quoting the datagram (RFC 1122 3.2.2.1); and
 * Ethernet padding beyond the total length trimmed, not judged.
 *
 * Each datagram carries an ICMP echo request, so that one that passes the
 * checks is seen to: its reply goes out. */
#include <stdint.h>

#include "net/core/drop.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

/* ---- frames: us 10.99.0.2 at 02:00:00:00:00:02, the peer 10.99.0.1 at
 * 02:00:00:00:00:01 ---- */

/* ICMP echo request from the peer: ping -s 18 10.99.0.2 (60 bytes) */
static const uint8_t echo_request[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply to it (60 bytes) */
static const uint8_t echo_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x66, 0x07,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an IPv4 header of 19 bytes: the frame ends there (33 bytes) */
static const uint8_t header_cut_at_19[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00,                                /* destination 10.99.0.2 (cut after 3 of 4 bytes) */
};

/* version 6 behind EtherType IPv4 (60 bytes) */
static const uint8_t version_6[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x65,                                            /* version 6 (!), IHL 5 */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x29, 0xc1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* IHL 4: a 16-byte header, below RFC 791's minimum of 5 (60 bytes) */
static const uint8_t ihl_4[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x44,                                            /* version 4, IHL 4 (16 bytes): below the minimum 5 */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x4a, 0xc1,                                      /* header checksum (of 20 bytes) */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* IHL 15 in a 46-byte packet: the header would end beyond it (60 bytes) */
static const uint8_t ihl_beyond_packet[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x4f,                                            /* version 4, IHL 15 (60 bytes): beyond the 46-byte packet */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x3f, 0xc1,                                      /* header checksum (of 20 bytes) */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* the echo request with its header checksum off by one (60 bytes) */
static const uint8_t bad_header_checksum[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc0,                                      /* header checksum (WRONG: correct is 0x49c1) */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* total length 19, below the 20-byte header (60 bytes) */
static const uint8_t total_length_19[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x13,                                      /* total length 19: below IHL * 4 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xdc,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* total length 100 in a frame holding 46 bytes of IP (60 bytes) */
static const uint8_t total_length_beyond_frame[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x64,                                      /* total length 100: the frame holds 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0x8b,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* the echo request with a 24-byte header: IHL 6, options NOP NOP NOP END (64 bytes) */
static const uint8_t echo_request_with_options[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x46,                                            /* version 4, IHL 6 (24 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x32,                                      /* total length 50 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x46, 0xbc,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x01, 0x01, 0x01, 0x00,                          /* options: NOP, NOP, NOP, END (RFC 791 3.1) */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* the echo request with time to live 0 (60 bytes) */
static const uint8_t ttl_0[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x00,                                            /* time to live 0 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x89, 0xc1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* the echo request with time to live 1 (its last hop) (60 bytes) */
static const uint8_t ttl_1[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x01,                                            /* time to live 1 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x88, 0xc1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply to it, with our own TTL (60 bytes) */
static const uint8_t ttl_1_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x66, 0x07,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request to 10.99.0.9 in a frame to our MAC (60 bytes) */
static const uint8_t not_for_us[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xba,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x09,                          /* destination 10.99.0.9: not ours */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 0.0.0.7: 0/8, this network (60 bytes) */
static const uint8_t martian_this_network[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x54, 0x1e,                                      /* header checksum */
	0x00, 0x00, 0x00, 0x07,                          /* source 0.0.0.7: 0/8, this network */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 127.0.0.1: 127/8, loopback (60 bytes) */
static const uint8_t martian_loopback[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xd5, 0x23,                                      /* header checksum */
	0x7f, 0x00, 0x00, 0x01,                          /* source 127.0.0.1: 127/8, loopback */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 224.0.0.1: 224/4, multicast (60 bytes) */
static const uint8_t martian_multicast[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x74, 0x23,                                      /* header checksum */
	0xe0, 0x00, 0x00, 0x01,                          /* source 224.0.0.1: 224/4, multicast */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 240.0.0.1: 240/4, reserved (60 bytes) */
static const uint8_t martian_class_e[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x64, 0x23,                                      /* header checksum */
	0xf0, 0x00, 0x00, 0x01,                          /* source 240.0.0.1: 240/4, reserved */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 255.255.255.255: the limited broadcast (60 bytes) */
static const uint8_t martian_limited_broadcast[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x54, 0x25,                                      /* header checksum */
	0xff, 0xff, 0xff, 0xff,                          /* source 255.255.255.255: the limited broadcast */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 10.99.0.255: our subnet's broadcast (60 bytes) */
static const uint8_t martian_directed_broadcast[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x48, 0xc3,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0xff,                          /* source 10.99.0.255: our subnet's broadcast */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request from 10.99.0.2: our own address (LAND) (60 bytes) */
static const uint8_t martian_own_address[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc0,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2: our own address (LAND) */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* a datagram of protocol 253 from the peer (46 bytes) */
static const uint8_t protocol_253[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0xfd,                                            /* protocol 253 (RFC 3692 experiments): not spoken here */
	0x48, 0xd3,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x65, 0x78, 0x70, 0x65, 0x72, 0x69, 0x6d, 0x65,  /* data: "experiment!!" */
	0x6e, 0x74, 0x21, 0x21,
};

/* our answer: protocol unreachable quoting the whole datagram (74 bytes) */
static const uint8_t protocol_unreachable[] = {
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
	0x02,                                            /* ICMP code 2 (protocol unreachable) */
	0xb7, 0xbb,                                      /* ICMP checksum */
	0x00, 0x00, 0x00, 0x00,                          /* unused, zero */
	0x45,                                            /* quoted version 4, IHL 5 (20 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x20,                                      /* quoted total length 32 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0xfd,                                            /* quoted protocol 253 (RFC 3692 experiments): not spoken here */
	0x48, 0xd3,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x65, 0x78, 0x70, 0x65, 0x72, 0x69, 0x6d, 0x65,  /* quoted data: "experiment!!" */
	0x6e, 0x74, 0x21, 0x21,
};

/* an echo request without data (28 bytes of IP) padded to 60 with 0xee (60 bytes) */
static const uint8_t echo_request_padded[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x1c,                                      /* total length 28 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xd3,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0xe5, 0xca,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,  /* Ethernet padding beyond the total length: 0xee, not zeros */
	0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
	0xee, 0xee,
};

/* our echo reply: 28 bytes of IP, padded with zeros (60 bytes) */
static const uint8_t echo_reply_padded[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x1c,                                      /* total length 28 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x66, 0x19,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0xed, 0xca,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* Ethernet padding: zeros */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* a datagram of protocol 253 to our subnet's broadcast (46 bytes) */
static const uint8_t protocol_253_to_broadcast[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x20,                                      /* total length 32 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0xfd,                                            /* protocol 253 (RFC 3692 experiments): not spoken here */
	0x47, 0xd6,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0xff,                          /* destination 10.99.0.255: our subnet's broadcast */
	0x65, 0x78, 0x70, 0x65, 0x72, 0x69, 0x6d, 0x65,  /* data: "experiment!!" */
	0x6e, 0x74, 0x21, 0x21,
};

/* ---- cases ---- */

/* A malformed datagram: counted with reason, nothing answered. */
static void dropped(const uint8_t *frame, unsigned length, enum net_drop_reason reason)
{
	peer_resolved();
	wire_receive(frame, length);
	EXPECT_DROPS(reason);
}

#define DROPPED(frame, reason) dropped(frame, sizeof(frame), reason)

static void ipv4_valid_answered(void)
{
	peer_resolved();
	INJECT(echo_request);
	EXPECT_SENT(echo_reply, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* RFC 791 3.1: the data starts after IHL * 4 bytes; the reply carries no options. */
static void ipv4_options_skipped(void)
{
	peer_resolved();
	INJECT(echo_request_with_options);
	EXPECT_SENT(echo_reply, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

static void ipv4_too_short(void) { DROPPED(header_cut_at_19, NET_DROP_IP_TOO_SHORT); }
static void ipv4_version_6(void) { DROPPED(version_6, NET_DROP_IP_BAD_VERSION); }
static void ipv4_ihl_4(void) { DROPPED(ihl_4, NET_DROP_IP_BAD_IHL); }
static void ipv4_ihl_beyond_packet(void) { DROPPED(ihl_beyond_packet, NET_DROP_IP_HEADER_TRUNCATED); }
static void ipv4_bad_header_checksum(void) { DROPPED(bad_header_checksum, NET_DROP_IP_BAD_CHECKSUM); }
static void ipv4_total_length_below_header(void) { DROPPED(total_length_19, NET_DROP_IP_BAD_TOTAL_LENGTH); }
static void ipv4_total_length_beyond_frame(void) { DROPPED(total_length_beyond_frame, NET_DROP_IP_TRUNCATED); }
static void ipv4_ttl_0(void) { DROPPED(ttl_0, NET_DROP_IP_TTL_ZERO); }

/* RFC 1122 3.2.1.7: a host "MUST NOT discard a datagram just because it
 * was received with TTL less than 2". */
static void ipv4_ttl_1_delivered(void)
{
	peer_resolved();
	INJECT(ttl_1);
	EXPECT_SENT(ttl_1_reply, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* Not ours, and net.ipv4.ip_forward is 0 (the default, as Linux). */
static void ipv4_not_for_us(void) { DROPPED(not_for_us, NET_DROP_IP_FORWARD_DISABLED); }
static void ipv4_martian_this_network(void) { DROPPED(martian_this_network, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_loopback(void) { DROPPED(martian_loopback, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_multicast(void) { DROPPED(martian_multicast, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_class_e(void) { DROPPED(martian_class_e, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_limited_broadcast(void) { DROPPED(martian_limited_broadcast, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_directed_broadcast(void) { DROPPED(martian_directed_broadcast, NET_DROP_IP_MARTIAN_SOURCE); }
static void ipv4_martian_own_address(void) { DROPPED(martian_own_address, NET_DROP_IP_MARTIAN_SOURCE); }

static void ipv4_unknown_protocol(void)
{
	peer_resolved();
	INJECT(protocol_253);
	EXPECT_SENT(protocol_unreachable, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_DROPS(NET_DROP_IP_UNKNOWN_PROTOCOL);
}

/* RFC 1122 3.2.2: no ICMP error about a datagram sent to a broadcast. */
static void ipv4_unknown_protocol_broadcast_unanswered(void)
{
	peer_resolved();
	INJECT(protocol_253_to_broadcast);
	EXPECT_DROPS(NET_DROP_IP_UNKNOWN_PROTOCOL, NET_DROP_ICMP_ERROR_NOT_ALLOWED);
}

/* The 0xee padding would break the ICMP checksum were it kept. */
static void ipv4_ethernet_padding_trimmed(void)
{
	peer_resolved();
	INJECT(echo_request_padded);
	EXPECT_SENT(echo_reply_padded, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

const struct wire_case wire_ipv4_cases[] = {
	{ "ipv4_valid_answered", ipv4_valid_answered },
	{ "ipv4_options_skipped", ipv4_options_skipped },
	{ "ipv4_too_short", ipv4_too_short },
	{ "ipv4_version_6", ipv4_version_6 },
	{ "ipv4_ihl_4", ipv4_ihl_4 },
	{ "ipv4_ihl_beyond_packet", ipv4_ihl_beyond_packet },
	{ "ipv4_bad_header_checksum", ipv4_bad_header_checksum },
	{ "ipv4_total_length_below_header", ipv4_total_length_below_header },
	{ "ipv4_total_length_beyond_frame", ipv4_total_length_beyond_frame },
	{ "ipv4_ttl_0", ipv4_ttl_0 },
	{ "ipv4_ttl_1_delivered", ipv4_ttl_1_delivered },
	{ "ipv4_not_for_us", ipv4_not_for_us },
	{ "ipv4_martian_this_network", ipv4_martian_this_network },
	{ "ipv4_martian_loopback", ipv4_martian_loopback },
	{ "ipv4_martian_multicast", ipv4_martian_multicast },
	{ "ipv4_martian_class_e", ipv4_martian_class_e },
	{ "ipv4_martian_limited_broadcast", ipv4_martian_limited_broadcast },
	{ "ipv4_martian_directed_broadcast", ipv4_martian_directed_broadcast },
	{ "ipv4_martian_own_address", ipv4_martian_own_address },
	{ "ipv4_unknown_protocol", ipv4_unknown_protocol },
	{ "ipv4_unknown_protocol_broadcast_unanswered", ipv4_unknown_protocol_broadcast_unanswered },
	{ "ipv4_ethernet_padding_trimmed", ipv4_ethernet_padding_trimmed },
	{ NULL, NULL },
};
