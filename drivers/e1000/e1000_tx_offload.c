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
 * differs from packet to packet (PAYLEN), so it is always written.
 *
 * One exception, for QEMU's 82574 model: a partial checksum on a frame with
 * bytes after its IPv4 datagram (net/ethernet pads short frames to 60 bytes
 * with zeros) is completed here and the frame goes out without offload; see
 * padded_checksum_in_software. */
#include "drivers/e1000/e1000.h"
#include "net/core/byteorder.h"
#include "net/core/checksum.h"
#include "net/core/gso.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"
#include "net/wire/udp.h"

#include <stddef.h>
#include <string.h>

#define TCP_CHECKSUM_OFFSET offsetof(struct tcp_header, checksum)

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
	if (pkt->checksum_offset == TCP_CHECKSUM_OFFSET)
		context->command_and_length |= E1000_TXD_TUCMD_TCP;
	offload->options = E1000_TXD_POPTS_TXSM;
	return 0;
}

/* The headers are where net/core/gso.h finds them, with the partial checksum on
 * TCP's field; 3.5: the whole header in the first buffer, HDRLEN in 8 bits,
 * PAYLEN in 20. */
static int tso_context(const struct pkt *pkt, struct e1000_tx_offload *offload)
{
	struct gso_headers headers;
	if (!gso_headers_find(pkt, &headers) || pkt_checksum_start_from_data(pkt) != headers.tcp_offset ||
	    pkt->checksum_offset != TCP_CHECKSUM_OFFSET || headers.length > E1000_TXD_OFFSET_MAX ||
	    pkt_total_length(pkt) - headers.length > E1000_TXD_LENGTH_MASK)
		return -1;
	struct ipv4_header *ip = (struct ipv4_header *)(pkt->data + headers.ip_offset);
	struct tcp_header *tcp = (struct tcp_header *)(pkt->data + headers.tcp_offset);
	uint32_t payload = pkt_total_length(pkt) - headers.length;
	ip->total_length = 0;
	ip->header_checksum = 0;
	tcp->checksum = ipv4_pseudo_header_sum(ip->source, ip->destination, IP_PROTOCOL_TCP, 0);

	struct e1000_tx_context_desc *context = &offload->context;
	context->ip_checksum_start = (uint8_t)headers.ip_offset;
	context->ip_checksum_offset = (uint8_t)(headers.ip_offset + offsetof(struct ipv4_header, header_checksum));
	context->ip_checksum_end = (uint16_t)(headers.tcp_offset - 1);
	context->tu_checksum_start = (uint8_t)headers.tcp_offset;
	context->tu_checksum_offset = (uint8_t)(headers.tcp_offset + TCP_CHECKSUM_OFFSET);
	context->tu_checksum_end = 0;
	context->command_and_length = E1000_TXD_DEXT | E1000_TXD_DTYP_CONTEXT | E1000_TXD_TUCMD_TSE |
				      E1000_TXD_TUCMD_IP | E1000_TXD_TUCMD_TCP | payload;
	context->header_length = (uint8_t)headers.length;
	context->mss = pkt->gso_size;
	offload->data_command = E1000_TXD_DCMD_TSE;
	offload->options = E1000_TXD_POPTS_IXSM | E1000_TXD_POPTS_TXSM;
	offload->segments = (payload + pkt->gso_size - 1) / pkt->gso_size;
	return 0;
}

/* Where the IPv4 datagram ends in the frame (from data) when bytes follow it
 * there (the zero padding of a short frame); 0 when none do or it is not
 * IPv4 with its header in the first buffer. */
static uint32_t datagram_end_before_trailer(const struct pkt *pkt)
{
	uint32_t network = (uint32_t)pkt->network_offset;
	if (pkt->protocol != ETHERTYPE_IPV4 || network < pkt_headroom(pkt) ||
	    network - pkt_headroom(pkt) + sizeof(struct ipv4_header) > pkt->length)
		return 0;
	const struct ipv4_header *ip = (const struct ipv4_header *)pkt_network_header(pkt);
	uint32_t end = network - pkt_headroom(pkt) + ntohs(ip->total_length);
	return end < pkt_total_length(pkt) ? end : 0;
}

/* QEMU's 82574 model (hw/net/e1000e_core.c + net_tx_pkt.c, 7.2 at least)
 * does not follow the context for TXSM without TSE: it ignores TUCSS, TUCSO
 * and TUCSE, zeroes the field and rebuilds the pseudo-header itself with the
 * length of everything after the IPv4 header - the Ethernet padding
 * included. A padded SYN-ACK (44-byte datagram in a 60-byte frame) left with
 * a checksum 2 too small, and slirp (user-mode networking) dropped it; on a
 * tap the model hands the sum to the host kernel instead and it passed.
 * The hardware (8254x SDM 3.3.6 table 3-14 and 3.6, the same context in
 * 82574 DS 7.2: TUCSO is where software leaves its partial sum, the
 * pseudo-header; TUCSE 0 = up to the end of the packet) sums the zeros,
 * which add nothing, on top of that sum, so the descriptors are right - Linux
 * programs the same context (TUCSS, TUCSO, TUCSE 0, TUCMD.TCP) and never
 * meets the bug only because it leaves padding to TCTL.PSP, which acts after
 * the checksum. So, on the 82574 only, such a frame (at most 60 bytes: a
 * few dozen to sum) is finished in software: the field's pseudo-header sum
 * plus the segment's bytes up to the datagram's end, complemented (RFC 1071;
 * UDP's 0 sent as all ones, RFC 768). Fragment chains are never padded
 * (ethernet.c pulls them first), so only a one-buffer pkt qualifies. */
static bool padded_checksum_in_software(struct pkt *pkt)
{
	uint32_t start = pkt_checksum_start_from_data(pkt);
	uint32_t field = start + pkt->checksum_offset;
	uint32_t end = pkt->fragments == NULL ? datagram_end_before_trailer(pkt) : 0;
	if (end == 0 || field + 2 > end)
		return false;
	be16 checksum = (be16)~ones_complement_sum(pkt->data + start, end - start);
	if (checksum == 0 && pkt->checksum_offset == offsetof(struct udp_header, checksum))
		checksum = (be16)0xFFFF;
	memcpy(pkt->data + field, &checksum, sizeof checksum);
	pkt->checksum_state = PKT_CHECKSUM_NONE;
	return true;
}

int e1000_tx_offload_prepare(struct pkt *pkt, enum e1000_family family, struct e1000_tx_offload *offload)
{
	memset(offload, 0, sizeof *offload);
	offload->segments = 1;
	if (pkt->gso_size != 0) {
		offload->extended = true;
		return tso_context(pkt, offload);
	}
	if (pkt->checksum_state == PKT_CHECKSUM_PARTIAL) {
		if (family == E1000_FAMILY_82574 && padded_checksum_in_software(pkt)) {
			offload->summed_in_software = true;
			return 0;
		}
		offload->extended = true;
		return checksum_context(pkt, offload);
	}
	return 0;
}
