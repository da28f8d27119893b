/* table.c - where segments find their connection: a hash table of
 * every tcb with a full 4-tuple (SYN_SENT and later, including SYN_RECEIVED
 * children and TIME_WAIT), bounded by keel.tcp.max_connections; and the
 * list of bound sockets (listeners and connect()ed ones), which owns port
 * numbers. Lookups prefer the exact 4-tuple, then a listener on the exact
 * address, then one on INADDR_ANY (RFC 9293 3.10.7: "the most specific"). */
#include "net/tcp/internal.h"
#include "net/tcp/sysctl.h"

#include <errno.h>

#define TABLE_BUCKETS 4096u                     /* power of two */
#define EPHEMERAL_FIRST 32768u                  /* Linux's ip_local_port_range */
#define EPHEMERAL_LAST 60999u

static struct tcp_sock *buckets[TABLE_BUCKETS];
static unsigned connection_count;
static struct tcp_sock *bound_list;
static uint32_t hash_seed;

static unsigned bucket_of(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port)
{
	if (hash_seed == 0)
		hash_seed = (uint32_t)tcp_random() | 1;
	/* Multiplicative mixing under a random seed: flows cannot be aimed at one bucket. */
	uint64_t key = ((uint64_t)remote_address << 32 | (uint32_t)(remote_port << 16 | local_port)) ^ hash_seed;
	key ^= (uint64_t)local_address * 0x9E3779B97F4A7C15ull;
	key *= 0xC2B2AE3D27D4EB4Full;
	return (unsigned)(key >> 40) & (TABLE_BUCKETS - 1);
}

int tcp_table_insert(struct tcp_sock *tcb)
{
	if (tcb->hashed)
		return 0;
	if (connection_count >= (uint64_t)tcp_max_connections)
		return -ENOBUFS;
	unsigned bucket = bucket_of(tcb->local_address, tcb->local_port, tcb->remote_address, tcb->remote_port);
	tcb->hash_next = buckets[bucket];
	buckets[bucket] = tcb;
	tcb->hashed = true;
	connection_count++;
	return 0;
}

void tcp_table_remove(struct tcp_sock *tcb)
{
	if (!tcb->hashed)
		return;
	unsigned bucket = bucket_of(tcb->local_address, tcb->local_port, tcb->remote_address, tcb->remote_port);
	for (struct tcp_sock **link = &buckets[bucket]; *link; link = &(*link)->hash_next) {
		if (*link == tcb) {
			*link = tcb->hash_next;
			break;
		}
	}
	tcb->hash_next = NULL;
	tcb->hashed = false;
	connection_count--;
}

struct tcp_sock *tcp_table_lookup(be32 local_address, be16 local_port, be32 remote_address, be16 remote_port)
{
	unsigned bucket = bucket_of(local_address, local_port, remote_address, remote_port);
	for (struct tcp_sock *tcb = buckets[bucket]; tcb; tcb = tcb->hash_next)
		if (tcb->remote_port == remote_port && tcb->local_port == local_port &&
		    tcb->remote_address == remote_address && tcb->local_address == local_address)
			return tcb;
	return NULL;
}

struct tcp_sock *tcp_listener_lookup(be32 local_address, be16 local_port)
{
	struct tcp_sock *wildcard = NULL;
	for (struct tcp_sock *tcb = bound_list; tcb; tcb = tcb->bind_next) {
		if (tcb->state != TCP_LISTEN || tcb->local_port != local_port)
			continue;
		if (tcb->local_address == local_address)
			return tcb;
		if (tcb->local_address == 0)
			wildcard = tcb;
	}
	return wildcard;
}

unsigned tcp_table_count(void)
{
	return connection_count;
}

/* Linux's rule, simplified: two sockets may share a port when their
 * addresses differ (neither the wildcard), or both set SO_REUSEADDR and
 * neither listens. Accepted children never hold a port of their own. */
static bool port_conflicts(const struct tcp_sock *other, be32 address, uint16_t port, bool reuse_address)
{
	if (ntohs(other->local_port) != port)
		return false;
	if (address != 0 && other->local_address != 0 && address != other->local_address)
		return false;
	bool other_reuses = other->sk && other->sk->reuse_address;
	return !(reuse_address && other_reuses && other->state != TCP_LISTEN);
}

int tcp_bind_port(struct tcp_sock *tcb, be32 address, uint16_t port, bool reuse_address)
{
	if (tcb->bound)
		return -EINVAL;
	for (struct tcp_sock *other = bound_list; other; other = other->bind_next)
		if (port_conflicts(other, address, port, reuse_address))
			return -EADDRINUSE;
	tcb->local_address = address;
	tcb->local_port = htons(port);
	tcb->bind_next = bound_list;
	bound_list = tcb;
	tcb->bound = true;
	return 0;
}

void tcp_unbind(struct tcp_sock *tcb)
{
	if (!tcb->bound)
		return;
	for (struct tcp_sock **link = &bound_list; *link; link = &(*link)->bind_next) {
		if (*link == tcb) {
			*link = tcb->bind_next;
			break;
		}
	}
	tcb->bind_next = NULL;
	tcb->bound = false;
}

static bool port_bound(uint16_t port)
{
	for (struct tcp_sock *other = bound_list; other; other = other->bind_next)
		if (ntohs(other->local_port) == port)
			return true;
	return false;
}

/* RFC 6056 3.3.1-like: a random starting point, then the first port free
 * for this destination. */
uint16_t tcp_ephemeral_port(be32 local_address, be32 remote_address, be16 remote_port)
{
	uint32_t range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
	uint32_t start = (uint32_t)(tcp_random() % range);
	for (uint32_t i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(EPHEMERAL_FIRST + (start + i) % range);
		if (!port_bound(port) && !tcp_table_lookup(local_address, htons(port), remote_address, remote_port))
			return port;
	}
	return 0;
}

void tcp_table_for_each(void (*visit)(const struct tcp_sock *tcb, void *context), void *context)
{
	/* Listeners own a port but no 4-tuple: they are on the bound list only. */
	for (const struct tcp_sock *tcb = bound_list; tcb; tcb = tcb->bind_next)
		if (tcb->state == TCP_LISTEN)
			visit(tcb, context);
	for (unsigned bucket = 0; bucket < TABLE_BUCKETS; bucket++)
		for (const struct tcp_sock *tcb = buckets[bucket]; tcb; tcb = tcb->hash_next)
			visit(tcb, context);
}
