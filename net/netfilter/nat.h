/* nat.h - network address translation (Linux's nf_nat), what the rule
 * engine and the lead call.
 *
 * A binding lives in the connection's conntrack entry: its reply tuple is
 * the translated one. It is made once, for the first packet of a
 * connection, at the hook where a nat chain asks for it (source NAT at
 * POST_ROUTING and LOCAL_IN, destination NAT at PRE_ROUTING and
 * LOCAL_OUT); every later packet of either direction is rewritten from
 * it, and ICMP errors about the connection get their quoted header
 * translated back. Checksums are updated incrementally (RFC 1624), also
 * for TX checksum offload (CHECKSUM_PARTIAL, TSO) packets.
 *
 * nat_enable() switches NAT on (and conntrack with it); the rule engine
 * hands over how to consult its nat chains with nat_set_rule_lookup(). */
#ifndef KEEL_NET_NETFILTER_NAT_H
#define KEEL_NET_NETFILTER_NAT_H

#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/netfilter/netfilter.h"

enum nat_kind {
	NAT_KIND_NONE,         /* no nat statement reached: the connection keeps its addresses */
	NAT_KIND_SNAT,         /* snat to A[-B][:P[-Q]] */
	NAT_KIND_DNAT,         /* dnat to A[-B][:P[-Q]] */
	NAT_KIND_MASQUERADE,   /* masquerade [to :P[-Q]]: source = the egress interface's address */
	NAT_KIND_REDIRECT,     /* redirect [to :P[-Q]]: destination = the ingress interface's address */
};

#define NAT_RANGE_HAS_ADDRESS 0x1   /* address_min..address_max given (SNAT, DNAT) */
#define NAT_RANGE_HAS_PORTS 0x2     /* port_min..port_max given */

struct nat_range {
	uint8_t kind;              /* enum nat_kind */
	uint8_t flags;             /* NAT_RANGE_HAS_* */
	be32 address_min;          /* network order */
	be32 address_max;
	uint16_t port_min;         /* host order; for ICMP the echo identifier range */
	uint16_t port_max;
};

/* The rule engine's side: evaluate the nat chains of state->hook for the
 * first packet of a connection and fill range from the nat statement that
 * matched (kind NAT_KIND_NONE, the zeroed default, when none did). Returns
 * NF_ACCEPT, or NF_DROP when a rule dropped the pkt (the engine then has
 * called net_drop: the pkt is gone). Called only for packets whose
 * connection has no binding of that hook's kind yet; never for others. */
typedef enum nf_verdict (*nat_rule_lookup)(struct pkt *pkt, const struct nf_hook_state *state,
					   struct nat_range *range);

/* Sets (or with NULL removes) the lookup; a ruleset swap just sets the new one. */
void nat_set_rule_lookup(nat_rule_lookup lookup);

/* Enables conntrack and registers the NAT hook functions; idempotent. 0 or -1. */
int nat_enable(void);

#endif
