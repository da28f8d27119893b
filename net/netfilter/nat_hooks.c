/* nat_hooks.c - NAT at the hooks (Linux's nf_nat_ipv4_fn): destination
 * NAT at PRE_ROUTING and LOCAL_OUT (NF_IP_PRI_NAT_DST), source NAT at
 * POST_ROUTING and LOCAL_IN (NF_IP_PRI_NAT_SRC). The first packet of a
 * connection asks the rule engine (nat.h's lookup) and binds; every packet
 * is then rewritten from the binding; ICMP errors RELATED to a connection
 * are translated with their quote. Packets conntrack could not track
 * (INVALID, UNTRACKED) pass untouched. */
#include "net/netfilter/nat_internal.h"

#include "net/core/drop.h"
#include "net/ipv4/interface.h"
#include "net/wire/ipv4.h"

#define LOOPBACK_ADDRESS 0x7F000001u   /* Linux redirects locally generated packets to 127.0.0.1 */

static nat_rule_lookup rule_lookup;
static bool enabled;

void nat_set_rule_lookup(nat_rule_lookup lookup) { rule_lookup = lookup; }

/* Masquerade and redirect name an interface, not an address: resolved here
 * per connection, as Linux's nf_nat_masquerade / nf_nat_redirect do. A
 * kind that is not this hook's (snat at PRE_ROUTING) binds nothing. */
static bool resolve_range(struct nat_range *range, enum nat_manip manip, const struct nf_hook_state *state)
{
	bool source_kind = range->kind == NAT_KIND_SNAT || range->kind == NAT_KIND_MASQUERADE;
	if (range->kind == NAT_KIND_NONE || source_kind != (manip == NAT_MANIP_SRC)) {
		*range = (struct nat_range){ .kind = NAT_KIND_NONE };
		return true;
	}
	if (range->kind != NAT_KIND_MASQUERADE && range->kind != NAT_KIND_REDIRECT)
		return true;
	be32 address;
	if (range->kind == NAT_KIND_REDIRECT && state->hook == NF_INET_LOCAL_OUT) {
		address = htonl(LOOPBACK_ADDRESS);
	} else {
		const struct net_interface *interface = net_interface_of(range->kind == NAT_KIND_MASQUERADE ? state->out
													      : state->in);
		if (interface == NULL || interface->address == 0)
			return false;
		address = interface->address;
	}
	range->address_min = range->address_max = address;
	range->flags |= NAT_RANGE_HAS_ADDRESS;
	return true;
}

static enum nf_verdict bind_connection(struct pkt *pkt, struct nf_conn *entry, enum nat_manip manip,
			    const struct nf_hook_state *state)
{
	struct nat_range range = { .kind = NAT_KIND_NONE };
	if (rule_lookup) {
		enum nf_verdict verdict = rule_lookup(pkt, state, &range);
		if (verdict != NF_ACCEPT)
			return verdict;   /* the engine dropped (and counted) it */
	}
	if (!resolve_range(&range, manip, state)) {
		net_drop(pkt, NET_DROP_NAT_NO_ADDRESS);
		return NF_DROP;
	}
	if (nat_setup_binding(entry, manip, &range) != 0) {
		net_drop(pkt, NET_DROP_NAT_NO_FREE_PORT);
		return NF_DROP;
	}
	if (range.kind == NAT_KIND_MASQUERADE)
		entry->status |= NF_CT_STATUS_MASQUERADED;
	return NF_ACCEPT;
}

/* Linux's nf_nat_masquerade inetaddr event: once the address is gone the
 * connections masqueraded behind it cannot get replies (they are sent to
 * an address nobody has), so they are forgotten and their next packet
 * starts a new connection behind the new address. A masqueraded
 * connection's reply tuple is addressed to the address it took. */
static void forget_if_masqueraded_behind(struct nf_conn *entry, void *context)
{
	be32 old_address = *(const be32 *)context;
	if ((entry->status & NF_CT_STATUS_MASQUERADED) &&
	    entry->tuple[CONNTRACK_DIRECTION_REPLY].destination == old_address)
		conntrack_kill(entry);
}

static void address_removed(struct net_interface *interface, be32 old_address)
{
	conntrack_for_each(forget_if_masqueraded_behind, &old_address);
}

static enum nf_verdict nat_hook(const struct nf_hook_ops *ops, struct pkt *pkt, const struct nf_hook_state *state)
{
	struct nf_conn *entry = pkt->conntrack;
	if (entry == NULL)
		return NF_ACCEPT;
	enum nat_manip manip = nat_manip_of_hook(state->hook);
	unsigned direction = pkt->conntrack_reply;
	if (pkt->conntrack_state & NF_CT_STATE_RELATED) {
		/* The ICMP checksum is recomputed over the whole message (at most
		 * 576 bytes, RFC 1812 4.3.2.3): one buffer is needed. */
		if ((pkt->fragments && pkt_pull_fragments(pkt) != 0) || !nat_icmp_error(pkt, entry, direction, manip)) {
			net_drop(pkt, NET_DROP_NAT_UNTRANSLATABLE);
			return NF_DROP;
		}
		return NF_ACCEPT;
	}
	uint16_t done = manip == NAT_MANIP_SRC ? NF_CT_STATUS_SRC_NAT_DONE : NF_CT_STATUS_DST_NAT_DONE;
	if (!(entry->status & (NF_CT_STATUS_CONFIRMED | done))) {
		enum nf_verdict verdict = bind_connection(pkt, entry, manip, state);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	if (!nat_packet(pkt, entry, direction, manip)) {
		net_drop(pkt, NET_DROP_NAT_UNTRANSLATABLE);
		return NF_DROP;
	}
	pkt->conntrack_status = entry->status;
	return NF_ACCEPT;
}

static struct nf_hook_ops hook_ops[] = {
	{ .function = nat_hook, .hook = NF_INET_PRE_ROUTING, .priority = NF_IP_PRI_NAT_DST },
	{ .function = nat_hook, .hook = NF_INET_LOCAL_OUT, .priority = NF_IP_PRI_NAT_DST },
	{ .function = nat_hook, .hook = NF_INET_POST_ROUTING, .priority = NF_IP_PRI_NAT_SRC },
	{ .function = nat_hook, .hook = NF_INET_LOCAL_IN, .priority = NF_IP_PRI_NAT_SRC },
};

int nat_enable(void)
{
	if (enabled)
		return 0;
	if (nf_conntrack_enable() != 0)
		return -1;
	for (unsigned index = 0; index < sizeof(hook_ops) / sizeof(hook_ops[0]); index++)
		nf_register_hook(&hook_ops[index]);
	net_interface_watch_address_removal(address_removed);
	enabled = true;
	return 0;
}
