/* drop.c - drop reason counters (net/core/drop.h). */
#include "net/core/drop.h"

static uint64_t drop_counts[NET_DROP_REASON_COUNT];

static const char *const drop_reason_names[NET_DROP_REASON_COUNT] = {
	[NET_DROP_ETH_RUNT] = "eth_runt",
	[NET_DROP_ETH_OVERSIZED] = "eth_oversized",
	[NET_DROP_ETH_NOT_FOR_US] = "eth_not_for_us",
	[NET_DROP_ETH_UNKNOWN_ETHERTYPE] = "eth_unknown_ethertype",
	[NET_DROP_ETH_NO_HEADROOM] = "eth_no_headroom",
	[NET_DROP_TX_FAILED] = "tx_failed",
	[NET_DROP_TX_BACKLOG_FULL] = "tx_backlog_full",
	[NET_DROP_GSO_MALFORMED] = "gso_malformed",
	[NET_DROP_ARP_TRUNCATED] = "arp_truncated",
	[NET_DROP_ARP_BAD_FORMAT] = "arp_bad_format",
	[NET_DROP_ARP_BAD_OPCODE] = "arp_bad_opcode",
	[NET_DROP_ARP_BAD_SENDER] = "arp_bad_sender",
	[NET_DROP_ARP_NOT_FOR_US] = "arp_not_for_us",
	[NET_DROP_ARP_ADDRESS_CONFLICT] = "arp_address_conflict",
	[NET_DROP_ARP_QUEUE_FULL] = "arp_queue_full",
	[NET_DROP_ARP_UNRESOLVED] = "arp_unresolved",
	[NET_DROP_ARP_CACHE_EVICTED] = "arp_cache_evicted",
	[NET_DROP_IP_TOO_SHORT] = "ip_too_short",
	[NET_DROP_IP_BAD_VERSION] = "ip_bad_version",
	[NET_DROP_IP_BAD_IHL] = "ip_bad_ihl",
	[NET_DROP_IP_HEADER_TRUNCATED] = "ip_header_truncated",
	[NET_DROP_IP_BAD_CHECKSUM] = "ip_bad_checksum",
	[NET_DROP_IP_BAD_TOTAL_LENGTH] = "ip_bad_total_length",
	[NET_DROP_IP_TRUNCATED] = "ip_truncated",
	[NET_DROP_IP_TTL_ZERO] = "ip_ttl_zero",
	[NET_DROP_IP_NOT_FOR_US] = "ip_not_for_us",
	[NET_DROP_IP_MARTIAN_SOURCE] = "ip_martian_source",
	[NET_DROP_IP_UNKNOWN_PROTOCOL] = "ip_unknown_protocol",
	[NET_DROP_IP_NO_TCP] = "ip_no_tcp",
	[NET_DROP_IP_TOO_BIG_FOR_PROTOCOL] = "ip_too_big_for_protocol",
	[NET_DROP_IP_BAD_FRAGMENT] = "ip_bad_fragment",
	[NET_DROP_IP_REASSEMBLY_TOO_BIG] = "ip_reassembly_too_big",
	[NET_DROP_IP_REASSEMBLY_OVERLAP] = "ip_reassembly_overlap",
	[NET_DROP_IP_REASSEMBLY_DUPLICATE] = "ip_reassembly_duplicate",
	[NET_DROP_IP_REASSEMBLY_TIMEOUT] = "ip_reassembly_timeout",
	[NET_DROP_IP_REASSEMBLY_MEMORY] = "ip_reassembly_memory",
	[NET_DROP_IP_REASSEMBLY_NO_BUFFER] = "ip_reassembly_no_buffer",
	[NET_DROP_IP_NO_ROUTE] = "ip_no_route",
	[NET_DROP_NO_BUFFER] = "no_buffer",
	[NET_DROP_IP_FRAGMENT_NEEDED] = "ip_fragment_needed",
	[NET_DROP_ICMP_TRUNCATED] = "icmp_truncated",
	[NET_DROP_ICMP_BAD_CHECKSUM] = "icmp_bad_checksum",
	[NET_DROP_ICMP_BROADCAST_ECHO] = "icmp_broadcast_echo",
	[NET_DROP_ICMP_UNHANDLED_TYPE] = "icmp_unhandled_type",
	[NET_DROP_ICMP_ERROR_NOT_ALLOWED] = "icmp_error_not_allowed",
	[NET_DROP_ICMP_ERROR_RATE_LIMITED] = "icmp_error_rate_limited",
	[NET_DROP_ICMP_SOURCE_QUENCH] = "icmp_source_quench",
	[NET_DROP_ICMP_ERROR_BAD_QUOTE] = "icmp_error_bad_quote",
	[NET_DROP_ICMP_ERROR_UNKNOWN_CODE] = "icmp_error_unknown_code",
	[NET_DROP_ICMP_ERROR_NO_HANDLER] = "icmp_error_no_handler",
	[NET_DROP_ICMP_ERROR_NO_SOCKET] = "icmp_error_no_socket",
	[NET_DROP_ICMP_ERROR_OUT_OF_WINDOW] = "icmp_error_out_of_window",
	[NET_DROP_ICMP_ERROR_IGNORED] = "icmp_error_ignored",
	[NET_DROP_UDP_TRUNCATED] = "udp_truncated",
	[NET_DROP_UDP_BAD_LENGTH] = "udp_bad_length",
	[NET_DROP_UDP_BAD_CHECKSUM] = "udp_bad_checksum",
	[NET_DROP_UDP_NO_SOCKET] = "udp_no_socket",
	[NET_DROP_UDP_RECEIVE_BUFFER_FULL] = "udp_receive_buffer_full",
	[NET_DROP_UDP_NO_MEMORY] = "udp_no_memory",
};

void net_drop(struct pkt *pkt, enum net_drop_reason reason)
{
	if ((unsigned)reason < NET_DROP_REASON_COUNT)
		drop_counts[reason]++;
	pkt_free(pkt);
}

uint64_t net_drop_count(enum net_drop_reason reason)
{
	return (unsigned)reason < NET_DROP_REASON_COUNT ? drop_counts[reason] : 0;
}

const char *net_drop_reason_name(enum net_drop_reason reason)
{
	const char *name = (unsigned)reason < NET_DROP_REASON_COUNT ? drop_reason_names[reason] : NULL;
	return name ? name : "unknown";
}
