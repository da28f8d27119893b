/* conntrack_entry.h - connection tracking's insides, shared by
 * conntrack*.c and nat*.c (nobody else: rules read the pkt's copies).
 *
 * An entry (struct nf_conn) holds both tuples of a connection: the
 * original direction as its first packet had it, and the reply direction
 * as replies will look (the original inverted, then changed by NAT: a NAT
 * binding is just the reply tuple). Both are hashed (SipHash with a boot
 * secret) into one table of buckets; a node is an entry index and a
 * direction, so links are 32-bit indexes, not pointers. Entries come from a
 * fixed pool (nf_conntrack_max) and are at most CONNTRACK_ENTRY_BYTES.
 *
 * An entry is new (unconfirmed, in no bucket, owned by the one packet that
 * made it) until confirmation at POST_ROUTING / LOCAL_IN hashes it; a
 * packet dropped before that leaves nothing. `use` counts the table (while
 * hashed) and every pkt holding it; at 0 it goes back to the pool. */
#ifndef KEEL_NET_NETFILTER_CONNTRACK_ENTRY_H
#define KEEL_NET_NETFILTER_CONNTRACK_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/byteorder.h"
#include "net/core/pkt.h"
#include "net/netfilter/conntrack.h"
#include "net/netfilter/netfilter.h"

#define CONNTRACK_ENTRY_BYTES 128
#define CONNTRACK_DIRECTION_ORIGINAL 0
#define CONNTRACK_DIRECTION_REPLY 1
#define CONNTRACK_NODE_NONE UINT32_MAX
#define CONNTRACK_CHAIN_LONG 64

/* Linux's status bits beyond netfilter.h's (enum ip_conntrack_status). */
#define NF_CT_STATUS_SRC_NAT_DONE (1u << 7)
#define NF_CT_STATUS_DST_NAT_DONE (1u << 8)
#define NF_CT_STATUS_DYING (1u << 9)
/* Source NAT by masquerade: bound to the egress interface's address of the
 * moment (Linux keeps nf_conn_nat.masq_index for the same purpose). */
#define NF_CT_STATUS_MASQUERADED (1u << 10)
#define NF_CT_STATUS_NAT_MASK (NF_CT_STATUS_SRC_NAT | NF_CT_STATUS_DST_NAT)

/* One direction of a connection. For ICMP the echo identifier is the
 * "source port" (it is the same both ways) and the type and code say
 * which way (echo request 8 one way, echo reply 0 the other). Compared
 * and hashed as 16 bytes: the padding byte is always 0. */
struct conntrack_tuple {
	be32 source;
	be32 destination;
	be16 source_port;
	be16 destination_port;    /* ICMP: 0 */
	uint8_t protocol;
	uint8_t icmp_type;        /* ICMP only, else 0 */
	uint8_t icmp_code;
	uint8_t zero;
};
_Static_assert(sizeof(struct conntrack_tuple) == 16, "a tuple is 16 bytes");

/* Linux's TCP states (enum tcp_conntrack), in Linux's order. */
enum conntrack_tcp_state {
	CONNTRACK_TCP_NONE,
	CONNTRACK_TCP_SYN_SENT,
	CONNTRACK_TCP_SYN_RECV,
	CONNTRACK_TCP_ESTABLISHED,
	CONNTRACK_TCP_FIN_WAIT,
	CONNTRACK_TCP_CLOSE_WAIT,
	CONNTRACK_TCP_LAST_ACK,
	CONNTRACK_TCP_TIME_WAIT,
	CONNTRACK_TCP_CLOSE,
	CONNTRACK_TCP_SYN_SENT2,   /* simultaneous open: a SYN from each side */
	CONNTRACK_TCP_STATE_COUNT
};

/* Per-direction TCP window tracking (Linux's struct ip_ct_tcp_state, after
 * Guido van Rooij's "Real Stateful TCP Packet Filtering in IP Filter"). */
#define CONNTRACK_TCP_FLAG_WINDOW_SCALE 0x01       /* the SYN carried a window scale option */
#define CONNTRACK_TCP_FLAG_CLOSE_INIT 0x04         /* this side sent the first FIN */
#define CONNTRACK_TCP_FLAG_BE_LIBERAL 0x08         /* picked up mid-stream: window not enforced */
#define CONNTRACK_TCP_FLAG_DATA_UNACKNOWLEDGED 0x10
struct conntrack_tcp_window {
	uint32_t end;             /* td_end: highest sequence sent + 1 */
	uint32_t max_end;         /* td_maxend: highest sequence the peer's window allows */
	uint32_t max_window;      /* td_maxwin: largest window this side advertised */
	uint8_t scale;            /* td_scale: the window shift from the SYN */
	uint8_t flags;            /* CONNTRACK_TCP_FLAG_* */
};

struct nf_conn {
	struct conntrack_tuple tuple[2];       /* [CONNTRACK_DIRECTION_*] */
	uint32_t hash_next[2];                 /* next node in the bucket per direction; [0] links the free pool */
	uint64_t expires_ns;                   /* clock_monotonic_ns() when it times out */
	uint32_t mark;                         /* ct mark (always 0 until a rule sets it) */
	uint32_t use;                          /* references: the table's + one per pkt */
	union {
		struct conntrack_tcp_window window[2]; /* TCP: per direction (the sender's side) */
		uint64_t udp_stream_after_ns;          /* UDP: replies after this make it a stream */
	};
	uint16_t status;                       /* NF_CT_STATUS_* */
	uint8_t tcp_state;                     /* enum conntrack_tcp_state */
};
_Static_assert(sizeof(struct nf_conn) <= CONNTRACK_ENTRY_BYTES, "a conntrack entry is at most 128 bytes");

/* ---- tuples (conntrack_tuple.c) ---- */

/* What parsing a packet's IPv4 and transport headers found. */
struct conntrack_packet {
	struct conntrack_tuple tuple;
	uint8_t *network;          /* the IPv4 header */
	uint8_t *transport;        /* the transport header (in the same buffer) */
	uint32_t transport_length; /* bytes from transport to the datagram's end, per the IPv4 total length */
	uint32_t transport_available; /* of those, bytes in this buffer */
};
enum conntrack_parse_result {
	CONNTRACK_PARSED,
	CONNTRACK_MALFORMED,       /* truncated or inconsistent headers: INVALID */
	CONNTRACK_NOT_TRACKABLE,   /* a non-first fragment (no ports): UNTRACKED */
};
/* Parses the IPv4 header at network (available bytes there) and the
 * transport header's ports / ICMP fields. quoted: the datagram is inside an
 * ICMP error, so it may be cut short (only the first 8 transport bytes are
 * needed) and its total length is not checked against available. */
enum conntrack_parse_result conntrack_parse(uint8_t *network, uint32_t available, bool quoted,
					    struct conntrack_packet *packet);
/* The tuple of the other direction; false when none exists (an ICMP type that is not a query). */
bool conntrack_invert(const struct conntrack_tuple *tuple, struct conntrack_tuple *inverse);
bool conntrack_tuple_equal(const struct conntrack_tuple *a, const struct conntrack_tuple *b);
/* An ICMP query type that may start a connection (echo, timestamp, info, address mask requests). */
bool conntrack_icmp_is_request(uint8_t type);

/* ---- the table (conntrack_table.c) ---- */

/* Bytes for a table of capacity entries and bucket_count (a power of two) buckets. */
uint64_t conntrack_table_bytes(unsigned capacity, unsigned bucket_count);
/* Gives the table its memory (conntrack_table_bytes of it) and draws the hash key. */
void conntrack_table_attach(void *memory, unsigned capacity, unsigned bucket_count);
/* Provided by conntrack_memory.c (the host tests bring their own): sizes
 * and attaches the table; 0 or -1. */
int conntrack_table_allocate(unsigned wanted_entries);
bool conntrack_table_ready(void);

/* A fresh unconfirmed entry for original (reply = its inverse), use = 1
 * (the caller's pkt), or NULL when the table is full and early drop found
 * nothing to evict. */
struct nf_conn *conntrack_alloc(const struct conntrack_tuple *original, const struct conntrack_tuple *reply);
void conntrack_get(struct nf_conn *entry);
void conntrack_put(struct nf_conn *entry);
/* The confirmed, unexpired entry with a node equal to tuple, and which
 * direction matched; NULL when none. Takes no reference. */
struct nf_conn *conntrack_find(const struct conntrack_tuple *tuple, unsigned *direction);
/* Hashes both directions; -1 when either tuple is already there (the
 * entry stays unconfirmed). */
int conntrack_confirm(struct nf_conn *entry);
/* Unhashes a confirmed entry and drops the table's reference. */
void conntrack_kill(struct nf_conn *entry);
/* Whether another confirmed entry than ignored has a node equal to tuple (NAT's collision test). */
bool conntrack_tuple_taken(const struct conntrack_tuple *tuple, const struct nf_conn *ignored);
/* Expires up to bucket_budget buckets' worth of timed-out entries, going round the table. */
void conntrack_gc_step(unsigned bucket_budget);
unsigned conntrack_bucket_count(void);
/* Calls visit for every confirmed entry (the console's list and delete; visit may kill it). */
void conntrack_for_each(void (*visit)(struct nf_conn *entry, void *context), void *context);
/* Kills every confirmed entry; returns how many. */
unsigned conntrack_flush(void);
/* Entries in the free pool (the leak checks). */
unsigned conntrack_free_entries(void);

static inline bool conntrack_expired(const struct nf_conn *entry, uint64_t now_ns) { return now_ns >= entry->expires_ns; }

/* ---- protocols (conntrack_tcp.c, conntrack_protocols.c) ---- */

enum conntrack_verdict {
	CONNTRACK_VERDICT_ACCEPT,  /* tracked: state updated */
	CONNTRACK_VERDICT_INVALID, /* not part of the tracked connection: INVALID */
	CONNTRACK_VERDICT_REOPEN,  /* a SYN reopening a closed connection: kill the entry, track anew */
};
/* Whether the packet's TCP header is acceptable at all (Linux's tcp_error:
 * length, flag combination). */
bool conntrack_tcp_header_valid(const struct conntrack_packet *packet);
/* Sets up a new entry from its first segment; false: no connection starts so. */
bool conntrack_tcp_new(struct nf_conn *entry, const struct conntrack_packet *packet);
enum conntrack_verdict conntrack_tcp_packet(struct nf_conn *entry, unsigned direction,
					    const struct conntrack_packet *packet, uint64_t now_ns);
void conntrack_udp_packet(struct nf_conn *entry, uint64_t now_ns);   /* also for the first packet */
void conntrack_icmp_packet(struct nf_conn *entry, uint64_t now_ns);
void conntrack_generic_packet(struct nf_conn *entry, uint64_t now_ns);
/* "ESTABLISHED", ... as conntrack -L prints a TCP state. */
const char *conntrack_tcp_state_name(unsigned state);
/* Whether early drop may evict entry (not assured, or a TCP connection closing). */
bool conntrack_can_early_drop(const struct nf_conn *entry);

/* ---- the console's output (conntrack_print.c) ---- */

#define CONNTRACK_LINE_BYTES 320
/* One entry as `conntrack -L` prints it, with its '\n', into line (CONNTRACK_LINE_BYTES). */
void conntrack_format_entry(const struct nf_conn *entry, char *line);

/* ---- the tracking itself (conntrack_core.c) ---- */

enum nf_verdict conntrack_in(struct pkt *pkt, enum nf_inet_hook hook);
enum nf_verdict conntrack_confirm_packet(struct pkt *pkt);
void conntrack_release(struct nf_conn *entry);
/* Where the IPv4 header of pkt is, and how many bytes of it this buffer holds. */
uint8_t *conntrack_network_header(const struct pkt *pkt, uint32_t *available);

#endif
