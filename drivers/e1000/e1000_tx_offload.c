/* e1000_tx_offload.c - what a transmitted pkt asks of the 8254x/82574
 * checksum and TCP segmentation engines, as a context descriptor plus the
 * options of its data descriptors (8254x SDM 3.3.5-3.3.7 and 3.5; 82574 DS
 * 7.2.4-7.2.6, 7.2.10).
 *
 * Checksum offload (PKT_CHECKSUM_PARTIAL, no gso_size): the stack left the
 * pseudo-header sum in the TCP/UDP checksum field; a context with TUCSS =
 * checksum start, TUCSO = where the field is, TUCSE = 0 (to the end) and
 * POPTS.TXSM makes the device add the sum of everything from TUCSS and
 * store the complement, which is the same rule. The IPv4 header checksum is
 * already complete (the stack computes it), so IXSM is not used.
 *
 * TSO (gso_size != 0; 8254x SDM 3.5): one context with TSE, HDRLEN (the
 * Ethernet + IPv4 + TCP header the device replicates in front of every
 * segment), MSS, PAYLEN (TCP payload bytes of the whole pkt) and both
 * checksum areas, then data descriptors with TSE and POPTS.IXSM|TXSM. Per
 * segment the device writes the IPv4 total length and identification and
 * the TCP sequence number and flags, and computes both checksums, adding the
 * segment's TCP length to the pseudo-header sum itself (3.5.2.2). So the
 * TCP field must hold the pseudo-header sum WITHOUT the length, and the IPv4
 * total length and header checksum 0 - where Linux's convention (netdev.h)
 * has the whole TCP length in the sum and the whole datagram's length. QEMU's
 * e1000 adds the per-segment length to the field exactly like that; its
 * e1000e recomputes the field from the addresses, so both accept this form.
 *
 * The context stays in the device until the next one, so an unchanged
 * checksum context is not written again (e1000.h: tx_context). A TSO context
 * differs from packet to packet (PAYLEN), so it is always written. */
#include "drivers/e1000/e1000.h"
#include "net/byteorder.h"
#include "net/checksum.h"

#include <string.h>

#define ETH_HEADER_LENGTH 14
#define ETH_TYPE_OFFSET 12
#define ETH_TYPE_IPV4 0x0800
/* IPv4 header (RFC 791 3.1) byte offsets. */
#define IPV4_VERSION_IHL 0
#define IPV4_TOTAL_LENGTH 2
#define IPV4_PROTOCOL 9
#define IPV4_CHECKSUM 10
#define IPV4_SOURCE 12
#define IPV4_HEADER_MIN 20
#define IPV4_ADDRESSES_LENGTH 8
#define IP_PROTOCOL_TCP 6
/* TCP header (RFC 9293 3.1) byte offsets. */
#define TCP_DATA_OFFSET 12
#define TCP_CHECKSUM 16
#define TCP_HEADER_MIN 20

/* Limits from the formats: QEMU's e1000e takes at most 64 buffers per
 * packet (E1000E_MAX_TX_FRAGS in hw/net/e1000e_core.c); 48 covers a 64 KB
 * TSO pkt of 2 KB pkt buffers with room to spare. */
#define E1000_TX_BUFFERS_MAX 48u

uint16_t e1000_tx_max_buffers(unsigned ring_count)
{
	/* A context and one empty slot besides the data descriptors, and room
	 * for a second pkt in flight while the first is being sent. */
	unsigned ring_share = ring_count / 2 > 2 ? ring_count / 2 - 2 : 1;
	return (uint16_t)(ring_share < E1000_TX_BUFFERS_MAX ? ring_share : E1000_TX_BUFFERS_MAX);
}

static uint16_t load_be16(const uint8_t *bytes)
{
	return (uint16_t)(bytes[0] << 8 | bytes[1]);
}

static void store_be16(uint8_t *bytes, uint16_t value)
{
	bytes[0] = (uint8_t)(value >> 8);
	bytes[1] = (uint8_t)value;
}

static int checksum_context(const struct pkt *pkt, struct e1000_tx_offload *offload)
{
	uint32_t start = pkt_checksum_start_from_data(pkt);
	uint32_t field = start + pkt->checksum_offset;
	if (start > E1000_TXD_OFFSET_MAX || field > E1000_TXD_OFFSET_MAX || field + 2 > pkt->length)
		return -1;
	struct e1000_tx_context_desc *context = &offload->context;
	context->tu_checksum_start = (uint8_t)start;
	context->tu_checksum_offset = (uint8_t)field;
	context->tu_checksum_end = 0;
	context->command_and_length = E1000_TXD_DEXT | E1000_TXD_DTYP_CONTEXT;
	if (pkt->checksum_offset == TCP_CHECKSUM)
		context->command_and_length |= E1000_TXD_TUCMD_TCP;
	offload->options = E1000_TXD_POPTS_TXSM;
	return 0;
}

/* The folded pseudo-header sum of source, destination and protocol with a
 * zero length: the complement of the checksum of those 12 bytes. */
static uint16_t pseudo_header_sum_without_length(const uint8_t *ip)
{
	uint8_t pseudo[IPV4_ADDRESSES_LENGTH + 4] = { 0 };
	memcpy(pseudo, ip + IPV4_SOURCE, IPV4_ADDRESSES_LENGTH);
	pseudo[IPV4_ADDRESSES_LENGTH + 1] = IP_PROTOCOL_TCP;
	return (uint16_t)~ntohs(internet_checksum(pseudo, sizeof pseudo));
}

static int tso_context(const struct pkt *pkt, struct e1000_tx_offload *offload)
{
	uint8_t *frame = pkt->data;
	uint32_t ip_start = ETH_HEADER_LENGTH;
	if (pkt->length < ip_start + IPV4_HEADER_MIN || load_be16(frame + ETH_TYPE_OFFSET) != ETH_TYPE_IPV4)
		return -1;
	uint8_t *ip = frame + ip_start;
	uint32_t ip_length = (ip[IPV4_VERSION_IHL] & 0x0F) * 4u;
	uint32_t tcp_start = pkt_checksum_start_from_data(pkt);
	if (ip[IPV4_VERSION_IHL] >> 4 != 4 || ip_length < IPV4_HEADER_MIN || ip[IPV4_PROTOCOL] != IP_PROTOCOL_TCP ||
	    tcp_start != ip_start + ip_length || pkt->checksum_offset != TCP_CHECKSUM ||
	    pkt->length < tcp_start + TCP_HEADER_MIN)
		return -1;
	uint8_t *tcp = frame + tcp_start;
	uint32_t header_length = tcp_start + (tcp[TCP_DATA_OFFSET] >> 4) * 4u;
	uint32_t total = pkt_total_length(pkt);
	/* 3.5: the whole header in the first buffer, HDRLEN in 8 bits, some payload. */
	if (header_length > pkt->length || header_length > E1000_TXD_OFFSET_MAX || total <= header_length ||
	    total - header_length > E1000_TXD_LENGTH_MASK || pkt->gso_size == 0)
		return -1;

	uint32_t payload = total - header_length;
	store_be16(ip + IPV4_TOTAL_LENGTH, 0);
	store_be16(ip + IPV4_CHECKSUM, 0);
	store_be16(tcp + TCP_CHECKSUM, pseudo_header_sum_without_length(ip));

	struct e1000_tx_context_desc *context = &offload->context;
	context->ip_checksum_start = (uint8_t)ip_start;
	context->ip_checksum_offset = (uint8_t)(ip_start + IPV4_CHECKSUM);
	context->ip_checksum_end = (uint16_t)(tcp_start - 1);
	context->tu_checksum_start = (uint8_t)tcp_start;
	context->tu_checksum_offset = (uint8_t)(tcp_start + TCP_CHECKSUM);
	context->tu_checksum_end = 0;
	context->command_and_length = E1000_TXD_DEXT | E1000_TXD_DTYP_CONTEXT | E1000_TXD_TUCMD_TSE |
				      E1000_TXD_TUCMD_IP | E1000_TXD_TUCMD_TCP | payload;
	context->header_length = (uint8_t)header_length;
	context->mss = pkt->gso_size;
	offload->data_command = E1000_TXD_DCMD_TSE;
	offload->options = E1000_TXD_POPTS_IXSM | E1000_TXD_POPTS_TXSM;
	offload->segments = (payload + pkt->gso_size - 1) / pkt->gso_size;
	return 0;
}

int e1000_tx_offload_prepare(struct pkt *pkt, struct e1000_tx_offload *offload)
{
	memset(offload, 0, sizeof *offload);
	offload->segments = 1;
	if (pkt->gso_size != 0) {
		offload->extended = true;
		return tso_context(pkt, offload);
	}
	if (pkt->checksum_state == PKT_CHECKSUM_PARTIAL) {
		offload->extended = true;
		return checksum_context(pkt, offload);
	}
	return 0;
}
