/* reassembly.h - IPv4 reassembly (RFC 791 3.2, RFC 815).
 *
 * Fragments wait as pkts on a per-datagram list sorted by offset (key:
 * source, destination, identification, protocol). A fragment that overlaps
 * one held, other than an exact duplicate, condemns the whole datagram as
 * RFC 5722 does for IPv6: everything held is dropped and later fragments of
 * it too, until its timeout. The datagram is complete when the last
 * fragment (MF clear) has come and the bytes held add up to its length.
 * It is then delivered in the first fragment's pkt when it fits there, else
 * in a heap buffer (struct ipv4_large_datagram, net/ipv4/ipv4.h).
 *
 * Bounded: at most IP_REASSEMBLY_QUEUES datagrams, and fragments held at
 * most net.ipv4.ipfrag_high_thresh bytes (each pkt counts its full buffer,
 * as Linux counts truesize) and net.ipv4.ipfrag_max_pkts pkts (the pool is
 * shared with the NICs); beyond, the oldest datagram is evicted. A
 * datagram incomplete net.ipv4.ipfrag_time seconds after its first fragment
 * came is dropped, with ICMP time exceeded (code 1) when its first fragment
 * was among those received (RFC 1122 3.3.2). Time is passed in. */
#ifndef KEEL_NET_IP_REASSEMBLY_H
#define KEEL_NET_IP_REASSEMBLY_H

#include <stdint.h>

#include "net/core/pkt.h"
#include "net/ipv4/interface.h"
#include "net/ipv4/ipv4.h"

#define IP_REASSEMBLY_QUEUES 64

/* Tunables (sysctl), Linux's names and defaults but ipfrag_max_pkts. */
extern int64_t ipv4_ipfrag_time;            /* net.ipv4.ipfrag_time, seconds */
extern int64_t ipv4_ipfrag_high_thresh;     /* net.ipv4.ipfrag_high_thresh, bytes */
extern int64_t ipv4_ipfrag_max_pkts;        /* net.ipv4.ipfrag_max_pkts */

enum ip_reassembly_result {
	IP_REASSEMBLY_HELD,          /* kept or dropped: nothing to deliver */
	IP_REASSEMBLY_DONE_PKT,      /* *whole: the datagram in one pkt, data = IP header */
	IP_REASSEMBLY_DONE_LARGE,    /* *large: the datagram in a heap buffer */
};

struct ip_reassembly_stats {
	unsigned datagrams;          /* being reassembled (or condemned) now */
	unsigned pkts_held;
	uint64_t reassembled;        /* datagrams completed */
	uint64_t timeouts;
	uint64_t time_exceeded_sent; /* ICMP errors asked for (rate limits may still hold them back) */
};

/* pkt: a validated fragment addressed to us, data = IP header, length =
 * its total length, received on interface. Consumes pkt. */
enum ip_reassembly_result ip_reassembly_input(struct net_interface *interface, struct pkt *pkt, uint64_t now_ns,
					      struct pkt **whole, struct ipv4_large_datagram *large);
/* Drops the datagrams whose time is up (run by a timer in the kernel). */
void ip_reassembly_expire(uint64_t now_ns);
/* Drops everything held (host tests: the pool must be full afterwards). */
void ip_reassembly_flush(void);
struct ip_reassembly_stats ip_reassembly_get_stats(void);
/* Adds the "ipv4: reassembly" line (those stats) to the netdev stats block
 * (net/core/stats_print.h); called once at bring-up (net/stack). */
void ip_reassembly_stats_init(void);

#endif
