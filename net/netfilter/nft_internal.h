/* nft_internal.h - the ruleset as the nftables engine holds it, shared by
 * its files (lexer -> parser -> ruleset -> evaluator / printer):
 *
 *   ruleset -> tables[] -> chains[] -> rules[] -> items[] (in source order)
 *                       -> sets[]   (named sets: elements + lookup index)
 *
 * A rule is immutable once built except for its counters and its limit's
 * bucket; rules and sets are reference counted so that a new ruleset built
 * from the current one (nft add rule, nft -f on top) shares them and the
 * counters keep counting across the swap. Items name chains (jump/goto) and
 * named sets by their index in the table, never by pointer, so a copied
 * table needs no pointer fix-up. Every value is held in host order in 32
 * bits (addresses, ports, protocols, flag bits all fit). */
#ifndef KEEL_NET_NETFILTER_NFT_INTERNAL_H
#define KEEL_NET_NETFILTER_NFT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/netfilter/netfilter.h"
#include "net/netfilter/nft.h"

#define NFT_NAME_LENGTH 32          /* table, chain, set names (nft: 256; ours are bounded) */
#define NFT_IFNAME_LENGTH 16        /* IFNAMSIZ */
#define NFT_JUMP_STACK_SIZE 16      /* Linux's NFT_JUMP_STACK_SIZE */
#define NFT_TABLES_MAX 16
#define NFT_CHAINS_MAX 64           /* per table */
#define NFT_SETS_MAX 32             /* per table */
#define NFT_RULES_MAX 1024          /* per chain */
#define NFT_ITEMS_MAX 16            /* matches and statements per rule */
#define NFT_SET_ELEMENTS_MAX 65536
#define NFT_LOG_PREFIX_LENGTH 128   /* nft's NF_LOG_PREFIXLEN */

enum nft_family { NFT_FAMILY_IP, NFT_FAMILY_INET };

/* What a match reads from the packet. */
enum nft_field {
	NFT_FIELD_IIF, NFT_FIELD_OIF,               /* a device (resolved at load) */
	NFT_FIELD_IIFNAME, NFT_FIELD_OIFNAME,       /* a name, compared as a string */
	NFT_FIELD_META_L4PROTO,
	NFT_FIELD_IP_SADDR, NFT_FIELD_IP_DADDR, NFT_FIELD_IP_PROTOCOL,
	NFT_FIELD_TCP_SPORT, NFT_FIELD_TCP_DPORT, NFT_FIELD_TCP_FLAGS,
	NFT_FIELD_UDP_SPORT, NFT_FIELD_UDP_DPORT,
	NFT_FIELD_ICMP_TYPE,
	NFT_FIELD_CT_STATE, NFT_FIELD_CT_STATUS,
	NFT_FIELD_COUNT
};

/* How a field's value is written and printed (its nft data type). */
enum nft_value_type {
	NFT_TYPE_IFACE, NFT_TYPE_IFNAME, NFT_TYPE_PROTOCOL, NFT_TYPE_ADDRESS, NFT_TYPE_PORT,
	NFT_TYPE_TCP_FLAGS, NFT_TYPE_ICMP_TYPE, NFT_TYPE_CT_STATE, NFT_TYPE_CT_STATUS
};

enum nft_operator {
	NFT_OP_IMPLICIT,   /* no operator written: == for values, "any bit" for flag types */
	NFT_OP_EQUAL,      /* == */
	NFT_OP_NOT_EQUAL,  /* != */
};

/* One element of a set, or the right-hand side of a match. */
enum nft_element_form { NFT_FORM_VALUE, NFT_FORM_PREFIX, NFT_FORM_RANGE };
struct nft_element {
	uint32_t low, high;          /* inclusive; low == high for a value */
	uint8_t form;                /* enum nft_element_form: how it was written */
	uint8_t prefix_length;
};

/* A set: its elements as written (for printing) and an index built once:
 * an open-addressing hash of the values when every element is one value,
 * else the elements merged into sorted disjoint intervals for a binary
 * search. Both answer in O(1)/O(log n). */
struct nft_set {
	unsigned references;
	char name[NFT_NAME_LENGTH];     /* "" for an anonymous set */
	uint8_t key_type;               /* enum nft_value_type */
	bool interval;                  /* flags interval */
	uint32_t handle;
	struct nft_element *elements;
	uint32_t element_count;
	uint32_t *hash_slots;           /* value + 1, 0 = empty; NULL: intervals are used */
	uint32_t hash_mask;
	struct nft_element *intervals;  /* sorted, disjoint, merged */
	uint32_t interval_count;
};

/* `iifname { "eth0", "eth1" }`: a few names, each matched as a single one. */
#define NFT_INTERFACE_LIST_MAX 16
struct nft_interface_list {
	uint8_t count;
	char names[NFT_INTERFACE_LIST_MAX][NFT_IFNAME_LENGTH];
	const struct netdev *devices[NFT_INTERFACE_LIST_MAX];   /* iif/oif: resolved at load */
};

struct nft_match {
	uint8_t field;                  /* enum nft_field */
	uint8_t operator;               /* enum nft_operator */
	bool has_mask;                  /* `field & mask OP value` */
	uint32_t mask;
	struct nft_element value;       /* when set_index < 0 and anonymous == NULL */
	struct nft_set *anonymous;      /* `{ ... }`, owned by the rule */
	int set_index;                  /* `@name`: index in the table's sets, else -1 */
	char ifname[NFT_IFNAME_LENGTH]; /* iif/oif/iifname/oifname */
	const struct netdev *device;    /* iif/oif: resolved at load */
	struct nft_interface_list *interfaces;  /* `{ ... }` of names, owned by the rule; else NULL */
};

enum nft_verdict_code {
	NFT_VERDICT_NONE,      /* the rule has no verdict: continue */
	NFT_VERDICT_ACCEPT, NFT_VERDICT_DROP, NFT_VERDICT_REJECT,
	NFT_VERDICT_JUMP, NFT_VERDICT_GOTO, NFT_VERDICT_RETURN,
	NFT_VERDICT_NAT        /* a NAT statement: terminal in a nat chain */
};

enum nft_reject_kind { NFT_REJECT_ICMP, NFT_REJECT_TCP_RESET };

enum nft_limit_unit { NFT_LIMIT_SECOND, NFT_LIMIT_MINUTE, NFT_LIMIT_HOUR, NFT_LIMIT_DAY };

enum nft_item_kind {
	NFT_ITEM_MATCH, NFT_ITEM_COUNTER, NFT_ITEM_LIMIT, NFT_ITEM_LOG, NFT_ITEM_VERDICT, NFT_ITEM_NAT
};

struct nft_item {
	uint8_t kind;                   /* enum nft_item_kind */
	union {
		struct nft_match match;
		struct { uint64_t packets, bytes; } counter;
		struct {
			uint32_t rate;           /* packets per unit */
			uint8_t unit;            /* enum nft_limit_unit */
			bool over;               /* `limit rate over`: matches beyond the rate */
			uint32_t burst;          /* packets; 0: not written (5) */
			uint64_t tokens_ns;      /* token bucket in nanoseconds of credit */
			uint64_t last_ns;
		} limit;
		struct { char prefix[NFT_LOG_PREFIX_LENGTH]; } log;
		struct {
			uint8_t code;            /* enum nft_verdict_code */
			uint8_t reject_kind;     /* enum nft_reject_kind */
			bool reject_with;        /* `with ...` was written */
			uint8_t icmp_code;       /* reject: ICMP unreachable code */
			int chain_index;         /* jump/goto */
			uint32_t load;           /* jump/goto: which load wrote it (nft_validate.c's errors) */
			uint32_t line, column, end_column;
		} verdict;
		struct nft_nat_result nat;   /* `dnat to ...` etc. (nft.h) */
	};
};

struct nft_rule {
	unsigned references;
	uint32_t handle;
	uint8_t item_count;
	struct nft_item items[NFT_ITEMS_MAX];
};

struct nft_chain {
	char name[NFT_NAME_LENGTH];
	uint32_t handle;
	bool base;                      /* has type/hook/priority */
	bool placeholder;               /* named by a jump before its definition (the load fails if never defined) */
	uint32_t placeholder_line, placeholder_column, placeholder_end_column;
	bool nat_type;                  /* type nat (else filter) */
	uint8_t hook;                   /* enum nf_inet_hook */
	int priority;
	bool policy_drop;
	struct nft_rule **rules;
	uint32_t rule_count, rule_capacity;
	struct nf_hook_ops ops;         /* registered while the ruleset is current (filter chains) */
	struct nft_table *table;        /* the owner, for the evaluator's chain and set indexes */
};

struct nft_table {
	char name[NFT_NAME_LENGTH];
	uint8_t family;                 /* enum nft_family */
	uint32_t handle;
	uint32_t next_handle;           /* chains, sets and rules share one counter, as nft */
	struct nft_chain *chains[NFT_CHAINS_MAX];
	uint32_t chain_count;
	struct nft_set *sets[NFT_SETS_MAX];
	uint32_t set_count;
};

struct nft_ruleset {
	struct nft_table *tables[NFT_TABLES_MAX];
	uint32_t table_count;
	uint32_t next_table_handle;
};

/* ---- what the installed ruleset needs of conntrack and NAT (nft_conntrack.c) ---- */
/* Turns tracking on for a ct match, NAT (with this engine as its rule
 * lookup) for a nat chain; never off again (tracked state outlives rulesets). */
void nft_conntrack_attach(const struct nft_ruleset *ruleset);

/* ---- ruleset objects (nft_ruleset.c) ---- */
struct nft_ruleset *nft_ruleset_new(void);
/* A new ruleset sharing current's rules and sets (their references taken). */
struct nft_ruleset *nft_ruleset_copy(const struct nft_ruleset *current);
void nft_ruleset_free(struct nft_ruleset *ruleset);
void nft_table_free(struct nft_table *table);
struct nft_table *nft_table_find(const struct nft_ruleset *ruleset, uint8_t family, const char *name);
struct nft_table *nft_table_add(struct nft_ruleset *ruleset, uint8_t family, const char *name);
struct nft_chain *nft_chain_add(struct nft_table *table, const char *name);
int nft_chain_find(const struct nft_table *table, const char *name);       /* index or -1 */
int nft_set_find(const struct nft_table *table, const char *name);         /* index or -1 */
/* Appends rule to chain (at position, or the end when position >= count); -1 when full. */
int nft_chain_insert_rule(struct nft_chain *chain, struct nft_rule *rule, uint32_t position);
void nft_rule_put(struct nft_rule *rule);
void nft_set_put(struct nft_set *set);
/* Totals for the boot line. */
void nft_ruleset_count(const struct nft_ruleset *ruleset, unsigned *tables, unsigned *chains, unsigned *rules);
/* The installed ruleset (NULL: none) and the swap that installs another. */
const struct nft_ruleset *nft_ruleset_current(void);
void nft_ruleset_install(struct nft_ruleset *ruleset);

/* ---- sets (nft_set.c) ---- */
/* Builds set's lookup index from its elements; -1 when out of memory. */
int nft_set_build_index(struct nft_set *set);
bool nft_set_contains(const struct nft_set *set, uint32_t value);
/* "ipv4_addr", "inet_service" ... for a set's key type. */
const char *nft_set_type_name(uint8_t type);

/* ---- evaluation (nft_eval.c) ---- */
/* What the evaluator reads from a packet, gathered once per hook run. */
struct nft_packet {
	const uint8_t *network;         /* the IPv4 header */
	uint32_t length;                /* the datagram's length (counters' bytes) */
	const uint8_t *transport;       /* NULL: absent (not first fragment, or truncated) */
	uint32_t transport_length;      /* bytes of it at hand */
	uint8_t protocol;
	const struct netdev *in, *out;
	uint8_t ct_state;               /* NF_CT_STATE_*; 0: not tracked */
	uint16_t ct_status;
	uint64_t now_ns;
};
/* Fills packet from pkt at a hook (network header at pkt->network_offset). false when not IPv4. */
bool nft_packet_from_pkt(struct nft_packet *packet, const struct pkt *pkt, const struct nf_hook_state *state,
			 uint64_t now_ns);

struct nft_outcome {
	uint8_t code;                       /* ACCEPT, DROP, REJECT or NAT (nat chains) */
	bool by_policy;                     /* the base chain's policy decided */
	const struct nft_item *verdict;     /* the item that decided (reject details, nat result) */
};
/* Runs base chain on packet: rules in order, jumps, counters, limits, logs. */
void nft_chain_evaluate(const struct nft_chain *chain, const struct nft_packet *packet, struct nft_outcome *outcome);
bool nft_match_evaluate(const struct nft_table *table, const struct nft_match *match, const struct nft_packet *packet);

/* ---- statements with effects (nft_log.c, nft_reject.c) ---- */
void nft_log_packet(const char *prefix, const struct nft_packet *packet, uint64_t now_ns);
/* Formats the Linux-like log line (without the console's rate limit). */
int nft_log_format(char *buffer, size_t size, const char *prefix, const struct nft_packet *packet);
/* Builds the TCP RST answering the TCP segment of packet (RFC 9293 3.10.7.1)
 * as an IPv4 payload: writes the TCP header (checksum done) to segment;
 * false when none must be sent (the segment is an RST, or no TCP header). */
bool nft_reject_build_reset(const struct nft_packet *packet, uint8_t segment[20]);
/* Sends the reject's answer about pkt (the pkt itself stays the caller's). */
void nft_reject_send(const struct nft_item *verdict, const struct pkt *pkt, const struct nft_packet *packet);

/* ---- names of values (nft_names.c) ---- */
enum nft_value_type nft_field_type(enum nft_field field);
const char *nft_field_name(enum nft_field field);        /* "ip saddr", "tcp dport" ... */
/* A symbolic value of type ("echo-request", "tcp", "syn", "established"), -1 when unknown. */
int64_t nft_symbol_value(enum nft_value_type type, const char *word);
/* The name of value for printing, or NULL (print the number). */
const char *nft_value_symbol(enum nft_value_type type, uint32_t value);
bool nft_type_is_bitmask(enum nft_value_type type);
const char *nft_hook_spelling(uint8_t hook);
/* A chain priority printed as nft does: a standard name, name +/- offset, or the number. */
void nft_priority_format(char *buffer, size_t size, int priority, bool nat_type, uint8_t hook);
/* "filter", "dstnat", ... to its value; false when not a name. */
bool nft_priority_name_value(const char *word, int *value);

/* ---- printing (nft_print.c) ---- */
struct nft_printer {
	nft_output_function output;
	void *context;
	bool handles;                   /* nft -a */
};
void nft_print_ruleset(const struct nft_ruleset *ruleset, struct nft_printer *printer);
void nft_print_table(const struct nft_table *table, struct nft_printer *printer);

/* ---- parsing (nft_parser.c) ---- */
struct nft_parse_error {
	char *text;
	size_t size;
	const char *file_name;
};
/* Applies the commands of text (a file's contents) to ruleset. 0, or -1
 * with the error written to error. */
int nft_parse_text(struct nft_ruleset *ruleset, const char *text, size_t length, struct nft_parse_error *error);
/* Writes "<file>:LINE:COL-END: Error: message", the line of text and
 * carets under the columns (line 0: "<file>: Error: message" alone). */
void nft_error_format(struct nft_parse_error *error, const char *text, size_t length, uint32_t line, uint32_t column,
		      uint32_t end_column, const char *message);
/* The number of the load being parsed (jump positions are kept with it). */
extern uint32_t nft_load_number;
/* The checks of a whole ruleset before it is installed (jump depth and
 * loops, NAT statements reached through jumps in the right chains). 0, or
 * -1 with the error (positioned in text when the jump is this load's). */
int nft_ruleset_validate(const struct nft_ruleset *ruleset, const char *text, size_t length,
			 struct nft_parse_error *error);

/* Device lookup by name (nft_ruleset.c: over netdev_first). */
const struct netdev *nft_device_by_name(const char *name);

#endif
