/* nft.h - the nftables rule engine: a ruleset in nft's syntax (a practical
 * subset, README "Firewall rules (nftables subset)"), loaded whole or
 * refused whole, evaluated at netfilter's hooks, printed back as
 * `nft list ruleset` does.
 *
 * The ruleset is one object: every change (a file, `nft add rule`, `nft
 * delete rule`, `nft flush ruleset`) builds a complete new one from the
 * current, then swaps one pointer and re-registers the base chains' hooks
 * (one nf_hook_ops per filter base chain, at the chain's priority); the old
 * one is freed after the swap. A packet sees the old or the new ruleset,
 * never a mix; a hook with no base chain has nothing registered. Counters
 * of rules that survive a change keep counting.
 *
 * Who calls what:
 *   console:   nft_command("list ruleset" | "-a list ruleset" | "flush ruleset" |
 *              "add rule ..." | "insert rule ..." | "delete rule ... handle N" |
 *              "-f <text>" ...), nft_load_text for a file's text
 *   boot:      nft_boot_load (the ruleset `make NFT=<file>` embedded)
 *   NAT:       nft_nat_evaluate for the first packet of a new connection */
#ifndef KEEL_NET_NETFILTER_NFT_H
#define KEEL_NET_NETFILTER_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/netdev.h"
#include "net/core/pkt.h"
#include "net/netfilter/netfilter.h"

/* Where printed text goes: called with pieces of lines (not necessarily whole lines). */
typedef void (*nft_output_function)(void *context, const char *text, size_t length);

/* Replaces the ruleset with the current one plus the commands of text
 * (nft -f semantics: a file usually starts with `flush ruleset`). file_name
 * names the text in errors: `<file>:LINE:COL-COL: Error: ...` followed by
 * the line and carets, as nft prints them. Returns 0, or -1 with error
 * written (the current ruleset stays). */
int nft_load_text(const char *text, size_t length, const char *file_name, char *error, size_t error_size);

/* `nft list ruleset` (with_handles: `nft -a list ruleset`). */
void nft_list_ruleset(nft_output_function output, void *context, bool with_handles);

/* One nft command line without the leading "nft": see the list above.
 * Output (listings, errors) goes to output. Returns 0 or -1. */
int nft_command(const char *arguments, nft_output_function output, void *context);

/* Removes every table (`nft flush ruleset`). */
void nft_flush_ruleset(void);

/* Loads the embedded boot ruleset, if the image has one, printing
 * "nft: ruleset loaded (N tables, M chains, K rules)" or the error. */
void nft_boot_load(void);

/* ---- NAT: the result of a nat chain for a new connection ----
 * nat base chains are not registered as hooks (as in Linux, they are
 * consulted once per connection): NAT calls nft_nat_evaluate for the first
 * packet of a new connection at its hook; the nat chains of that hook run
 * in priority order and the first NAT statement reached decides. */
enum nft_nat_type {
	NFT_NAT_NONE,         /* no NAT statement reached: the connection is not translated */
	NFT_NAT_DNAT,         /* dnat to ADDRESS[-ADDRESS][:PORT[-PORT]] */
	NFT_NAT_SNAT,         /* snat to ... */
	NFT_NAT_MASQUERADE,   /* masquerade [to :PORT[-PORT]]: the out device's address */
	NFT_NAT_REDIRECT,     /* redirect [to :PORT[-PORT]]: the in device's address (local delivery) */
};

struct nft_nat_result {
	uint8_t type;                      /* enum nft_nat_type */
	bool has_address;                  /* address_min/max are set */
	bool has_port;                     /* port_min/max are set */
	be32 address_min, address_max;     /* network order, inclusive */
	uint16_t port_min, port_max;       /* host order, inclusive */
};

/* Runs hook's nat chains on pkt (a new connection's first packet). Returns
 * NF_ACCEPT with *result filled (type NONE when nothing matched), or
 * NF_DROP when a rule dropped (pkt not freed: the caller drops it). */
enum nf_verdict nft_nat_evaluate(enum nf_inet_hook hook, const struct pkt *pkt, struct netdev *in,
				 struct netdev *out, struct nft_nat_result *result);
/* Whether any nat chain sits at hook (NAT need not track otherwise). */
bool nft_nat_chains_present(enum nf_inet_hook hook);

#endif
