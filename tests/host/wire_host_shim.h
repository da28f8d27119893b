/* wire_host_shim.h - the kernel around the real Ethernet, ARP, IPv4, ICMP
 * and UDP code, for host tests (tests/host/test_wire.py): a fake clock and
 * timer queue moved only by the test, a command line set by the test, and
 * one registered device, eth0, whose transmit ring is a capture buffer.
 * wire_shim_start brings the stack up the way the kernel does: eth0
 * registered (net/core/netdev.c), then `ip=` read by the real
 * net_interface_configure (address 10.99.0.2/24, gateway 10.99.0.1, routes).
 * Frames go in through netdev_receive, as a driver hands them up. */
#ifndef KEEL_TESTS_WIRE_HOST_SHIM_H
#define KEEL_TESTS_WIRE_HOST_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/netdev.h"
#include "tests/host/host_time_shim.h"

#define WIRE_CAPTURE_MAX 64
#define WIRE_FRAME_MAX 1600
/* What rtc_realtime_ns() says: 2026-12-07 12:34:56.789 UTC, whose
 * milliseconds since midnight (an IP timestamp, RFC 791) are 45296789 = 0x02b32c95. */
#define WIRE_REALTIME_NS 1796646896789000000ll

struct wire_frame {
	uint8_t bytes[WIRE_FRAME_MAX];   /* from the Ethernet header on, padding included */
	unsigned length;
};

extern struct netdev wire_device;

/* Registers eth0 and configures it from ip= (call once, before any frame). */
void wire_shim_start(void);
/* Hands one frame to the stack as the driver would (copied into a pkt). */
void wire_receive(const uint8_t *frame, unsigned length);
/* Hands a TCP super-frame to the stack as virtio-net's GUEST_TSO4 receive
 * does: in 2 KB buffers, gso_size set, the TCP checksum PARTIAL (its field
 * the pseudo-header sum) at tcp_offset from the frame's start. */
void wire_receive_super_frame(const uint8_t *frame, unsigned length, uint16_t gso_size, unsigned tcp_offset);
/* Frames transmitted and not yet taken. */
unsigned wire_pending(void);
/* The oldest transmitted frame not yet taken, or NULL. */
const struct wire_frame *wire_take(void);
void wire_discard_output(void);
/* sock_wake calls so far (the UDP socket layer's wake-ups). */
uint64_t wire_wakes(void);

#endif
