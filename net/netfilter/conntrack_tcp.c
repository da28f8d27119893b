/* conntrack_tcp.c - TCP connection tracking, as Linux's
 * nf_conntrack_proto_tcp: a state machine driven by the segment's flags
 * and direction, and window tracking after Guido van Rooij's "Real
 * Stateful TCP Packet Filtering in IP Filter" - a segment is part of the
 * connection only if its sequence numbers fall in the window the receiver
 * advertised and its acknowledgment in what the receiver has sent.
 * Out-of-window segments and impossible flag combinations are INVALID. */
#include "net/netfilter/conntrack_entry.h"

#include <string.h>

#include "net/wire/ipv4.h"
#include "net/wire/tcp.h"

#include "net/netfilter/conntrack_sysctl.h"

#define NSEC_PER_SECOND 1000000000ull
/* Linux's MAXACKWINCONST: the least window an acknowledgment may lag by. */
#define MAX_ACK_WINDOW_FLOOR 66000u
#define WINDOW_SCALE_MAX 14   /* RFC 7323 2.3 */
#define TCP_OPTION_WINDOW_SCALE 3

/* The segment kinds the state machine tells apart (Linux's TCP_*_SET). */
enum segment_kind { SEGMENT_SYN, SEGMENT_SYNACK, SEGMENT_FIN, SEGMENT_ACK, SEGMENT_RST, SEGMENT_NONE, SEGMENT_KINDS };

/* Pseudo-states of the table: ignore the segment (no state change), or it is invalid. */
#define S_IGNORE 10
#define S_INVALID 11
enum { sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2, sIG = S_IGNORE, sIV = S_INVALID };

/* [direction][segment kind][old state] -> new state: the transitions of
 * RFC 9293 3.3.2 as a middlebox sees both sides (Linux's tcp_conntracks).
 * Columns: NONE SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT CLOSE_WAIT LAST_ACK TIME_WAIT CLOSE SYN_SENT2 */
static const uint8_t transitions[2][SEGMENT_KINDS][CONNTRACK_TCP_STATE_COUNT] = {
	{ /* original direction: from the side that sent the first SYN */
		[SEGMENT_SYN] = { sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2 },
		[SEGMENT_SYNACK] = { sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR },
		[SEGMENT_FIN] = { sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV },
		[SEGMENT_ACK] = { sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV },
		[SEGMENT_RST] = { sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
		[SEGMENT_NONE] = { sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
	{ /* reply direction */
		[SEGMENT_SYN] = { sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2 },
		[SEGMENT_SYNACK] = { sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR },
		[SEGMENT_FIN] = { sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV },
		[SEGMENT_ACK] = { sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG },
		[SEGMENT_RST] = { sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
		[SEGMENT_NONE] = { sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
};

const char *conntrack_tcp_state_name(unsigned state)
{
	static const char *const names[CONNTRACK_TCP_STATE_COUNT] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
		"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};
	return state < CONNTRACK_TCP_STATE_COUNT ? names[state] : "UNKNOWN";
}

static enum segment_kind segment_kind_of(uint8_t flags)
{
	if (flags & TCP_FLAG_RST)
		return SEGMENT_RST;
	if (flags & TCP_FLAG_SYN)
		return (flags & TCP_FLAG_ACK) ? SEGMENT_SYNACK : SEGMENT_SYN;
	if (flags & TCP_FLAG_FIN)
		return SEGMENT_FIN;
	return (flags & TCP_FLAG_ACK) ? SEGMENT_ACK : SEGMENT_NONE;
}

/* Linux's tcp_valid_flags: the combinations a TCP sends, PSH, ECE and CWR
 * aside. SYN+FIN, SYN+RST, FIN without ACK, no flag at all... are not. */
static bool flags_valid(uint8_t flags)
{
	switch (flags & ~(TCP_FLAG_PSH | TCP_FLAG_ECE | TCP_FLAG_CWR)) {
	case TCP_FLAG_SYN:
	case TCP_FLAG_SYN | TCP_FLAG_URG:
	case TCP_FLAG_SYN | TCP_FLAG_ACK:
	case TCP_FLAG_RST:
	case TCP_FLAG_RST | TCP_FLAG_ACK:
	case TCP_FLAG_FIN | TCP_FLAG_ACK:
	case TCP_FLAG_FIN | TCP_FLAG_ACK | TCP_FLAG_URG:
	case TCP_FLAG_ACK:
	case TCP_FLAG_ACK | TCP_FLAG_URG:
		return true;
	default:
		return false;
	}
}

static const struct tcp_header *header_of(const struct conntrack_packet *packet)
{
	return (const struct tcp_header *)packet->transport;
}

bool conntrack_tcp_header_valid(const struct conntrack_packet *packet)
{
	if (packet->transport_available < TCP_HEADER_MIN_LENGTH)
		return false;
	unsigned header_length = tcp_header_length(header_of(packet));
	return header_length >= TCP_HEADER_MIN_LENGTH && header_length <= packet->transport_available &&
	       flags_valid(header_of(packet)->flags);
}

static uint32_t payload_length(const struct conntrack_packet *packet)
{
	return packet->transport_length - tcp_header_length(header_of(packet));
}

/* The sequence space a segment occupies: data, plus one each for SYN and FIN. */
static uint32_t segment_end(const struct conntrack_packet *packet)
{
	const struct tcp_header *tcp = header_of(packet);
	return ntohl(tcp->sequence) + payload_length(packet) + ((tcp->flags & TCP_FLAG_SYN) ? 1 : 0) +
	       ((tcp->flags & TCP_FLAG_FIN) ? 1 : 0);
}

/* RFC 7323 2.2: a SYN's window scale option. */
static void read_window_scale(const struct conntrack_packet *packet, struct conntrack_tcp_window *window)
{
	const uint8_t *option = packet->transport + TCP_HEADER_MIN_LENGTH;
	const uint8_t *end = packet->transport + tcp_header_length(header_of(packet));
	window->scale = 0;
	window->flags &= (uint8_t)~CONNTRACK_TCP_FLAG_WINDOW_SCALE;
	while (option < end && *option != 0) {
		if (*option == 1) {
			option++;
			continue;
		}
		if (end - option < 2 || option[1] < 2 || option[1] > end - option)
			return;
		if (option[0] == TCP_OPTION_WINDOW_SCALE && option[1] == 3) {
			window->scale = option[2] > WINDOW_SCALE_MAX ? WINDOW_SCALE_MAX : option[2];
			window->flags |= CONNTRACK_TCP_FLAG_WINDOW_SCALE;
		}
		option += option[1];
	}
}

static bool after(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static bool before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }

/* The first segment in this direction: what it says becomes the window. */
static void window_initialise(struct conntrack_tcp_window *sender, struct conntrack_tcp_window *receiver,
			      const struct conntrack_packet *packet, uint32_t end, uint32_t window, uint32_t ack)
{
	const struct tcp_header *tcp = header_of(packet);
	if (tcp->flags & TCP_FLAG_SYN) {
		/* The SYN/ACK (or a simultaneous open's SYN). RFC 7323 2.2: scaling
		 * only when both SYNs carried the option. */
		sender->end = sender->max_end = end;
		sender->max_window = window == 0 ? 1 : window;
		read_window_scale(packet, sender);
		if (!(sender->flags & receiver->flags & CONNTRACK_TCP_FLAG_WINDOW_SCALE))
			sender->scale = receiver->scale = 0;
		return;
	}
	/* Mid-stream: its history is lost to us; take the segment's word. */
	sender->end = end;
	uint32_t scaled = window << sender->scale;
	sender->max_window = scaled == 0 ? 1 : scaled;
	sender->max_end = end + sender->max_window;
	if (receiver->max_window == 0)
		receiver->end = receiver->max_end = ack;
}

/* Linux's tcp_in_window: checks I-IV, then the windows move on. */
static bool in_window(struct nf_conn *entry, unsigned direction, const struct conntrack_packet *packet)
{
	struct conntrack_tcp_window *sender = &entry->window[direction];
	struct conntrack_tcp_window *receiver = &entry->window[!direction];
	const struct tcp_header *tcp = header_of(packet);
	uint32_t sequence = ntohl(tcp->sequence), ack = ntohl(tcp->acknowledgment);
	uint32_t end = segment_end(packet);
	uint32_t window = ntohs(tcp->window);
	if (!(tcp->flags & TCP_FLAG_SYN))
		window <<= sender->scale;

	if (sender->max_window == 0) {
		window_initialise(sender, receiver, packet, end, window, ack);
		if ((tcp->flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN)
			return true;   /* simultaneous open: nothing acknowledged yet */
	} else if (((entry->tcp_state == CONNTRACK_TCP_SYN_SENT && direction == CONNTRACK_DIRECTION_ORIGINAL) ||
		    (entry->tcp_state == CONNTRACK_TCP_SYN_RECV && direction == CONNTRACK_DIRECTION_REPLY)) &&
		   (tcp->flags & TCP_FLAG_SYN) && after(end, sender->end)) {
		/* RFC 9293 3.4.1: a reinitialised TCP's new SYN, with higher sequence numbers. */
		sender->end = sender->max_end = end;
		sender->max_window = window == 0 ? 1 : window;
		read_window_scale(packet, sender);
	}
	if (!(tcp->flags & TCP_FLAG_ACK) || ((tcp->flags & TCP_FLAG_RST) && ack == 0))
		ack = receiver->end;   /* nothing acknowledged: take it as acknowledging everything */
	/* A segment without data is checked by its acknowledgment only; an RST always by its sequence. */
	if (sequence == end && (!(tcp->flags & TCP_FLAG_RST) || (sequence == 0 && entry->tcp_state == CONNTRACK_TCP_SYN_SENT)))
		sequence = end = sender->end;

	uint32_t max_ack_window = sender->max_window > MAX_ACK_WINDOW_FLOOR ? sender->max_window : MAX_ACK_WINDOW_FLOOR;
	bool acceptable = before(sequence, sender->max_end + 1) &&                  /* I: not beyond the window */
			  after(end, sender->end - receiver->max_window - 1) &&     /* II: not before it */
			  before(ack, receiver->end + 1) &&                         /* III: acks nothing unsent */
			  after(ack, receiver->end - max_ack_window - 1);           /* IV: nor too old */
	if (!acceptable)
		return (sender->flags | receiver->flags) & CONNTRACK_TCP_FLAG_BE_LIBERAL || nf_conntrack_tcp_be_liberal;

	if (sender->max_window < window)
		sender->max_window = window;
	if (after(end, sender->end)) {
		sender->end = end;
		sender->flags |= CONNTRACK_TCP_FLAG_DATA_UNACKNOWLEDGED;
	}
	if (receiver->max_window != 0 && after(end, sender->max_end))
		receiver->max_window += end - sender->max_end;
	if (after(ack + window, receiver->max_end - 1)) {
		receiver->max_end = ack + window;
		if (window == 0)
			receiver->max_end++;
	}
	if (ack == receiver->end)
		receiver->flags &= (uint8_t)~CONNTRACK_TCP_FLAG_DATA_UNACKNOWLEDGED;
	return true;
}

bool conntrack_tcp_new(struct nf_conn *entry, const struct conntrack_packet *packet)
{
	const struct tcp_header *tcp = header_of(packet);
	uint8_t next = transitions[CONNTRACK_DIRECTION_ORIGINAL][segment_kind_of(tcp->flags)][CONNTRACK_TCP_NONE];
	struct conntrack_tcp_window *sender = &entry->window[0];
	memset(entry->window, 0, sizeof(entry->window));
	entry->tcp_state = CONNTRACK_TCP_NONE;
	if (next == sSS) {
		sender->end = sender->max_end = segment_end(packet);
		sender->max_window = ntohs(tcp->window) == 0 ? 1 : ntohs(tcp->window);
		read_window_scale(packet, sender);
		return true;
	}
	if (next != sES || !nf_conntrack_tcp_loose)
		return false;
	/* Picking up a connection already established (nf_conntrack_tcp_loose):
	 * the window scale is unknown, so the windows are not enforced. */
	sender->end = segment_end(packet);
	sender->max_window = ntohs(tcp->window) == 0 ? 1 : ntohs(tcp->window);
	sender->max_end = sender->end + sender->max_window;
	sender->flags = entry->window[1].flags = CONNTRACK_TCP_FLAG_BE_LIBERAL;
	return true;
}

static uint64_t timeout_for(const struct nf_conn *entry, unsigned state)
{
	int64_t seconds = conntrack_tcp_timeout_seconds(state);
	if (((entry->window[0].flags | entry->window[1].flags) & CONNTRACK_TCP_FLAG_DATA_UNACKNOWLEDGED) &&
	    seconds > nf_conntrack_tcp_timeout_unacknowledged)
		seconds = nf_conntrack_tcp_timeout_unacknowledged;
	if (!(entry->status & NF_CT_STATUS_SEEN_REPLY) && state == CONNTRACK_TCP_ESTABLISHED &&
	    seconds > nf_conntrack_tcp_timeout_unacknowledged)
		seconds = nf_conntrack_tcp_timeout_unacknowledged;   /* a picked-up connection nobody answered */
	return (uint64_t)seconds * NSEC_PER_SECOND;
}

enum conntrack_verdict conntrack_tcp_packet(struct nf_conn *entry, unsigned direction,
					    const struct conntrack_packet *packet, uint64_t now_ns)
{
	const struct tcp_header *tcp = header_of(packet);
	unsigned old_state = entry->tcp_state;
	unsigned new_state = transitions[direction][segment_kind_of(tcp->flags)][old_state];
	if (new_state == S_INVALID)
		return CONNTRACK_VERDICT_INVALID;
	if (new_state == S_IGNORE)
		return CONNTRACK_VERDICT_ACCEPT;   /* e.g. a retransmitted SYN/ACK: passes, changes nothing */
	if (new_state == CONNTRACK_TCP_SYN_SENT && old_state >= CONNTRACK_TCP_TIME_WAIT)
		return CONNTRACK_VERDICT_REOPEN;   /* RFC 9293 3.6.1: a new incarnation in TIME-WAIT */
	if (!in_window(entry, direction, packet))
		return CONNTRACK_VERDICT_INVALID;
	entry->tcp_state = (uint8_t)new_state;
	if (new_state == CONNTRACK_TCP_FIN_WAIT && old_state != new_state)
		entry->window[direction].flags |= CONNTRACK_TCP_FLAG_CLOSE_INIT;
	if (!(entry->status & NF_CT_STATUS_SEEN_REPLY) && (tcp->flags & TCP_FLAG_RST)) {
		/* Only an RST came back (a closed port): nothing was ever established. */
		entry->expires_ns = now_ns;
		return CONNTRACK_VERDICT_ACCEPT;
	}
	if ((entry->status & NF_CT_STATUS_SEEN_REPLY) && new_state == CONNTRACK_TCP_ESTABLISHED &&
	    (old_state == CONNTRACK_TCP_SYN_RECV || old_state == CONNTRACK_TCP_ESTABLISHED))
		entry->status |= NF_CT_STATUS_ASSURED;   /* the three-way handshake completed */
	entry->expires_ns = now_ns + timeout_for(entry, new_state);
	return CONNTRACK_VERDICT_ACCEPT;
}

bool conntrack_can_early_drop(const struct nf_conn *entry)
{
	if (!(entry->status & NF_CT_STATUS_ASSURED))
		return true;
	/* Linux's tcp_can_early_drop: an assured connection already closing. */
	return entry->tuple[0].protocol == IP_PROTOCOL_TCP &&
	       (entry->tcp_state == CONNTRACK_TCP_FIN_WAIT || entry->tcp_state == CONNTRACK_TCP_CLOSE_WAIT ||
		entry->tcp_state == CONNTRACK_TCP_LAST_ACK || entry->tcp_state == CONNTRACK_TCP_TIME_WAIT ||
		entry->tcp_state == CONNTRACK_TCP_CLOSE);
}
