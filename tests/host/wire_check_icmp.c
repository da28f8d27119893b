/* wire_check_icmp.c - ICMP (RFC 792, RFC 1122 3.2.2; net/ipv4/icmp.c) fed
 * literal frames: an echo request answered by the exact echo reply
 * (identifier, sequence number and data echoed, checksum right); the
 * checklist (truncated, bad checksum) one drop reason each; echo to a
 * broadcast ignored (RFC 1122 3.2.2.6 allows it, Linux does); a type we do
 * not answer counted; an echo with a non-zero code answered as Linux does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/ipv4/ipv4.h"
#include "net/netfilter/netfilter.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "tests/host/host_time_shim.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

/* ---- frames: us 10.99.0.2 at 02:00:00:00:00:02, the peer 10.99.0.1 at
 * 02:00:00:00:00:01 ---- */

/* ICMP echo request from the peer: identifier 0x1234, sequence 1, 18 bytes of data (60 bytes) */
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

/* our echo reply: type 0, the same identifier, sequence and data, checksum updated (60 bytes) */
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

/* an ICMP message of 4 bytes: shorter than the 8-byte header (38 bytes) */
static const uint8_t echo_request_truncated[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x18,                                      /* total length 24 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xd7,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0xe5, 0xca,                                      /* ICMP checksum; identifier and sequence number missing */
};

/* the echo request with its ICMP checksum off by one (60 bytes) */
static const uint8_t echo_request_bad_checksum[] = {
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
	0x30, 0x0d,                                      /* ICMP checksum (WRONG: correct is 0x310d) */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request to 10.99.0.255 in a broadcast frame (60 bytes) */
static const uint8_t echo_request_to_broadcast[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x48, 0xc4,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0xff,                          /* destination 10.99.0.255: our subnet's broadcast */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request to 255.255.255.255 in a broadcast frame (60 bytes) */
static const uint8_t echo_request_to_limited_broadcast[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,              /* Ethernet destination ff:ff:ff:ff:ff:ff (broadcast) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2e,                                      /* total length 46 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x54, 0x26,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0xff, 0xff, 0xff, 0xff,                          /* destination 255.255.255.255: the limited broadcast */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x0d,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an ICMP timestamp request (type 13, RFC 792): not answered here (54 bytes) */
static const uint8_t timestamp_request[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x28,                                      /* total length 40 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc7,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x0d,                                            /* ICMP type 13 (timestamp request) */
	0x00,                                            /* ICMP code 0 */
	0xe0, 0xc9,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,  /* originate timestamp 1, receive and transmit timestamps 0 */
	0x00, 0x00, 0x00, 0x00,
};

/* an echo request with code 9 (nmap's OS probe: RFC 792 defines only 0) (60 bytes) */
static const uint8_t echo_request_code_9[] = {
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
	0x09,                                            /* ICMP code 9: undefined for echo */
	0x31, 0x04,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* our echo reply to it: code 9 echoed, as Linux does (60 bytes) */
static const uint8_t echo_reply_code_9[] = {
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
	0x09,                                            /* ICMP code 9, echoed */
	0x39, 0x04,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopqr" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72,
};

/* an echo request with 17 bytes of data (an odd ICMP length), padded by one 0xee (60 bytes) */
static const uint8_t echo_request_odd_length[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet destination 02:00:00:00:00:02 (us) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet source 02:00:00:00:00:01 (the peer) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2d,                                      /* total length 45 */
	0x1c, 0x46,                                      /* identification 0x1c46 */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x49, 0xc2,                                      /* header checksum */
	0x0a, 0x63, 0x00, 0x01,                          /* source 10.99.0.1 */
	0x0a, 0x63, 0x00, 0x02,                          /* destination 10.99.0.2 */
	0x08,                                            /* ICMP type 8 (echo request) */
	0x00,                                            /* ICMP code 0 */
	0x31, 0x7f,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopq" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71,
	0xee,                                            /* Ethernet padding to 60 bytes: 0xee */
};

/* our echo reply: the 17 bytes, padded by one zero (60 bytes) */
static const uint8_t echo_reply_odd_length[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* Ethernet destination 02:00:00:00:00:01 (the peer) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* Ethernet source 02:00:00:00:00:02 (our MAC) */
	0x08, 0x00,                                      /* EtherType 0x0800 (IPv4) */
	0x45,                                            /* version 4, IHL 5 (20 bytes) */
	0x00,                                            /* type of service 0x00 */
	0x00, 0x2d,                                      /* total length 45 */
	0x00, 0x00,                                      /* identification: not compared (per-destination secret counter) */
	0x00, 0x00,                                      /* flags 0, fragment offset 0 */
	0x40,                                            /* time to live 64 */
	0x01,                                            /* protocol 1 (ICMP) */
	0x66, 0x08,                                      /* header checksum: not compared (covers the identification) */
	0x0a, 0x63, 0x00, 0x02,                          /* source 10.99.0.2 */
	0x0a, 0x63, 0x00, 0x01,                          /* destination 10.99.0.1 */
	0x00,                                            /* ICMP type 0 (echo reply) */
	0x00,                                            /* ICMP code 0 */
	0x39, 0x7f,                                      /* ICMP checksum */
	0x12, 0x34, 0x00, 0x01,                          /* identifier 0x1234, sequence number 1 */
	0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,  /* data: "abcdefghijklmnopq" */
	0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71,
	0x00,                                            /* Ethernet padding to 60 bytes: zero */
};

/* ---- large echo: an echo request of data_length bytes, sent as
 * fragments of the peer's 1500-byte MTU (the first last, as a reordering
 * path delivers them), answered by an echo reply that leaves in fragments;
 * the check reassembles those and compares the reply byte for byte ---- */

#define ETHERNET_BYTES 14
#define IP_BYTES 20
#define FRAGMENT_PAYLOAD 1480                   /* (1500 - 20) rounded down to 8 */
#define LARGE_ICMP_MAX (65535 - IP_BYTES)

static const uint8_t peer_to_us_ethernet[ETHERNET_BYTES] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
};

/* The ICMP message: type 8, identifier 0x4242, sequence 7, data bytes i * 7 + 3. */
static uint8_t *large_echo_message(size_t data_length)
{
	uint8_t *icmp = calloc(1, 8 + data_length);
	icmp[0] = 8;
	icmp[4] = 0x42, icmp[5] = 0x42, icmp[6] = 0x00, icmp[7] = 0x07;
	for (size_t i = 0; i < data_length; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + 3);
	be16 checksum = internet_checksum(icmp, 8 + data_length);
	memcpy(icmp + 2, &checksum, 2);
	return icmp;
}

static void inject_fragment(const uint8_t *icmp, size_t icmp_length, size_t offset)
{
	static uint8_t frame[ETHERNET_BYTES + IP_BYTES + FRAGMENT_PAYLOAD];
	size_t length = icmp_length - offset < FRAGMENT_PAYLOAD ? icmp_length - offset : FRAGMENT_PAYLOAD;
	bool more = offset + length < icmp_length;
	uint16_t total = (uint16_t)(IP_BYTES + length), flags_offset = (uint16_t)(offset / 8 | (more ? 0x2000 : 0));
	uint8_t *ip = frame + ETHERNET_BYTES;
	memcpy(frame, peer_to_us_ethernet, ETHERNET_BYTES);
	const uint8_t header[IP_BYTES] = {
		0x45, 0x00, (uint8_t)(total >> 8), (uint8_t)total, 0x77, 0x01,
		(uint8_t)(flags_offset >> 8), (uint8_t)flags_offset, 0x40, 0x01, 0x00, 0x00,
		0x0a, 0x63, 0x00, 0x01, 0x0a, 0x63, 0x00, 0x02,
	};
	memcpy(ip, header, IP_BYTES);
	be16 checksum = internet_checksum(ip, IP_BYTES);
	memcpy(ip + 10, &checksum, 2);
	memcpy(ip + IP_BYTES, icmp + offset, length);
	wire_receive(frame, (unsigned)(ETHERNET_BYTES + IP_BYTES + length));
}

/* Takes the reply's fragments off the wire into reply (the ICMP message);
 * returns its length, 0 (with failures counted) when they do not make one
 * datagram from us to the peer. */
static size_t collect_reply_fragments(uint8_t *reply)
{
	size_t end = 0, received = 0;
	bool last_seen = false;
	int identification = -1;
	const struct wire_frame *frame;
	while ((frame = wire_take()) != NULL) {
		const uint8_t *ip = frame->bytes + ETHERNET_BYTES;
		EXPECT(frame->length > ETHERNET_BYTES + IP_BYTES && frame->length <= ETHERNET_BYTES + 1500);
		EXPECT(ip[0] == 0x45 && ip[9] == 0x01);                          /* IHL 5, ICMP */
		EXPECT(memcmp(ip + 12, "\x0a\x63\x00\x02\x0a\x63\x00\x01", 8) == 0); /* us -> the peer */
		EXPECT_EQ(internet_checksum(ip, IP_BYTES), 0);
		if (identification < 0)
			identification = ip[4] << 8 | ip[5];
		EXPECT_EQ(ip[4] << 8 | ip[5], identification);                /* one datagram */
		size_t length = (size_t)(ip[2] << 8 | ip[3]) - IP_BYTES;
		size_t offset = (size_t)((ip[6] & 0x1F) << 8 | ip[7]) * 8;
		bool more = ip[6] & 0x20;
		EXPECT(!(ip[6] & 0x40));                                         /* no DF: Linux's ICMP socket */
		EXPECT(offset + length <= LARGE_ICMP_MAX && (!more || length % 8 == 0));
		if (offset + length > LARGE_ICMP_MAX)
			return 0;
		memcpy(reply + offset, ip + IP_BYTES, length);
		received += length;
		if (offset + length > end)
			end = offset + length;
		last_seen |= !more;
	}
	EXPECT(last_seen);
	EXPECT_EQ(received, end);                                         /* no gap, no overlap */
	return last_seen && received == end ? end : 0;
}

/* The reply is the request with type 0 and its checksum over the whole message. */
static void large_echo(size_t data_length)
{
	peer_resolved();
	size_t icmp_length = 8 + data_length;
	uint8_t *request = large_echo_message(data_length);
	size_t last = (icmp_length - 1) / FRAGMENT_PAYLOAD * FRAGMENT_PAYLOAD;
	inject_fragment(request, icmp_length, last);                     /* the last fragment first */
	for (size_t offset = 0; offset < last; offset += FRAGMENT_PAYLOAD)
		inject_fragment(request, icmp_length, offset);
	uint8_t *reply = calloc(1, LARGE_ICMP_MAX);
	size_t reply_length = collect_reply_fragments(reply);
	EXPECT_EQ(reply_length, icmp_length);
	if (reply_length == icmp_length) {
		EXPECT_EQ(internet_checksum(reply, reply_length), 0);
		EXPECT_EQ(reply[0], 0);                                      /* echo reply */
		EXPECT_EQ(reply[1], 0);
		EXPECT(memcmp(reply + 4, request + 4, icmp_length - 4) == 0); /* identifier, sequence, data exact */
	}
	EXPECT_NO_DROPS();
	free(reply);
	free(request);
}

static void icmp_large_echo_8000(void) { large_echo(8000); }
/* ping -s 65507: the largest datagram IPv4 carries (65535 bytes) */
static void icmp_large_echo_65507(void) { large_echo(65507); }

/* With connection tracking on, fragments are reassembled before
 * PRE_ROUTING (net/ipv4/input.c's defragment_before_hooks): a datagram that
 * fits one pkt passes the hooks as it is, a larger one as a chain of pkts
 * made one buffer again for local delivery; either is answered as above. */
static void icmp_large_echo_defragmented_before_hooks(void)
{
	nf_defrag_ipv4_enabled = true;
	large_echo(1600);                                /* 1628 bytes reassembled: one pkt */
	large_echo(8000);                                /* a chain of pkts */
	nf_defrag_ipv4_enabled = false;
}

/* What the hooks below saw: a datagram's calls and total lengths. */
struct hook_view {
	unsigned calls;
	uint32_t last_length;
	bool marked;                 /* the last pkt carried PRE_ROUTING's mark */
};
static struct hook_view hook_views[NF_INET_HOOK_COUNT];

/* Records what it is shown; at PRE_ROUTING it leaves a mark on the pkt
 * (standing for the entry conntrack attaches there). */
static enum nf_verdict watching_hook(const struct nf_hook_ops *ops, struct pkt *pkt, const struct nf_hook_state *state)
{
	struct hook_view *view = &hook_views[state->hook];
	view->calls++;
	view->last_length = pkt_total_length(pkt);
	if (state->hook == NF_INET_PRE_ROUTING)
		pkt->conntrack_state = NF_CT_STATE_NEW;
	view->marked = pkt->conntrack_state == NF_CT_STATE_NEW;
	return NF_ACCEPT;
}

static struct nf_hook_ops watching_hooks[] = {
	{ .function = watching_hook, .hook = NF_INET_PRE_ROUTING },
	{ .function = watching_hook, .hook = NF_INET_LOCAL_IN },
	{ .function = watching_hook, .hook = NF_INET_LOCAL_OUT },
	{ .function = watching_hook, .hook = NF_INET_POST_ROUTING },
};

/* One 8000-byte echo (8028 bytes reassembled: a chain of pkts) with the
 * hooks watched: LOCAL_IN, LOCAL_OUT and POST_ROUTING each see the whole
 * datagram once (Linux hooks datagrams, never their fragments: conntrack
 * confirms at LOCAL_IN what PRE_ROUTING tracked, rules count every byte),
 * and the reply leaves in fragments all the same. */
static void watched_large_echo(bool defragment_first)
{
	memset(hook_views, 0, sizeof(hook_views));
	nf_defrag_ipv4_enabled = defragment_first;
	large_echo(8000);
	nf_defrag_ipv4_enabled = false;
	EXPECT_EQ(hook_views[NF_INET_PRE_ROUTING].calls, defragment_first ? 1u : 6u);   /* or each fragment */
	EXPECT_EQ(hook_views[NF_INET_LOCAL_IN].calls, 1u);
	EXPECT_EQ(hook_views[NF_INET_LOCAL_IN].last_length, 8028u);
	EXPECT_EQ(hook_views[NF_INET_LOCAL_IN].marked, defragment_first);   /* the pkt PRE_ROUTING saw */
	EXPECT_EQ(hook_views[NF_INET_LOCAL_OUT].calls, 1u);
	EXPECT_EQ(hook_views[NF_INET_LOCAL_OUT].last_length, 8028u);
	EXPECT_EQ(hook_views[NF_INET_POST_ROUTING].calls, 1u);
	EXPECT_EQ(hook_views[NF_INET_POST_ROUTING].last_length, 8028u);
}

static void icmp_large_echo_hooks_see_whole_datagrams(void)
{
	for (unsigned index = 0; index < sizeof(watching_hooks) / sizeof(watching_hooks[0]); index++)
		nf_register_hook(&watching_hooks[index]);
	watched_large_echo(true);
	watched_large_echo(false);
	for (unsigned index = 0; index < sizeof(watching_hooks) / sizeof(watching_hooks[0]); index++)
		nf_unregister_hook(&watching_hooks[index]);
}

/* A reply that needs more fragments than the pool holds goes out whole or
 * not at all: here the link MTU falls to 576 while the request's last
 * fragment (395 bytes) comes in, so the 65515-byte reply needs 119
 * fragments and the pool has 64. Counted, nothing sent. */
static void icmp_large_echo_reply_beyond_pool(void)
{
	peer_resolved();
	size_t icmp_length = 8 + 65507;
	uint8_t *request = large_echo_message(65507);
	size_t last = (icmp_length - 1) / FRAGMENT_PAYLOAD * FRAGMENT_PAYLOAD;
	for (size_t offset = 0; offset < last; offset += FRAGMENT_PAYLOAD)
		inject_fragment(request, icmp_length, offset);
	wire_device.mtu = 576;
	inject_fragment(request, icmp_length, last);
	wire_device.mtu = 1500;
	EXPECT_NOTHING_SENT();
	EXPECT_DROPS(NET_DROP_IP_FRAGMENT_NO_BUFFER);
	free(request);
}

/* ---- cases ---- */

static void icmp_echo_reply(void)
{
	peer_resolved();
	INJECT(echo_request);
	EXPECT_SENT(echo_reply, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* The checksum of an odd length pads with a zero byte (RFC 1071), not with
 * the frame's padding that follows. */
static void icmp_echo_odd_length(void)
{
	peer_resolved();
	INJECT(echo_request_odd_length);
	EXPECT_SENT(echo_reply_odd_length, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

static void icmp_truncated(void)
{
	peer_resolved();
	INJECT(echo_request_truncated);
	EXPECT_DROPS(NET_DROP_ICMP_TRUNCATED);
}

static void icmp_bad_checksum(void)
{
	peer_resolved();
	INJECT(echo_request_bad_checksum);
	EXPECT_DROPS(NET_DROP_ICMP_BAD_CHECKSUM);
}

static void icmp_echo_to_broadcast_ignored(void)
{
	peer_resolved();
	INJECT(echo_request_to_broadcast);
	EXPECT_DROPS(NET_DROP_ICMP_BROADCAST_ECHO);
	INJECT(echo_request_to_limited_broadcast);
	EXPECT_DROPS(NET_DROP_ICMP_BROADCAST_ECHO);
}

static void icmp_unhandled_type(void)
{
	peer_resolved();
	INJECT(timestamp_request);
	EXPECT_DROPS(NET_DROP_ICMP_UNHANDLED_TYPE);
}

static void icmp_echo_nonzero_code_answered(void)
{
	peer_resolved();
	INJECT(echo_request_code_9);
	EXPECT_SENT(echo_reply_code_9, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* The echo request's ICMP message handed to IPv4's loopback as if the peer
 * had sent it to us (net/ipv4/loopback.c, what reject in an output chain
 * uses): nothing happens inside the call; the run loop's timer delivers it
 * through local input, which answers on the wire. */
static void loop_echo_request(void)
{
	struct pkt *pkt = pkt_alloc();
	size_t icmp_at = ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH;
	memcpy(pkt_put(pkt, sizeof(echo_request) - icmp_at), echo_request + icmp_at, sizeof(echo_request) - icmp_at);
	ipv4_loopback_output(pkt, htonl(0x0a630001), htonl(0x0a630002), IP_PROTOCOL_ICMP, &wire_device);
}

static void icmp_loopback_delivered_later(void)
{
	peer_resolved();
	loop_echo_request();
	EXPECT_NOTHING_SENT();
	host_time_advance(1);
	EXPECT_SENT(echo_reply, FRAME_EXCEPT_IPV4_IDENTIFICATION);
	EXPECT_NO_DROPS();
}

/* 32 wait at most: the 33rd is dropped and counted. */
static void icmp_loopback_queue_full(void)
{
	peer_resolved();
	for (int i = 0; i < 33; i++)
		loop_echo_request();
	EXPECT_DROPS(NET_DROP_IP_LOOPBACK_QUEUE_FULL);
	EXPECT_NOTHING_SENT();
	host_time_advance(1);
	wire_discard_output();
}

const struct wire_case wire_icmp_cases[] = {
	{ "icmp_echo_reply", icmp_echo_reply },
	{ "icmp_echo_odd_length", icmp_echo_odd_length },
	{ "icmp_truncated", icmp_truncated },
	{ "icmp_bad_checksum", icmp_bad_checksum },
	{ "icmp_echo_to_broadcast_ignored", icmp_echo_to_broadcast_ignored },
	{ "icmp_unhandled_type", icmp_unhandled_type },
	{ "icmp_echo_nonzero_code_answered", icmp_echo_nonzero_code_answered },
	{ "icmp_large_echo_8000", icmp_large_echo_8000 },
	{ "icmp_large_echo_65507", icmp_large_echo_65507 },
	{ "icmp_large_echo_reply_beyond_pool", icmp_large_echo_reply_beyond_pool },
	{ "icmp_large_echo_defragmented_before_hooks", icmp_large_echo_defragmented_before_hooks },
	{ "icmp_large_echo_hooks_see_whole_datagrams", icmp_large_echo_hooks_see_whole_datagrams },
	{ "icmp_loopback_delivered_later", icmp_loopback_delivered_later },
	{ "icmp_loopback_queue_full", icmp_loopback_queue_full },
	{ NULL, NULL },
};
