/* nft_log.c - the `log` statement: one console line per packet in the
 * format of Linux's nf_log_syslog ("<prefix>IN=eth0 OUT= SRC=... DST=...
 * LEN= TOS= PREC= TTL= ID= [DF] PROTO=TCP SPT= DPT= WINDOW= RES= <flags>
 * URGP="), at most the console's budget: Linux's net_ratelimit (a burst of
 * 10 lines, then 10 per 5 s) so a flood cannot drown the console; lines
 * suppressed are counted and said once the budget returns. */
#include <stdio.h>

#include "kernel/console/printk.h"
#include "net/netfilter/nft_internal.h"
#include "net/wire/ipv4.h"

#define LOG_BURST 10
#define LOG_INTERVAL_NS 5000000000ull          /* net_ratelimit: 10 per 5 * HZ */
#define LOG_COST_NS (LOG_INTERVAL_NS / LOG_BURST)

static uint64_t log_tokens_ns = LOG_INTERVAL_NS;
static uint64_t log_last_ns;
static uint64_t log_suppressed;

static uint32_t read16(const uint8_t *at) { return (uint32_t)at[0] << 8 | at[1]; }

static int format_transport(char *buffer, size_t size, const struct nft_packet *packet)
{
	const uint8_t *transport = packet->transport;
	uint32_t length = packet->transport_length;
	static const char *const tcp_flags[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	static const uint8_t flag_order[] = { 7, 6, 5, 4, 3, 2, 1, 0 };   /* Linux prints CWR ECE URG ACK PSH RST SYN FIN */
	if (packet->protocol == IP_PROTOCOL_TCP && transport && length >= 20) {
		int used = snprintf(buffer, size, "PROTO=TCP SPT=%u DPT=%u WINDOW=%u RES=0x%02x ", read16(transport),
				    read16(transport + 2), read16(transport + 14), transport[12] & 0x0F);
		for (unsigned i = 0; i < 8 && used >= 0 && (size_t)used < size; i++)
			if (transport[13] & (1u << flag_order[i]))
				used += snprintf(buffer + used, size - used, "%s ", tcp_flags[flag_order[i]]);
		if (used >= 0 && (size_t)used < size)
			used += snprintf(buffer + used, size - used, "URGP=%u", read16(transport + 18));
		return used;
	}
	if (packet->protocol == IP_PROTOCOL_UDP && transport && length >= 8)
		return snprintf(buffer, size, "PROTO=UDP SPT=%u DPT=%u LEN=%u", read16(transport), read16(transport + 2),
				read16(transport + 4));
	if (packet->protocol == IP_PROTOCOL_ICMP && transport && length >= 8)
		return snprintf(buffer, size, "PROTO=ICMP TYPE=%u CODE=%u ID=%u SEQ=%u", transport[0], transport[1],
				read16(transport + 4), read16(transport + 6));
	return snprintf(buffer, size, "PROTO=%u", packet->protocol);
}

int nft_log_format(char *buffer, size_t size, const char *prefix, const struct nft_packet *packet)
{
	const struct ipv4_header *header = (const struct ipv4_header *)packet->network;
	const uint8_t *source = packet->network + 12, *destination = packet->network + 16;
	int used = snprintf(buffer, size,
			    "%sIN=%s OUT=%s SRC=%u.%u.%u.%u DST=%u.%u.%u.%u LEN=%u TOS=0x%02X PREC=0x%02X TTL=%u ID=%u %s%s",
			    prefix, packet->in ? packet->in->name : "", packet->out ? packet->out->name : "", source[0],
			    source[1], source[2], source[3], destination[0], destination[1], destination[2],
			    destination[3], ntohs(header->total_length), header->type_of_service & 0x1E,
			    header->type_of_service & 0xE0, header->time_to_live, ntohs(header->identification),
			    ipv4_flags_offset(header) & IPV4_FLAG_DONT_FRAGMENT ? "DF " : "",
			    ipv4_more_fragments(header) ? "MF " : "");
	if (used < 0 || (size_t)used >= size)
		return used;
	if (ipv4_fragment_offset(header)) {          /* Linux: "FRAG:<offset in 8-byte units>", no transport */
		const char *name = packet->protocol == IP_PROTOCOL_TCP ? "TCP" : packet->protocol == IP_PROTOCOL_UDP ? "UDP"
				 : packet->protocol == IP_PROTOCOL_ICMP ? "ICMP" : NULL;
		used += snprintf(buffer + used, size - used, "FRAG:%u ", ipv4_fragment_offset(header) / IPV4_FRAGMENT_UNIT);
		if (used < 0 || (size_t)used >= size)
			return used;
		return used + (name ? snprintf(buffer + used, size - used, "PROTO=%s", name)
				    : snprintf(buffer + used, size - used, "PROTO=%u", packet->protocol));
	}
	return used + format_transport(buffer + used, size - used, packet);
}

void nft_log_packet(const char *prefix, const struct nft_packet *packet, uint64_t now_ns)
{
	uint64_t elapsed = now_ns - log_last_ns;
	log_last_ns = now_ns;
	log_tokens_ns = elapsed >= LOG_INTERVAL_NS || log_tokens_ns + elapsed >= LOG_INTERVAL_NS
				? LOG_INTERVAL_NS : log_tokens_ns + elapsed;
	if (log_tokens_ns < LOG_COST_NS) {
		log_suppressed++;
		return;
	}
	log_tokens_ns -= LOG_COST_NS;
	if (log_suppressed) {
		pr_warn("nft: %llu log lines suppressed\n", (unsigned long long)log_suppressed);
		log_suppressed = 0;
	}
	char line[320];
	nft_log_format(line, sizeof(line), prefix, packet);
	pr_info("%s\n", line);
}
