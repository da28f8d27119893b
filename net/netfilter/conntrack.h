/* conntrack.h - connection tracking (Linux's nf_conntrack), what the rest
 * of keel calls: switching it on, and the console's `conntrack` command.
 *
 * nf_conntrack_enable() allocates the table (net.netfilter.nf_conntrack_max
 * entries, fewer when memory is short) and registers the hook functions:
 * tracking at PRE_ROUTING and LOCAL_OUT (NF_IP_PRI_CONNTRACK), confirmation
 * at POST_ROUTING and LOCAL_IN (NF_IP_PRI_CONNTRACK_CONFIRM). The ruleset
 * loader calls it when a ruleset needs conntrack (a ct expression or a nat
 * chain); until then no packet pays for it. After tracking, every IPv4
 * packet has pkt->conntrack_state set (NF_CT_STATE_*: NEW, ESTABLISHED,
 * RELATED, INVALID or UNTRACKED), pkt->conntrack_status (NF_CT_STATUS_*),
 * pkt->conntrack_reply, and, unless INVALID or UNTRACKED, a reference in
 * pkt->conntrack that pkt_free() drops. Tracking never drops a packet
 * except when the table is full (conntrack_table_full) or a new entry
 * clashes at confirmation (conntrack_insert_failed); INVALID packets are
 * for the rules to drop (`ct state invalid drop`). */
#ifndef KEEL_NET_NETFILTER_CONNTRACK_H
#define KEEL_NET_NETFILTER_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/pkt.h"

/* Allocates the table and registers the hooks; idempotent. 0, or -1 when
 * not even the smallest table fits in memory (warned once). */
int nf_conntrack_enable(void);
bool nf_conntrack_enabled(void);

/* Drops pkt's reference and clears its conntrack fields (Linux's
 * nf_reset_ct): for local delivery, once LOCAL_IN has passed, so pkts
 * waiting in socket queues hold no entry. */
void nf_conntrack_reset(struct pkt *pkt);

/* Linux's per-CPU statistics (conntrack -S); one CPU here. */
struct conntrack_stats {
	uint64_t found;           /* lookups that found an entry */
	uint64_t invalid;         /* packets that could not be tracked (INVALID) */
	uint64_t insert;          /* entries confirmed into the table */
	uint64_t insert_failed;   /* confirmations that clashed with an entry */
	uint64_t drop;            /* packets dropped: table full, nothing to early-drop */
	uint64_t early_drop;      /* unassured entries evicted to make room */
	uint64_t error;           /* malformed packets (a subset of invalid), as Linux's ICMP error count */
	uint64_t search_restart;  /* Linux's RCU lookup restarts: always 0 (one CPU, no concurrent writer) */
	uint64_t clash_resolve;   /* always 0: a clash is an insert_failed drop */
	uint64_t chaintoolong;    /* lookups that walked more than CONNTRACK_CHAIN_LONG nodes */
};
extern struct conntrack_stats conntrack_stats;

/* Entries in the table now (conntrack -C; unconfirmed ones included, as Linux's nf_conntrack_count). */
unsigned conntrack_count(void);
/* The table's size: entries it can hold (0 before nf_conntrack_enable). */
unsigned conntrack_capacity(void);

/* The console's `conntrack`: argv[0] is "conntrack"; -L, -S, -C, -F, -D
 * with -s/-d/-p/--sport/--dport (also --orig-src ... and -p with a name or
 * number) as conntrack-tools spells them. Lines go to out (stdout) and
 * to err (stderr: the "N flow entries have been shown." summaries and
 * errors), each a whole line with its '\n'. Returns the exit status (0, 1
 * on a usage error or when nothing matched -D / a -L filter, as conntrack). */
typedef void (*conntrack_output)(void *context, const char *line);
int conntrack_command(int argc, const char *const *argv, conntrack_output out, conntrack_output err, void *context);

#endif
