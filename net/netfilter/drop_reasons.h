/* drop_reasons.h - why netfilter drops a packet: X-macro lists of
 * X(constant, name), composed into enum net_drop_reason by net/core/drop.h
 * (include that, not this). Rules (the nftables engine), connection
 * tracking and NAT each have their own list, so each prints as its layer.
 * A name never changes once printed: tests and dashboards parse it. */
#ifndef KEEL_NET_NETFILTER_DROP_REASONS_H
#define KEEL_NET_NETFILTER_DROP_REASONS_H

/* The rule engine: net/netfilter/nft_*.c */
#define NFT_DROP_REASONS(X) \
	X(NET_DROP_NFT_RULE_DROP, nft_rule_drop)       /* a rule's drop (or reject) verdict */ \
	X(NET_DROP_NFT_POLICY_DROP, nft_policy_drop)   /* a base chain's drop policy */

/* Connection tracking: net/netfilter/conntrack*.c */
#define CONNTRACK_DROP_REASONS(X) \
	X(NET_DROP_CONNTRACK_TABLE_FULL, conntrack_table_full) /* nf_conntrack_max reached, nothing to early-drop */ \
	X(NET_DROP_CONNTRACK_INSERT_FAILED, conntrack_insert_failed) /* a new entry's tuple was taken at confirmation */

/* NAT: net/netfilter/nat*.c */
#define NAT_DROP_REASONS(X) \
	X(NET_DROP_NAT_NO_FREE_PORT, nat_no_free_port)  /* every port of the range is taken for this tuple */ \
	X(NET_DROP_NAT_NO_ADDRESS, nat_no_address)      /* masquerade or redirect on an interface without an address */ \
	X(NET_DROP_NAT_UNTRANSLATABLE, nat_untranslatable) /* the headers to rewrite are not in the first buffer */

#endif
