/* nft_check_shim.c - the kernel around the nftables engine on the host:
 * two fake devices (eth0, eth1), a clock the test sets, printk into a
 * buffer, net_drop/ICMP error/IPv4 output recorded instead of done, and a
 * packet builder (nft_check.h). */
#define HOST_CHECK_SHARED
#include "tests/host/host_check.h"
#include "tests/host/nft_check.h"

#include <arpa/inet.h>
#include <string.h>

#include "kernel/console/printk.h"
#include "kernel/time/clock.h"
#include "net/core/pkt_pool.h"
#include "net/core/stats_print.h"
#include "net/ipv4/icmp.h"
#include "net/ipv4/interface.h"
#include "net/netfilter/nft_internal.h"
#include "net/ipv4/ipv4.h"

#define POOL_SIZE 32

struct netdev check_eth0 = { .name = "eth0", .mtu = 1500 };
struct netdev check_eth1 = { .name = "eth1", .mtu = 1500 };
uint64_t check_now_ns = 1000000000ull;
enum net_drop_reason check_last_drop;
unsigned check_drops;
unsigned check_icmp_errors;
uint8_t check_icmp_type, check_icmp_code;
unsigned check_tcp_sent;
uint8_t check_tcp_segment[64];
uint32_t check_tcp_source, check_tcp_destination;
unsigned check_console_lines;
char check_console_last[512];

static struct net_interface interface0 = { .device = &check_eth0 };

struct netdev *netdev_first(void)
{
	check_eth0.next = &check_eth1;
	return &check_eth0;
}

struct net_interface *net_interface_of(const struct netdev *dev) { return dev == &check_eth0 ? &interface0 : NULL; }
uint64_t clock_monotonic_ns(void) { return check_now_ns; }

void printk(int level, const char *format, ...)
{
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(check_console_last, sizeof(check_console_last), format, arguments);
	va_end(arguments);
	check_console_lines++;
}

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	check_last_drop = reason;
	check_drops++;
	if (pkt)
		pkt_free(pkt);
}

void icmp_error_send(struct net_interface *interface, const uint8_t *offending, size_t available, uint8_t link_flags,
		     uint8_t type, uint8_t code, uint16_t next_hop_mtu)
{
	check_icmp_errors++;
	check_icmp_type = type;
	check_icmp_code = code;
}

void ipv4_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol)
{
	check_tcp_sent++;
	memcpy(check_tcp_segment, pkt->data, pkt->length < sizeof(check_tcp_segment) ? pkt->length : sizeof(check_tcp_segment));
	check_tcp_source = source;
	check_tcp_destination = destination;
	pkt_free(pkt);
}

/* The answers reject sends to the local stack (an output chain). */
unsigned check_looped;
uint8_t check_looped_bytes[64];
uint32_t check_looped_source, check_looped_destination;
uint8_t check_looped_protocol, check_looped_conntrack_state;

int ipv4_loopback_output(struct pkt *pkt, be32 source, be32 destination, uint8_t protocol, struct netdev *dev)
{
	check_looped++;
	memcpy(check_looped_bytes, pkt->data, pkt->length < sizeof(check_looped_bytes) ? pkt->length : sizeof(check_looped_bytes));
	check_looped_source = source;
	check_looped_destination = destination;
	check_looped_protocol = protocol;
	check_looped_conntrack_state = pkt->conntrack_state;
	pkt_free(pkt);
	return 0;
}

/* As net/ipv4's: type, code, zero words, then the quote (here at most 28 bytes). */
struct pkt *icmp_error_message(const uint8_t *offending, size_t available, uint8_t type, uint8_t code)
{
	struct pkt *pkt = pkt_alloc();
	size_t quoted = available < 28 ? available : 28;
	uint8_t *at = pkt_put(pkt, (uint32_t)(8 + quoted));
	memset(at, 0, 8);
	at[0] = type, at[1] = code;
	memcpy(at + 8, offending, quoted);
	return pkt;
}

void stats_section_register(struct stats_section *section) {}
/* Connection tracking and NAT are not part of these tests (tests/host/test_conntrack.py has them). */
void nft_conntrack_attach(const struct nft_ruleset *ruleset) {}

void check_reset_observations(void)
{
	check_last_drop = NET_DROP_NONE;
	check_drops = check_icmp_errors = check_tcp_sent = check_console_lines = check_looped = 0;
}

void check_pool_init(void)
{
	static uint8_t buffers[POOL_SIZE * PKT_BUFFER_SIZE];
	static struct pkt descriptors[POOL_SIZE];
	static uint8_t in_use[POOL_SIZE];
	pkt_pool_attach(buffers, descriptors, in_use, POOL_SIZE);
}

static uint16_t sum16(const uint8_t *bytes, size_t length)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (uint32_t)bytes[i] << 8 | bytes[i + 1];
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

struct pkt *check_packet(const char *source, const char *destination, uint8_t protocol, uint16_t source_port,
			 uint16_t destination_port, uint8_t tcp_flags, struct netdev *in)
{
	struct pkt *pkt = pkt_alloc();
	if (pkt == NULL)
		return NULL;
	unsigned transport_length = protocol == 6 ? 20 : 8;
	uint8_t *ip = pkt_put(pkt, 20 + transport_length);
	memset(ip, 0, 20 + transport_length);
	ip[0] = 0x45;
	ip[2] = 0;
	ip[3] = (uint8_t)(20 + transport_length);
	ip[6] = 0x40;                              /* DF */
	ip[8] = 64;
	ip[9] = protocol;
	inet_pton(AF_INET, source, ip + 12);
	inet_pton(AF_INET, destination, ip + 16);
	uint16_t checksum = sum16(ip, 20);
	ip[10] = (uint8_t)(checksum >> 8);
	ip[11] = (uint8_t)checksum;
	uint8_t *transport = ip + 20;
	if (protocol == 1) {
		transport[0] = (uint8_t)destination_port;   /* ICMP type */
	} else {
		transport[0] = (uint8_t)(source_port >> 8), transport[1] = (uint8_t)source_port;
		transport[2] = (uint8_t)(destination_port >> 8), transport[3] = (uint8_t)destination_port;
		if (protocol == 17)
			transport[5] = 8;                  /* UDP length */
		if (protocol == 6) {
			transport[4] = 0x11, transport[5] = 0x22, transport[6] = 0x33, transport[7] = 0x44;   /* seq */
			transport[8] = 0x55, transport[9] = 0x66, transport[10] = 0x77, transport[11] = 0x88; /* ack */
			transport[12] = 5 << 4;
			transport[13] = tcp_flags;
		}
	}
	pkt_set_network_header(pkt);
	pkt->protocol = 0x0800;
	pkt->device = in;
	return pkt;
}
