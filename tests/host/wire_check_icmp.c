/* wire_check_icmp.c - ICMP (RFC 792, RFC 1122 3.2.2; net/ipv4/icmp.c) fed
 * literal frames: an echo request answered by the exact echo reply
 * (identifier, sequence number and data echoed, checksum right); the
 * checklist (truncated, bad checksum) one drop reason each; echo to a
 * broadcast ignored (RFC 1122 3.2.2.6 allows it, Linux does); a type we do
 * not answer counted; an echo with a non-zero code answered as Linux does. */
#include <stdint.h>

#include "net/core/drop.h"
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

const struct wire_case wire_icmp_cases[] = {
	{ "icmp_echo_reply", icmp_echo_reply },
	{ "icmp_echo_odd_length", icmp_echo_odd_length },
	{ "icmp_truncated", icmp_truncated },
	{ "icmp_bad_checksum", icmp_bad_checksum },
	{ "icmp_echo_to_broadcast_ignored", icmp_echo_to_broadcast_ignored },
	{ "icmp_unhandled_type", icmp_unhandled_type },
	{ "icmp_echo_nonzero_code_answered", icmp_echo_nonzero_code_answered },
	{ NULL, NULL },
};
