/* nat_core.c - making a NAT binding (nat_internal.h): a new reply tuple
 * that no other connection uses, so that replies find exactly one entry.
 * Ports are kept when free (Linux's nf_nat_used_tuple); otherwise a
 * walk of the range from a start hashed from the tuple, bounded in tries
 * (128, then halves from random starts down to 16) as Linux bounds it,
 * so a full range costs a bounded amount of work per new connection. */
#include "net/netfilter/nat_internal.h"

#include "net/core/secret.h"
#include "net/core/siphash.h"
#include "net/wire/ipv4.h"

#define NAT_ATTEMPTS_MAX 128
#define NAT_ATTEMPTS_MIN 16

static struct siphash_key nat_key;
static bool nat_key_ready;
static uint64_t nat_random_counter;

static uint64_t nat_hash(const void *data, size_t length)
{
	if (!nat_key_ready) {
		net_secret_key(&nat_key);
		nat_key_ready = true;
	}
	return siphash_2_4(&nat_key, data, length);
}

/* Whether a connection leaving as wanted would clash: its reply taken. */
static bool tuple_in_use(const struct conntrack_tuple *wanted, const struct nf_conn *entry)
{
	struct conntrack_tuple reply;
	return conntrack_invert(wanted, &reply) && conntrack_tuple_taken(&reply, entry);
}

/* The field a manip may change: TCP/UDP ports, the ICMP identifier either way. */
static be16 *port_field(struct conntrack_tuple *tuple, enum nat_manip manip)
{
	switch (tuple->protocol) {
	case IP_PROTOCOL_ICMP: return &tuple->source_port;
	case IP_PROTOCOL_TCP:
	case IP_PROTOCOL_UDP: return manip == NAT_MANIP_SRC ? &tuple->source_port : &tuple->destination_port;
	default: return NULL;
	}
}

/* Without a port range: the whole identifier space for ICMP; for TCP/UDP
 * source ports Linux's classes (below 512, 600-1023, 1024 and up) so a
 * privileged port stays privileged. */
static void default_port_range(const struct conntrack_tuple *tuple, uint16_t current, uint16_t *minimum,
			       uint16_t *maximum)
{
	if (tuple->protocol == IP_PROTOCOL_ICMP) {
		*minimum = 0, *maximum = 65535;
	} else if (current < 512) {
		*minimum = 1, *maximum = 511;
	} else if (current < 1024) {
		*minimum = 600, *maximum = 1023;
	} else {
		*minimum = 1024, *maximum = 65535;
	}
}

static bool find_free_port(struct nf_conn *entry, enum nat_manip manip, const struct nat_range *range,
			   struct conntrack_tuple *wanted)
{
	be16 *port = port_field(wanted, manip);
	bool has_ports = range->flags & NAT_RANGE_HAS_PORTS;
	if (port == NULL)
		return true;   /* nothing to move: a clash shows at confirmation */
	uint16_t current = ntohs(*port);
	bool in_range = !has_ports || (current >= range->port_min && current <= range->port_max);
	if (in_range && !tuple_in_use(wanted, entry))
		return true;
	/* Linux never moves a destination port it was not asked to; a clash
	 * is left to the source binding after it (or to confirmation). */
	if (!has_ports && manip == NAT_MANIP_DST && wanted->protocol != IP_PROTOCOL_ICMP)
		return true;
	uint16_t minimum = range->port_min, maximum = range->port_max;
	if (!has_ports)
		default_port_range(wanted, current, &minimum, &maximum);
	uint32_t size = (uint32_t)maximum - minimum + 1;
	uint32_t offset = (uint32_t)nat_hash(wanted, sizeof(*wanted));
	uint32_t attempts = size < NAT_ATTEMPTS_MAX ? size : NAT_ATTEMPTS_MAX;
	for (;;) {
		for (uint32_t attempt = 0; attempt < attempts; attempt++, offset++) {
			*port = htons((uint16_t)(minimum + offset % size));
			if (!tuple_in_use(wanted, entry))
				return true;
		}
		if (attempts >= size || attempts < NAT_ATTEMPTS_MIN)
			return false;
		attempts /= 2;
		nat_random_counter++;
		offset = (uint32_t)nat_hash(&nat_random_counter, sizeof(nat_random_counter));
	}
}

/* One address of the range, the same for the same pair of hosts (Linux hashes both). */
static be32 choose_address(const struct nat_range *range, const struct conntrack_tuple *tuple)
{
	uint32_t minimum = ntohl(range->address_min), maximum = ntohl(range->address_max);
	if (maximum <= minimum)
		return range->address_min;
	be32 pair[2] = { tuple->source, tuple->destination };
	uint64_t span = (uint64_t)maximum - minimum + 1;
	return htonl((uint32_t)(minimum + nat_hash(pair, sizeof(pair)) % span));
}

int nat_setup_binding(struct nf_conn *entry, enum nat_manip manip, const struct nat_range *range)
{
	struct conntrack_tuple current, wanted;
	conntrack_invert(&entry->tuple[CONNTRACK_DIRECTION_REPLY], &current);   /* the original as sent so far */
	wanted = current;
	if (range->flags & NAT_RANGE_HAS_ADDRESS) {
		be32 address = choose_address(range, &entry->tuple[CONNTRACK_DIRECTION_ORIGINAL]);
		if (manip == NAT_MANIP_SRC)
			wanted.source = address;
		else
			wanted.destination = address;
	}
	if (!find_free_port(entry, manip, range, &wanted))
		return -1;
	conntrack_invert(&wanted, &entry->tuple[CONNTRACK_DIRECTION_REPLY]);
	if (!conntrack_tuple_equal(&wanted, &current))
		entry->status |= manip == NAT_MANIP_SRC ? NF_CT_STATUS_SRC_NAT : NF_CT_STATUS_DST_NAT;
	entry->status |= manip == NAT_MANIP_SRC ? NF_CT_STATUS_SRC_NAT_DONE : NF_CT_STATUS_DST_NAT_DONE;
	return 0;
}
