/* udp.c - UDP input and output (contract in net/udp/udp.h).
 *
 * Input works on a view of the datagram that is the same whether it came in
 * one pkt or reassembled in a heap buffer; the checks run in order, one drop
 * reason each. RFC 768 allows the UDP length to be shorter than the IP
 * payload: the rest is cut off, as Linux does. Output computes the checksum
 * in software over the pseudo-header, header and payload: a datagram that
 * leaves in fragments cannot use the NIC's per-packet offload, and UDP is
 * not the hot path here (TCP is). UDP does not set DF: DF would turn a
 * smaller MTU on the path into a black hole for a protocol that cannot
 * resize its datagrams, so we fragment as Linux's IP_PMTUDISC_DONT does.
 * Received ICMP errors about our datagrams reach the connected socket they
 * concern (udp_icmp_error). */
#include "net/udp/udp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/core/drop.h"
#include "net/core/mib.h"
#include "net/ipv4/icmp.h"
#include "net/udp/internal.h"
#include "net/wire/icmp.h"
#include "net/wire/ipv4.h"
#include "net/wire/udp.h"

/* A received datagram, wherever it lives. */
struct udp_received {
	struct net_interface *interface;
	const struct ipv4_header *ip;
	struct udp_header *udp;
	uint32_t length;              /* IP payload bytes from udp */
	uint8_t checksum_state;
	uint8_t link_flags;
	struct pkt *pkt;              /* owner, or NULL */
	void *heap;                   /* owner, or NULL */
};

static void discard(struct udp_received *received, enum net_drop_reason reason)
{
	net_drop(received->pkt, reason);
	free(received->heap);
}

static enum net_drop_reason check(struct udp_received *received)
{
	if (received->length < UDP_HEADER_LENGTH)
		return NET_DROP_UDP_TRUNCATED;
	uint32_t udp_length = ntohs(received->udp->length);
	if (udp_length < UDP_HEADER_LENGTH || udp_length > received->length)
		return NET_DROP_UDP_BAD_LENGTH;
	received->length = udp_length;
	if (received->udp->checksum == UDP_CHECKSUM_NONE || received->checksum_state == PKT_CHECKSUM_UNNECESSARY)
		return NET_DROP_NONE;          /* RFC 768: 0 = not computed; or the NIC checked */
	/* RFC 768: over the pseudo-header, the header and the data. */
	uint64_t sum = ipv4_pseudo_header_sum(received->ip->source, received->ip->destination, IP_PROTOCOL_UDP,
					      udp_length) + ones_complement_sum(received->udp, udp_length);
	return ones_complement_fold(sum) == 0xFFFF ? NET_DROP_NONE : NET_DROP_UDP_BAD_CHECKSUM;
}

static void no_socket(struct udp_received *received)
{
	size_t available = (size_t)((const uint8_t *)received->udp - (const uint8_t *)received->ip) + received->length;
	icmp_error_send(received->interface, (const uint8_t *)received->ip, available, received->link_flags,
			ICMP_TYPE_DESTINATION_UNREACHABLE, ICMP_CODE_PORT_UNREACHABLE, 0);
	discard(received, NET_DROP_UDP_NO_SOCKET);
}

static void receive(struct udp_received *received)
{
	enum net_drop_reason reason = check(received);
	if (reason != NET_DROP_NONE) {
		discard(received, reason);
		return;
	}
	const struct udp_header *udp = received->udp;
	struct sock *sk = udp_socket_lookup(received->ip->destination, udp->destination_port, received->ip->source,
					    udp->source_port);
	if (sk == NULL) {
		no_socket(received);
		return;
	}
	struct udp_datagram *datagram = malloc(sizeof(*datagram));
	if (datagram == NULL) {
		discard(received, NET_DROP_UDP_NO_MEMORY);
		return;
	}
	uint32_t payload_length = received->length - UDP_HEADER_LENGTH;
	*datagram = (struct udp_datagram){
		.from = { received->ip->source, udp->source_port },
		.data = (const uint8_t *)udp + UDP_HEADER_LENGTH,
		.length = payload_length,
		.charge = received->pkt ? PKT_BUFFER_SIZE : (uint32_t)sizeof(*datagram) + received->length,
		.pkt = received->pkt,
		.heap = received->heap,
	};
	reason = udp_socket_enqueue(sk, datagram);
	if (reason != NET_DROP_NONE) {
		free(datagram);
		discard(received, reason);
		return;
	}
	net_mib_count(NET_MIB_UDP_IN_DATAGRAMS);
}

void udp_input(struct net_interface *interface, struct pkt *pkt)
{
	struct udp_received received = {
		.interface = interface,
		.ip = (const struct ipv4_header *)pkt_network_header(pkt),
		.udp = (struct udp_header *)pkt->data,
		.length = pkt->length,
		.checksum_state = pkt->checksum_state,
		.link_flags = pkt->flags,
		.pkt = pkt,
	};
	receive(&received);
}

void udp_input_large(struct ipv4_large_datagram *datagram)
{
	struct udp_received received = {
		.interface = datagram->interface,
		.ip = (const struct ipv4_header *)datagram->buffer,
		.udp = (struct udp_header *)(datagram->buffer + datagram->header_length),
		.length = datagram->length - datagram->header_length,
		.checksum_state = PKT_CHECKSUM_NONE,
		.link_flags = datagram->link_flags,
		.heap = datagram->buffer,
	};
	receive(&received);
}

enum net_drop_reason udp_icmp_error(const struct icmp_error_report *report)
{
	/* The quote is what we sent: its source is us (RFC 1122 3.2.2). */
	const struct udp_header *udp = (const struct udp_header *)report->transport;
	struct sock *sk = udp_socket_lookup(report->quoted->source, udp->source_port, report->quoted->destination,
					    udp->destination_port);
	if (sk == NULL)
		return NET_DROP_ICMP_ERROR_NO_SOCKET;
	bool hard;
	int error = icmp_error_errno(report, &hard);
	if (error == 0)
		return NET_DROP_ICMP_ERROR_IGNORED;
	return udp_socket_error(sk, error, hard);
}

void udp_datagram_free(struct udp_datagram *datagram)
{
	pkt_free(datagram->pkt);
	free(datagram->heap);
	free(datagram);
}

int udp_output(const struct sock_endpoint *source, const struct sock_endpoint *destination, const void *payload,
	       size_t length)
{
	if (length > UDP_PAYLOAD_MAX)
		return -EMSGSIZE;
	uint32_t udp_length = (uint32_t)(UDP_HEADER_LENGTH + length);
	struct udp_header header = { source->port, destination->port, htons((uint16_t)udp_length), 0 };
	uint64_t sum = ipv4_pseudo_header_sum(source->address, destination->address, IP_PROTOCOL_UDP, udp_length) +
		       ones_complement_sum(&header, sizeof(header)) + ones_complement_sum(payload, length);
	header.checksum = (be16)~ones_complement_fold(sum);
	if (header.checksum == 0)
		header.checksum = UDP_CHECKSUM_ZERO_AS;
	static const struct ipv4_output_options may_fragment = { .dont_fragment = false };
	net_mib_count(NET_MIB_UDP_OUT_DATAGRAMS);
	return ipv4_output_buffer(&header, sizeof(header), payload, length, source->address, destination->address,
				  IP_PROTOCOL_UDP, &may_fragment);
}
