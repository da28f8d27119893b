/* nft_check.h - between the nftables engine's host test driver
 * (nft_check.c) and its kernel shim (nft_check_shim.c): fake devices, a
 * fake clock, packet builders, and what the engine sent or dropped. */
#ifndef KEEL_TESTS_NFT_CHECK_H
#define KEEL_TESTS_NFT_CHECK_H

#include <stdint.h>

#include "net/core/drop.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"

extern struct netdev check_eth0, check_eth1;
extern uint64_t check_now_ns;

/* The last net_drop reason (NET_DROP_NONE when none since the reset) and how many. */
extern enum net_drop_reason check_last_drop;
extern unsigned check_drops;
/* ICMP errors asked for: the last type/code, and count. */
extern unsigned check_icmp_errors;
extern uint8_t check_icmp_type, check_icmp_code;
/* TCP segments handed to ipv4_output: the last one's bytes and addresses. */
extern unsigned check_tcp_sent;
extern uint8_t check_tcp_segment[64];
extern uint32_t check_tcp_source, check_tcp_destination;   /* network order */
/* Datagrams handed to ipv4_loopback_output (reject in an output chain):
 * count, the last one's first bytes (transport header on), addresses,
 * protocol and the conntrack state it was given. */
extern unsigned check_looped;
extern uint8_t check_looped_bytes[64];
extern uint32_t check_looped_source, check_looped_destination;
extern uint8_t check_looped_protocol, check_looped_conntrack_state;
/* Console lines printed (printk), the last one. */
extern unsigned check_console_lines;
extern char check_console_last[512];

void check_reset_observations(void);
void check_pool_init(void);

/* An IPv4 datagram as received (pkt->data = IP header, network header set,
 * device = in). protocol 6/17: ports; flags for TCP; 1: ICMP type. */
struct pkt *check_packet(const char *source, const char *destination, uint8_t protocol, uint16_t source_port,
			 uint16_t destination_port, uint8_t tcp_flags, struct netdev *in);
#endif
