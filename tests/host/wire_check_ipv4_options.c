/* wire_check_ipv4_options.c - received IPv4 options (RFC 791 3.1, RFC 1812
 * 4.2.2; net/ipv4/options.c) fed literal echo requests, judged as Linux's
 * ip_options_compile / ip_options_echo judge them for the local host:
 * each kind of malformed options area (a Router Alert of length 3 among
 * them) dropped (ip_bad_options) and answered with ICMP parameter problem
 * (RFC 792) whose pointer names the bad octet,
 * counted from the IP header's first byte; loose and strict source routes
 * dropped silently (ip_source_route, net.ipv4.conf.all.accept_source_route
 * = 0 as Linux's default); Record Route and Timestamp accepted, carried back
 * in the echo reply (and in an ICMP error) with our hop recorded coming in
 * and going out; a full Timestamp option only bumping its overflow count. */
#include <stdint.h>

#include "net/core/drop.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

/* ---- frames: us 10.99.0.2 at 02:00:00:00:00:02, the peer 10.99.0.1 at
 * 02:00:00:00:00:01; every request is ping's 18 bytes "abcdefghijklmnopqr" ---- */

/* an echo request whose Record Route option says length 1, less than its type and length bytes (68 bytes) */
static const uint8_t option_length_1[] = {
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
	0x41, 0xbc,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x07, 0x01, 0x00, 0x00,                          /* options: Record Route (7), length 1 (!), END, END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 20, the datagram quoted whole (97 bytes) */
static const uint8_t option_length_1_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x4e,                                      /* total length 78 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x27,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdf, 0xff,                                      /* ICMP checksum */
	0x14, 0x00, 0x00, 0x00,                          /* pointer 20 (the bad octet, from the IP header), unused */
	0x46,                                            /* quoted version 4, IHL 6 (24 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x32,                                      /* quoted total length 50 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0x41, 0xbc,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x07, 0x01, 0x00, 0x00,                          /* quoted options: Record Route (7), length 1 (!), END, END */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with an option of unknown type 30 (RFC 4727 experiment) and length 0 (68 bytes) */
static const uint8_t option_unknown_length_0[] = {
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
	0x2a, 0xbd,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x1e, 0x00, 0x00, 0x00,                          /* options: type 30, length 0 (!), END, END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 20, the datagram quoted whole (97 bytes) */
static const uint8_t option_unknown_length_0_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x4e,                                      /* total length 78 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x27,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdf, 0xff,                                      /* ICMP checksum */
	0x14, 0x00, 0x00, 0x00,                          /* pointer 20 (the bad octet, from the IP header), unused */
	0x46,                                            /* quoted version 4, IHL 6 (24 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x32,                                      /* quoted total length 50 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0x2a, 0xbd,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x1e, 0x00, 0x00, 0x00,                          /* quoted options: type 30, length 0 (!), END, END */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request whose Record Route option runs past the 4-byte options area (68 bytes) */
static const uint8_t option_beyond_header[] = {
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
	0x40, 0xb1,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x01, 0x01, 0x07, 0x0b,                          /* options: NOP, NOP, Record Route, length 11 (!): 2 bytes left */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 22, the datagram quoted whole (97 bytes) */
static const uint8_t option_beyond_header_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x4e,                                      /* total length 78 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x27,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdd, 0xff,                                      /* ICMP checksum */
	0x16, 0x00, 0x00, 0x00,                          /* pointer 22 (the bad octet, from the IP header), unused */
	0x46,                                            /* quoted version 4, IHL 6 (24 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x32,                                      /* quoted total length 50 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0x40, 0xb1,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x01, 0x01, 0x07, 0x0b,                          /* quoted options: NOP, NOP, Record Route, length 11 (!): 2 bytes left */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request whose Timestamp option points at 4, below its minimum 5 (76 bytes) */
static const uint8_t option_timestamp_pointer_4[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x48,                                            /* version 4, IHL 8 (32 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3a,                                      /* total length 58 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xfe, 0xa8,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x44, 0x0c, 0x04, 0x00,                          /* options: Timestamp (68), length 12, pointer 4 (!), flags 0 */
	0x00, 0x00, 0x00, 0x00,                          /* option: first timestamp slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* option: second timestamp slot, empty */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 22, the datagram quoted whole (105 bytes) */
static const uint8_t option_timestamp_pointer_4_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x56,                                      /* total length 86 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x1f,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdd, 0xff,                                      /* ICMP checksum */
	0x16, 0x00, 0x00, 0x00,                          /* pointer 22 (the bad octet, from the IP header), unused */
	0x48,                                            /* quoted version 4, IHL 8 (32 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x3a,                                      /* quoted total length 58 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0xfe, 0xa8,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x44, 0x0c, 0x04, 0x00,                          /* quoted options: Timestamp (68), length 12, pointer 4 (!), flags 0 */
	0x00, 0x00, 0x00, 0x00,                          /* quoted option: first timestamp slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* quoted option: second timestamp slot, empty */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request whose options area ends with an option type and no length (68 bytes) */
static const uint8_t option_truncated[] = {
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
	0x46, 0xb5,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x01, 0x01, 0x01, 0x07,                          /* options: NOP, NOP, NOP, Record Route (7) with no length byte (!) */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 23, the datagram quoted whole (97 bytes) */
static const uint8_t option_truncated_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x4e,                                      /* total length 78 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x27,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdc, 0xff,                                      /* ICMP checksum */
	0x17, 0x00, 0x00, 0x00,                          /* pointer 23 (the bad octet, from the IP header), unused */
	0x46,                                            /* quoted version 4, IHL 6 (24 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x32,                                      /* quoted total length 50 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0x46, 0xb5,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x01, 0x01, 0x01, 0x07,                          /* quoted options: NOP, NOP, NOP, Record Route (7) with no length byte (!) */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with a full Timestamp option whose overflow count is 15 already (72 bytes) */
static const uint8_t option_timestamp_overflow_15[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x47,                                            /* version 4, IHL 7 (28 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x36,                                      /* total length 54 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xf9, 0xbf,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x44, 0x08, 0x09, 0xf0,                          /* options: Timestamp (68), length 8, pointer 9 (full), overflow 15 (!), flags 0 */
	0x00, 0x00, 0x00, 0x01,                          /* option: the one timestamp slot, filled */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 23, the datagram quoted whole (101 bytes) */
static const uint8_t option_timestamp_overflow_15_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x52,                                      /* total length 82 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x23,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xdc, 0xff,                                      /* ICMP checksum */
	0x17, 0x00, 0x00, 0x00,                          /* pointer 23 (the bad octet, from the IP header), unused */
	0x47,                                            /* quoted version 4, IHL 7 (28 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x36,                                      /* quoted total length 54 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0xf9, 0xbf,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x44, 0x08, 0x09, 0xf0,                          /* quoted options: Timestamp (68), length 8, pointer 9 (full), overflow 15 (!), flags 0 */
	0x00, 0x00, 0x00, 0x01,                          /* quoted option: the one timestamp slot, filled */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with a loose source route through 10.99.0.3 (72 bytes) */
static const uint8_t option_loose_source_route[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x47,                                            /* version 4, IHL 7 (28 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x36,                                      /* total length 54 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x5a, 0xa7,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x83, 0x07, 0x04, 0x0a,                          /* options: loose source route (131), length 7, pointer 4, route: 10. */
	0x63, 0x00, 0x03, 0x00,                          /* option: .99.0.3, then END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with a strict source route through 10.99.0.3 (72 bytes) */
static const uint8_t option_strict_source_route[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x47,                                            /* version 4, IHL 7 (28 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x36,                                      /* total length 54 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x54, 0xa7,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x89, 0x07, 0x04, 0x0a,                          /* options: strict source route (137), length 7, pointer 4, route: 10. */
	0x63, 0x00, 0x03, 0x00,                          /* option: .99.0.3, then END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request whose Record Route holds one slot and three bytes: our
 * input hop fills the slot, and the output hop of the reply would leave
 * part of a slot, so no reply goes out (Linux's ip_options_echo -EINVAL) (72 bytes) */
static const uint8_t option_record_route_partial_slot[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x48,                                            /* version 4, IHL 8 (32 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3a,                                      /* total length 58 */
	0x1c, 0x47,                                      /* identification 0x1c47 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x3b, 0xaa,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x07, 0x0a, 0x04,                                /* options: Record Route (7), length 10, pointer 4 */
	0x00, 0x00, 0x00, 0x00,                          /* option: first slot, empty */
	0x00, 0x00, 0x00,                                /* option: three bytes, not a slot */
	0x00, 0x00,                                      /* options: END, padding */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with Record Route (ping -R), the peer's own hop recorded (80 bytes) */
static const uint8_t option_record_route[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x49,                                            /* version 4, IHL 9 (36 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3e,                                      /* total length 62 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xd2, 0x97,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x07, 0x0f, 0x08,                                /* options: Record Route (7), length 15, pointer 8 */
	0x0a, 0x63, 0x00, 0x01,                          /* option: first slot 10.99.0.1 (the peer, recorded on its way out) */
	0x00, 0x00, 0x00, 0x00,                          /* option: second slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* option: third slot, empty */
	0x00,                                            /* options: END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply: the Record Route option carried back with our two hops (79 bytes) */
static const uint8_t option_record_route_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x49,                                            /* version 4, IHL 9 (36 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3e,                                      /* total length 62 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x1c, 0xc9,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x07, 0x0f, 0x10,                                /* options: Record Route (7), length 15, pointer 16 (full) */
	0x0a, 0x63, 0x00, 0x01,                          /* option: first slot 10.99.0.1 (the peer) */
	0x0a, 0x63, 0x00, 0x02,                          /* option: second slot 10.99.0.2 (our hop in) */
	0x0a, 0x63, 0x00, 0x02,                          /* option: third slot 10.99.0.2 (our hop out) */
	0x00,                                            /* options: END */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with a Timestamp option of two empty slots (76 bytes) */
static const uint8_t option_timestamp[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x48,                                            /* version 4, IHL 8 (32 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3a,                                      /* total length 58 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xfd, 0xa8,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x44, 0x0c, 0x05, 0x00,                          /* options: Timestamp (68), length 12, pointer 5, overflow 0, flags 0 */
	0x00, 0x00, 0x00, 0x00,                          /* option: first slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* option: second slot, empty */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply: both slots filled with our time (75 bytes) */
static const uint8_t option_timestamp_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x48,                                            /* version 4, IHL 8 (32 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x3a,                                      /* total length 58 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xb3, 0x5e,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x44, 0x0c, 0x0d, 0x00,                          /* options: Timestamp (68), length 12, pointer 13 (full), overflow 0, flags 0 */
	0x02, 0xb3, 0x2c, 0x95,                          /* option: first slot 45296789 ms after midnight UT (our hop in) */
	0x02, 0xb3, 0x2c, 0x95,                          /* option: second slot, the same time (our hop out) */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with a full Timestamp option that has overflowed twice (72 bytes) */
static const uint8_t option_timestamp_full[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x47,                                            /* version 4, IHL 7 (28 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x36,                                      /* total length 54 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0xfa, 0x8f,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x44, 0x08, 0x09, 0x20,                          /* options: Timestamp (68), length 8, pointer 9 (full), overflow 2, flags 0 */
	0x00, 0x00, 0x00, 0x01,                          /* option: the one slot, filled by an earlier hop */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply: only the overflow count moved (71 bytes) */
static const uint8_t option_timestamp_full_reply[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x47,                                            /* version 4, IHL 7 (28 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x36,                                      /* total length 54 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x16, 0xc6,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x44, 0x08, 0x09, 0x30,                          /* options: Timestamp (68), length 8, pointer 9, overflow 3 (bumped), flags 0 */
	0x00, 0x00, 0x00, 0x01,                          /* option: the one slot, unchanged */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request whose Router Alert option (RFC 2113) says length 3, not 4 (68 bytes) */
static const uint8_t option_router_alert_length_3[] = {
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
	0xb4, 0xb9,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x94, 0x03, 0x00, 0x00,                          /* options: Router Alert (148), length 3 (!), value 0 cut short, END */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our parameter problem about it, pointer 21, the datagram quoted whole (97 bytes) */
static const uint8_t option_router_alert_length_3_problem[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x4e,                                      /* total length 78 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x65, 0x27,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x0c,                                            /* ICMP type 12 (parameter problem) */
	0x00,                                            /* ICMP code 0 (pointer indicates the error) */
	0xde, 0xff,                                      /* ICMP checksum */
	0x15, 0x00, 0x00, 0x00,                          /* pointer 21 (the bad octet, from the IP header), unused */
	0x46,                                            /* quoted version 4, IHL 6 (24 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x32,                                      /* quoted total length 50 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0x01,                                            /* quoted protocol 1 (ICMP) */
	0xb4, 0xb9,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x94, 0x03, 0x00, 0x00,                          /* quoted options: Router Alert (148), length 3 (!), value 0 cut short, END */
	0x08,                                            /* quoted ICMP type 8 (echo request) */
	0x00,                                            /* quoted ICMP code 0 */
	0x31, 0x0d,                                      /* quoted ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* quoted identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* quoted data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* a datagram of protocol 253 with Record Route of three empty slots (65 bytes) */
static const uint8_t protocol_253_record_route[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x49,                                            /* version 4, IHL 9 (36 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x30,                                      /* total length 48 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0xfd,                                            /* protocol 253 (RFC 3692 experiments): not spoken here */
	0x39, 0xb4,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x07, 0x0f, 0x04,                                /* options: Record Route (7), length 15, pointer 4 */
	0x00, 0x00, 0x00, 0x00,                          /* option: first slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* option: second slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* option: third slot, empty */
	0x00,                                            /* options: END */
	0x65, 0x78, 0x70, 0x65, 0x72, 0x69, 0x6d, 0x65,  /* data: "experiment!!" */
	0x6e, 0x74, 0x21, 0x21,
};

/* our protocol unreachable: the Record Route carried back with our hops in
 * and out, the datagram quoted as input recorded it (its header checksum
 * made right again) (110 bytes) */
static const uint8_t protocol_253_record_route_unreachable[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x49,                                            /* version 4, IHL 9 (36 bytes) */
	0xc0,                                            /* type of service 0xc0: precedence 6 (RFC 1812 4.3.2.7) */
	0x00, 0x5c,                                      /* total length 92 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x83, 0xf5,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x07, 0x0f, 0x0c,                                /* options: Record Route (7), length 15, pointer 12 */
	0x0a, 0x63, 0x00, 0x02,                          /* option: first slot 10.99.0.2 (our hop in) */
	0x0a, 0x63, 0x00, 0x02,                          /* option: second slot 10.99.0.2 (our hop out) */
	0x00, 0x00, 0x00, 0x00,                          /* option: third slot, empty */
	0x00,                                            /* options: END */
	0x03,                                            /* ICMP type 3 (destination unreachable) */
	0x02,                                            /* ICMP code 2 (protocol unreachable) */
	0xb7, 0xbb,                                      /* ICMP checksum */
	0x00, 0x00, 0x00, 0x00,                          /* unused, zero */
	0x49,                                            /* quoted version 4, IHL 9 (36 bytes) */
	0x00,                                            /* quoted type of service 0x00 */
	0x00, 0x30,                                      /* quoted total length 48 */
	0x1c, 0x46,                                      /* quoted identification 0x1c46 */
	0x00, 0x00,                                      /* quoted flags 0, fragment offset 0 */
	0x40,                                            /* quoted time to live 64 */
	0xfd,                                            /* quoted protocol 253 (RFC 3692 experiments): not spoken here */
	0xd0, 0xa9,                                      /* quoted header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* quoted source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted destination 10.99.0.2 */
	0x07, 0x0f, 0x08,                                /* quoted options: Record Route, length 15, pointer 8 */
	0x0a, 0x63, 0x00, 0x02,                          /* quoted option: first slot 10.99.0.2 (our hop in) */
	0x00, 0x00, 0x00, 0x00,                          /* quoted option: second slot, empty */
	0x00, 0x00, 0x00, 0x00,                          /* quoted option: third slot, empty */
	0x00,                                            /* quoted options: END */
	0x65, 0x78, 0x70, 0x65, 0x72, 0x69, 0x6d, 0x65,  /* quoted data: "experiment!!" */
	0x6e, 0x74, 0x21, 0x21,
};

/* ---- cases ---- */

/* A malformed options area: dropped, answered with parameter problem. */
static void refused(const uint8_t *frame, unsigned frame_length, const uint8_t *problem, unsigned problem_length)
{
	peer_resolved();
	wire_receive(frame, frame_length);
	expect_sent(__FILE__, __LINE__, problem, problem_length, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_DROPS(NET_DROP_IP_BAD_OPTIONS);
}

#define REFUSED(frame) refused(frame, sizeof(frame), frame##_problem, sizeof(frame##_problem))

/* Answered with these options in the reply. */
static void answered(const uint8_t *frame, unsigned frame_length, const uint8_t *reply, unsigned reply_length)
{
	peer_resolved();
	wire_receive(frame, frame_length);
	expect_sent(__FILE__, __LINE__, reply, reply_length, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

#define ANSWERED(frame) answered(frame, sizeof(frame), frame##_reply, sizeof(frame##_reply))

static void ipv4_option_length_1(void) { REFUSED(option_length_1); }
static void ipv4_option_unknown_length_0(void) { REFUSED(option_unknown_length_0); }
static void ipv4_option_beyond_header(void) { REFUSED(option_beyond_header); }
static void ipv4_option_timestamp_pointer_4(void) { REFUSED(option_timestamp_pointer_4); }
static void ipv4_option_truncated(void) { REFUSED(option_truncated); }
static void ipv4_option_timestamp_overflow_15(void) { REFUSED(option_timestamp_overflow_15); }
static void ipv4_option_router_alert_length_3(void) { REFUSED(option_router_alert_length_3); }

/* Linux drops source-routed datagrams without a word when
 * accept_source_route is 0: no parameter problem. */
static void ipv4_option_loose_source_route_dropped(void)
{
	peer_resolved();
	INJECT(option_loose_source_route);
	EXPECT_DROPS(NET_DROP_IP_SOURCE_ROUTE);
}

static void ipv4_option_strict_source_route_dropped(void)
{
	peer_resolved();
	INJECT(option_strict_source_route);
	EXPECT_DROPS(NET_DROP_IP_SOURCE_ROUTE);
}

static void ipv4_option_record_route_echoed(void) { ANSWERED(option_record_route); }
static void ipv4_option_timestamp_echoed(void) { ANSWERED(option_timestamp); }
static void ipv4_option_timestamp_full_overflow_bumped(void) { ANSWERED(option_timestamp_full); }

static void ipv4_option_record_route_no_room_for_reply(void)
{
	peer_resolved();
	INJECT(option_record_route_partial_slot);
	EXPECT_DROPS(NET_DROP_ICMP_ECHO_OPTIONS);
}

/* ICMP errors carry the options back too (Linux's icmp_send). */
static void ipv4_option_record_route_in_icmp_error(void)
{
	peer_resolved();
	INJECT(protocol_253_record_route);
	EXPECT_SENT(protocol_253_record_route_unreachable, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_DROPS(NET_DROP_IP_UNKNOWN_PROTOCOL);
}

const struct wire_case wire_ipv4_options_cases[] = {
	{ "ipv4_option_length_1", ipv4_option_length_1 },
	{ "ipv4_option_unknown_length_0", ipv4_option_unknown_length_0 },
	{ "ipv4_option_beyond_header", ipv4_option_beyond_header },
	{ "ipv4_option_timestamp_pointer_4", ipv4_option_timestamp_pointer_4 },
	{ "ipv4_option_truncated", ipv4_option_truncated },
	{ "ipv4_option_timestamp_overflow_15", ipv4_option_timestamp_overflow_15 },
	{ "ipv4_option_router_alert_length_3", ipv4_option_router_alert_length_3 },
	{ "ipv4_option_loose_source_route_dropped", ipv4_option_loose_source_route_dropped },
	{ "ipv4_option_strict_source_route_dropped", ipv4_option_strict_source_route_dropped },
	{ "ipv4_option_record_route_echoed", ipv4_option_record_route_echoed },
	{ "ipv4_option_timestamp_echoed", ipv4_option_timestamp_echoed },
	{ "ipv4_option_timestamp_full_overflow_bumped", ipv4_option_timestamp_full_overflow_bumped },
	{ "ipv4_option_record_route_no_room_for_reply", ipv4_option_record_route_no_room_for_reply },
	{ "ipv4_option_record_route_in_icmp_error", ipv4_option_record_route_in_icmp_error },
	{ NULL, NULL },
};
