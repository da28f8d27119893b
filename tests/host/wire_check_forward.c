/* wire_check_forward.c - IPv4 forwarding (RFC 1812 5.2-5.3;
 * net/ipv4/forward.c) over the one-device wire shim: a datagram for
 * another host on eth0's own link goes back out of eth0, which also
 * exercises the redirect rule (RFC 1812 5.2.7.2). Frames are built here
 * (an ICMP echo from the peer 10.99.0.1, our MAC as destination), and the
 * frames sent are judged field by field: the forwarded pkt is the received
 * one with TTL - 1 and an incrementally updated checksum (RFC 1624) that
 * must verify, the ICMP errors quote the datagram as it arrived. */
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/ipv4/forward.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ip_mib.h"
#include "net/ipv4/route.h"
#include "tests/host/wire_check.h"
#include "tests/host/wire_host_shim.h"

#define ETH 14                      /* the IPv4 header's offset in a frame */
#define DATAGRAM_LENGTH 36          /* 20 + ICMP echo 8 + 8 data bytes */
#define PEER 0x0a630001u            /* 10.99.0.1 */
#define OTHER_HOST 0x0a63004du      /* 10.99.0.77, on our link, not us */

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t other_mac[6] = { 0x02, 0, 0, 0, 0, 0x77 };

static void put32(uint8_t *at, uint32_t value)
{
	at[0] = (uint8_t)(value >> 24), at[1] = (uint8_t)(value >> 16), at[2] = (uint8_t)(value >> 8), at[3] = (uint8_t)value;
}

static uint32_t get32(const uint8_t *at)
{
	return (uint32_t)at[0] << 24 | (uint32_t)at[1] << 16 | (uint32_t)at[2] << 8 | at[3];
}

/* An echo request from source to destination, from the peer's MAC to ours. */
static unsigned build(uint8_t *frame, uint32_t source, uint32_t destination, uint8_t time_to_live)
{
	memset(frame, 0, ETH + DATAGRAM_LENGTH);
	memcpy(frame, our_mac, 6);
	memcpy(frame + 6, peer_mac, 6);
	frame[12] = 0x08;
	uint8_t *ip = frame + ETH;
	ip[0] = 0x45, ip[3] = DATAGRAM_LENGTH, ip[4] = 0x4b, ip[5] = 0x1d, ip[8] = time_to_live, ip[9] = 1;
	put32(ip + 12, source);
	put32(ip + 16, destination);
	be16 checksum = internet_checksum(ip, 20);
	memcpy(ip + 10, &checksum, 2);
	uint8_t *icmp = ip + 20;
	icmp[0] = 8;
	memcpy(icmp + 8, "forward!", 8);
	checksum = internet_checksum(icmp, 16);
	memcpy(icmp + 2, &checksum, 2);
	return ETH + DATAGRAM_LENGTH;
}

/* The next frame sent is an ICMP error (type, code) to the peer from us,
 * second word `info`, quoting sent_ip (the datagram as it arrived). */
static void expect_icmp_error(uint8_t type, uint8_t code, uint32_t info, const uint8_t *sent_ip)
{
	const struct wire_frame *frame = wire_take();
	EXPECT(frame != NULL);
	if (frame == NULL)
		return;
	const uint8_t *ip = frame->bytes + ETH, *icmp = ip + 20;
	EXPECT(memcmp(frame->bytes, peer_mac, 6) == 0);
	EXPECT_EQ(ip[9], 1);
	EXPECT_EQ(get32(ip + 12), 0x0a630002u);
	EXPECT_EQ(get32(ip + 16), PEER);
	EXPECT_EQ(icmp[0], type);
	EXPECT_EQ(icmp[1], code);
	EXPECT_EQ(get32(icmp + 4), info);
	EXPECT(memcmp(icmp + 8, sent_ip, 28) == 0);            /* header + 8 bytes, unchanged (TTL included) */
	size_t icmp_length = (size_t)(ip[2] << 8 | ip[3]) - 20;
	EXPECT_EQ(internet_checksum(icmp, icmp_length), 0);
}

static void forwarding(bool enabled, bool redirects, int rp_filter)
{
	ipv4_redirect_limit_reset();
	ipv4_forwarding_set_all(enabled);
	/* Linux's rules: send_redirects is all || dev, rp_filter max(all, dev) */
	ipv4_send_redirects = redirects;
	ipv4_devconf_of(&wire_device)->send_redirects = redirects;
	ipv4_rp_filter = rp_filter;
	ipv4_devconf_of(&wire_device)->rp_filter = 0;
}

/* who-has 10.99.0.77 tell 10.99.0.2 goes out; 10.99.0.77 answers. */
static void other_host_answers_arp(void)
{
	const struct wire_frame *request = wire_take();
	EXPECT(request != NULL && request->bytes[12] == 0x08 && request->bytes[13] == 0x06 &&
	       get32(request->bytes + 38) == OTHER_HOST);
	uint8_t reply[42] = { 0 };
	memcpy(reply, our_mac, 6);
	memcpy(reply + 6, other_mac, 6);
	reply[12] = 0x08, reply[13] = 0x06, reply[15] = 1, reply[16] = 8, reply[18] = 6, reply[19] = 4, reply[21] = 2;
	memcpy(reply + 22, other_mac, 6);
	put32(reply + 28, OTHER_HOST);
	memcpy(reply + 32, our_mac, 6);
	put32(reply + 38, 0x0a630002u);
	wire_receive(reply, sizeof(reply));
}

/* The forwarded frame: to 10.99.0.77's MAC from ours, the datagram as
 * received but TTL - 1, with a header checksum that verifies. */
static void expect_forwarded(const uint8_t *received_ip)
{
	const struct wire_frame *frame = wire_take();
	EXPECT(frame != NULL);
	if (frame == NULL)
		return;
	const uint8_t *ip = frame->bytes + ETH;
	EXPECT(memcmp(frame->bytes, other_mac, 6) == 0 && memcmp(frame->bytes + 6, our_mac, 6) == 0);
	EXPECT_EQ(ip[8], received_ip[8] - 1);
	EXPECT_EQ(internet_checksum(ip, 20), 0);
	EXPECT(memcmp(ip, received_ip, 8) == 0 && memcmp(ip + 9, received_ip + 9, 1) == 0);
	EXPECT(memcmp(ip + 12, received_ip + 12, DATAGRAM_LENGTH - 12) == 0);
}

static void forward_same_link_redirect_and_forwarded(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(true, true, 0);
	peer_resolved();
	uint64_t forwarded = ipv4_mib[IPV4_MIB_FORW_DATAGRAMS];
	wire_receive(frame, build(frame, PEER, OTHER_HOST, 64));
	/* RFC 1812 5.2.7.2: out of the interface it came in on, the source on
	 * the next hop's subnet: "go to 10.99.0.77 directly". */
	expect_icmp_error(5, 1, OTHER_HOST, frame + ETH);
	other_host_answers_arp();
	expect_forwarded(frame + ETH);
	EXPECT_NO_DROPS();
	EXPECT_EQ(ipv4_mib[IPV4_MIB_FORW_DATAGRAMS] - forwarded, 1);
	/* Right after: forwarded, but the redirect waits out Linux's backoff (40 ms). */
	wire_receive(frame, sizeof(frame));
	expect_forwarded(frame + ETH);
	EXPECT_DROPS(NET_DROP_ICMP_ERROR_RATE_LIMITED);
	host_time_advance(50 * 1000000ull);
	wire_receive(frame, sizeof(frame));
	expect_icmp_error(5, 1, OTHER_HOST, frame + ETH);
	expect_forwarded(frame + ETH);
	EXPECT_NO_DROPS();
	forwarding(false, true, 0);
}

static void forward_without_redirects(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(true, false, 0);
	peer_resolved();
	wire_receive(frame, build(frame, PEER, OTHER_HOST, 2));
	other_host_answers_arp();
	expect_forwarded(frame + ETH);
	EXPECT_NO_DROPS();
	forwarding(false, true, 0);
}

/* RFC 1812 5.3.1: TTL 1 would reach 0 here: time exceeded, quoting TTL 1. */
static void forward_ttl_1_time_exceeded(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(true, true, 0);
	peer_resolved();
	wire_receive(frame, build(frame, PEER, OTHER_HOST, 1));
	expect_icmp_error(11, 0, 0, frame + ETH);
	EXPECT_DROPS(NET_DROP_IP_TTL_EXPIRED);
	forwarding(false, true, 0);
}

static void forward_disabled(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(false, true, 0);
	peer_resolved();
	uint64_t address_errors = ipv4_mib[IPV4_MIB_IN_ADDR_ERRORS];
	wire_receive(frame, build(frame, PEER, OTHER_HOST, 64));
	EXPECT_DROPS(NET_DROP_IP_FORWARD_DISABLED);
	EXPECT_EQ(ipv4_mib[IPV4_MIB_IN_ADDR_ERRORS] - address_errors, 1);
}

/* RFC 1812 5.3.7, RFC 3927 2.7: silently dropped, each under its reason. */
static void forward_martians(void)
{
	static const struct { uint32_t source, destination; enum net_drop_reason reason; } martians[] = {
		{ 0xa9fe0707u, OTHER_HOST, NET_DROP_IP_MARTIAN_SOURCE },       /* 169.254.7.7: link-local */
		{ PEER, 0x7f000001u, NET_DROP_IP_MARTIAN_DESTINATION }, /* to 127.0.0.1 */
		{ PEER, 0x00010203u, NET_DROP_IP_MARTIAN_DESTINATION },        /* to 0.1.2.3 */
		{ PEER, 0xe0000005u, NET_DROP_IP_MARTIAN_DESTINATION },        /* to 224.0.0.5: not routed */
		{ PEER, 0xf0000009u, NET_DROP_IP_MARTIAN_DESTINATION },        /* to 240.0.0.9: class E */
		{ PEER, 0xa9fe0303u, NET_DROP_IP_MARTIAN_DESTINATION },        /* to 169.254.3.3: link-local */
	};
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(true, true, 0);
	peer_resolved();
	for (unsigned i = 0; i < sizeof(martians) / sizeof(martians[0]); i++) {
		wire_receive(frame, build(frame, martians[i].source, martians[i].destination, 64));
		EXPECT_DROPS(martians[i].reason);
	}
	forwarding(false, true, 0);
}

/* Only the connected route (no default): 192.0.2.1 is unreachable
 * (RFC 1812 5.2.7.1), and 10.50.0.1 has no way back for rp_filter. */
static void connected_route_only(void)
{
	struct net_interface *interface = net_interface_of(&wire_device);
	route_flush();
	route_add(interface->address & interface->netmask, 24, 0, interface);
}

static void restore_routes(void)
{
	struct net_interface *interface = net_interface_of(&wire_device);
	net_interface_set_address(interface, interface->address, interface->netmask, interface->gateway);
}

static void forward_no_route_net_unreachable(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	forwarding(true, true, 0);
	peer_resolved();
	connected_route_only();
	wire_receive(frame, build(frame, PEER, 0xc0000201u, 64));
	expect_icmp_error(3, 0, 0, frame + ETH);
	EXPECT_DROPS(NET_DROP_IP_NO_ROUTE);
	restore_routes();
	forwarding(false, true, 0);
}

/* rp_filter 1 and 2 refuse a source with no route back; 0 forwards it. */
static void forward_rp_filter(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	peer_resolved();
	connected_route_only();
	for (int mode = 1; mode <= 2; mode++) {
		forwarding(true, false, mode);
		wire_receive(frame, build(frame, 0x0a320001u, OTHER_HOST, 64));
		EXPECT_DROPS(NET_DROP_IP_RP_FILTER);
	}
	forwarding(true, false, 0);
	wire_receive(frame, build(frame, 0x0a320001u, OTHER_HOST, 64));
	other_host_answers_arp();
	expect_forwarded(frame + ETH);
	EXPECT_NO_DROPS();
	restore_routes();
	forwarding(false, true, 0);
}

/* Per-device settings combine with all's as Linux's IN_DEV_* macros: the
 * input device's forwarding decides; rp_filter is max(all, dev);
 * send_redirects all || dev; writing ip_forward sets every device. */
static void forward_per_device_conf(void)
{
	uint8_t frame[ETH + DATAGRAM_LENGTH];
	struct ipv4_devconf *device = ipv4_devconf_of(&wire_device);
	forwarding(true, false, 0);
	peer_resolved();
	device->forwarding = 0;                                 /* conf.eth0.forwarding=0 */
	wire_receive(frame, build(frame, PEER, OTHER_HOST, 64));
	EXPECT_DROPS(NET_DROP_IP_FORWARD_DISABLED);
	EXPECT(ipv4_devconf_forwarding(&wire_device) == false && ipv4_ip_forward == 1);
	ipv4_forwarding_set_all(true);                          /* ip_forward=1 sets it again */
	EXPECT(device->forwarding == 1);
	connected_route_only();
	device->rp_filter = 1;                                  /* all 0, eth0 strict: strict */
	EXPECT_EQ(ipv4_devconf_rp_filter(&wire_device), 1);
	wire_receive(frame, build(frame, 0x0a320001u, OTHER_HOST, 64));
	EXPECT_DROPS(NET_DROP_IP_RP_FILTER);
	ipv4_rp_filter = 2;                                     /* max(2, 1) = loose */
	EXPECT_EQ(ipv4_devconf_rp_filter(&wire_device), 2);
	restore_routes();
	device->send_redirects = 1;                             /* all 0 || eth0 1: redirects */
	EXPECT(ipv4_devconf_send_redirects(&wire_device));
	EXPECT(!ipv4_devconf_accept_source_route(&wire_device)); /* all 0 && eth0 1 */
	ipv4_accept_source_route = 1;
	EXPECT(ipv4_devconf_accept_source_route(&wire_device));
	ipv4_accept_source_route = 0;
	forwarding(false, true, 0);
	device->forwarding = 0;
}

/* 16 devices have a conf of their own; a 17th reads default's (said once,
 * by ipv4_devconf_init), so writing ip_forward still reaches it. The extra
 * devices stay registered: this case runs last. */
static void forward_devconf_beyond_16_devices(void)
{
	static struct netdev extra[16];
	for (int i = 0; i < 16; i++) {
		extra[i] = (struct netdev){ .driver_name = "extra", .ops = wire_device.ops };
		EXPECT_EQ(netdev_register(&extra[i]), 0);
	}
	ipv4_devconf_init();
	EXPECT_EQ(netdev_index(&extra[14]), 16);
	EXPECT(ipv4_devconf_of(&extra[14]) != ipv4_devconf_of(NULL));   /* conf.eth15.* */
	EXPECT_EQ(netdev_index(&extra[15]), 17);
	EXPECT(ipv4_devconf_of(&extra[15]) == ipv4_devconf_of(NULL));   /* eth16: default's */
	ipv4_forwarding_set_all(true);
	EXPECT(ipv4_devconf_forwarding(&extra[15]) && ipv4_devconf_forwarding(&extra[14]));
	ipv4_forwarding_set_all(false);
	EXPECT(!ipv4_devconf_forwarding(&extra[15]));
}

/* ---- TCP super-frames received whole (virtio GUEST_TSO4) ------------------ */

#define SUPER_TCP (ETH + 20)            /* the TCP header's offset */
#define SUPER_HEADERS (SUPER_TCP + 20)
#define SUPER_SEQUENCE 0x01020304u

static uint8_t super_frame[SUPER_HEADERS + 8000];

/* A TCP super-frame from the peer to 10.99.0.77 with payload bytes, as a
 * Linux sender's TSO leaves it: IPv4 complete, TCP's field the
 * pseudo-header sum over the whole TCP length. */
static unsigned build_super_frame(unsigned payload, bool dont_fragment)
{
	unsigned length = SUPER_HEADERS + payload;
	memset(super_frame, 0, SUPER_HEADERS);
	memcpy(super_frame, our_mac, 6);
	memcpy(super_frame + 6, peer_mac, 6);
	super_frame[12] = 0x08;
	uint8_t *ip = super_frame + ETH, *tcp = super_frame + SUPER_TCP;
	ip[0] = 0x45, ip[2] = (uint8_t)((length - ETH) >> 8), ip[3] = (uint8_t)(length - ETH);
	ip[6] = dont_fragment ? 0x40 : 0, ip[8] = 64, ip[9] = 6;
	put32(ip + 12, PEER);
	put32(ip + 16, OTHER_HOST);
	be16 checksum = internet_checksum(ip, 20);
	memcpy(ip + 10, &checksum, 2);
	tcp[0] = 0x9c, tcp[1] = 0x40, tcp[3] = 80;
	put32(tcp + 4, SUPER_SEQUENCE);
	tcp[12] = 5 << 4, tcp[13] = 0x18, tcp[14] = 0x10;      /* ACK|PSH, window 4096 */
	checksum = ipv4_pseudo_header_sum(htonl(PEER), htonl(OTHER_HOST), 6, length - SUPER_TCP);
	memcpy(tcp + 16, &checksum, 2);
	for (unsigned i = 0; i < payload; i++)
		super_frame[SUPER_HEADERS + i] = (uint8_t)(i * 13 + i / 241);
	return length;
}

/* The frames sent: segments of gso_size bytes in order, each a whole
 * datagram (TTL - 1, both checksums complete: the device sums nothing). */
static void expect_segments(unsigned payload, unsigned gso_size)
{
	for (unsigned offset = 0; offset < payload; offset += gso_size) {
		unsigned bytes = payload - offset < gso_size ? payload - offset : gso_size;
		const struct wire_frame *frame = wire_take();
		EXPECT(frame != NULL);
		if (frame == NULL)
			return;
		const uint8_t *ip = frame->bytes + ETH, *tcp = frame->bytes + SUPER_TCP;
		EXPECT(memcmp(frame->bytes, other_mac, 6) == 0);
		EXPECT_EQ(frame->length, SUPER_HEADERS + bytes);
		EXPECT_EQ(ip[8], 63);
		EXPECT_EQ(internet_checksum(ip, 20), 0);
		EXPECT_EQ(get32(tcp + 4), SUPER_SEQUENCE + offset);
		uint64_t sum = ones_complement_sum(tcp, 20 + bytes);
		sum += ipv4_pseudo_header_sum(htonl(PEER), htonl(OTHER_HOST), 6, 20 + bytes);
		EXPECT_EQ(ones_complement_fold(sum), 0xFFFF);
		EXPECT(memcmp(frame->bytes + SUPER_HEADERS, super_frame + SUPER_HEADERS + offset, bytes) == 0);
	}
}

/* Forwarded as one datagram (IpForwDatagrams + 1), cut on the way out by
 * software GSO for a device without TSO (net/core/gso.c). */
static void forward_super_frame_cut_for_device_without_tso(void)
{
	forwarding(true, false, 0);
	peer_resolved();
	uint64_t forwarded = ipv4_mib[IPV4_MIB_FORW_DATAGRAMS];
	wire_receive_super_frame(super_frame, build_super_frame(5300, true), 1000, SUPER_TCP);
	other_host_answers_arp();
	expect_segments(5300, 1000);
	EXPECT_NOTHING_SENT();
	EXPECT_NO_DROPS();
	EXPECT_EQ(ipv4_mib[IPV4_MIB_FORW_DATAGRAMS] - forwarded, 1);
	forwarding(false, true, 0);
}

/* A super-frame is judged by its segments, not its length: segments of
 * exactly the MTU (1460 payload bytes) are forwarded, larger ones could
 * not have come over this link and are oversized at Ethernet. (With one
 * device here, egress MTU = ingress MTU; a smaller egress MTU - DF:
 * fragmentation needed - is tests/qemu/test_forward.py's e1000 at 1280.) */
static void forward_super_frame_segment_size_judged_by_mtu(void)
{
	forwarding(true, false, 0);
	peer_resolved();
	wire_receive_super_frame(super_frame, build_super_frame(3 * 1460 + 10, true), 1460, SUPER_TCP);
	other_host_answers_arp();
	expect_segments(3 * 1460 + 10, 1460);
	EXPECT_NOTHING_SENT();
	EXPECT_NO_DROPS();
	wire_receive_super_frame(super_frame, build_super_frame(3 * 1461, true), 1461, SUPER_TCP);
	EXPECT_NOTHING_SENT();
	EXPECT_DROPS(NET_DROP_ETH_OVERSIZED);
	forwarding(false, true, 0);
}

const struct wire_case wire_forward_cases[] = {
	{ "forward_same_link_redirect_and_forwarded", forward_same_link_redirect_and_forwarded },
	{ "forward_without_redirects", forward_without_redirects },
	{ "forward_ttl_1_time_exceeded", forward_ttl_1_time_exceeded },
	{ "forward_disabled", forward_disabled },
	{ "forward_martians", forward_martians },
	{ "forward_no_route_net_unreachable", forward_no_route_net_unreachable },
	{ "forward_rp_filter", forward_rp_filter },
	{ "forward_per_device_conf", forward_per_device_conf },
	{ "forward_super_frame_cut_for_device_without_tso", forward_super_frame_cut_for_device_without_tso },
	{ "forward_super_frame_segment_size_judged_by_mtu", forward_super_frame_segment_size_judged_by_mtu },
	{ "forward_devconf_beyond_16_devices", forward_devconf_beyond_16_devices },
	{ NULL, NULL },
};
