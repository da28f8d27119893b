/* codel.c - CoDel for one queue (contract in net/sched/codel.h), following
 * RFC 8289's pseudocode (sections 5.3 to 5.5, the Linux variant of the
 * re-entry rule it adopts). */
#include "net/sched/codel.h"

#include <string.h>

#include "net/core/checksum.h"
#include "net/core/qdisc.h"
#include "net/wire/ethernet.h"
#include "net/wire/ipv4.h"

#define INVERSE_SQRT_ONE 0xFFFFFFFFu        /* 1/sqrt(1), the nearest Q0.32 gets to 1 */
/* RFC 8289 5.5: re-entering within this many intervals of the last drop
 * resumes the previous episode's drop rate. */
#define REENTRY_INTERVALS 16

void codel_vars_init(struct codel_vars *vars)
{
	memset(vars, 0, sizeof(*vars));
	vars->inverse_sqrt_count = INVERSE_SQRT_ONE;
}

/* x' = x (3 - count x^2) / 2 in Q0.32. The (3 - count x^2) factor is
 * halved twice first so that the last product fits 64 bits. */
void codel_newton_step(struct codel_vars *vars)
{
	uint64_t x = vars->inverse_sqrt_count;
	uint64_t x_squared = (x * x) >> 32;
	uint64_t count_x_squared = (uint64_t)vars->count * x_squared;   /* Q32.32 */
	if (count_x_squared >= (3ull << 32)) {
		/* Far above the root (count jumped): restart below it, where
		 * the iteration climbs back monotonically. */
		vars->inverse_sqrt_count = vars->count ? INVERSE_SQRT_ONE / vars->count : INVERSE_SQRT_ONE;
		return;
	}
	uint64_t quarter_factor = ((3ull << 32) - count_x_squared) >> 2;
	uint64_t next = (x * quarter_factor) >> 31;
	vars->inverse_sqrt_count = next > INVERSE_SQRT_ONE ? INVERSE_SQRT_ONE : (uint32_t)next;
}

uint64_t codel_control_law(uint64_t t_ns, uint64_t interval_ns, uint32_t inverse_sqrt_count)
{
	return t_ns + ((interval_ns * inverse_sqrt_count) >> 32);
}

/* RFC 3168 5 and 6.1.1.1: ECT(0) and ECT(1) become CE; the header checksum
 * follows with RFC 1624's incremental update of the word holding TOS. */
bool codel_ecn_set_ce(struct pkt *pkt)
{
	if (pkt->length < ETHERNET_HEADER_LENGTH + IPV4_HEADER_MIN_LENGTH)
		return false;
	const struct ethernet_header *ethernet = (const void *)pkt->data;
	if (ethernet->ethertype != htons(ETHERTYPE_IPV4))
		return false;
	struct ipv4_header *ip = (void *)(pkt->data + ETHERNET_HEADER_LENGTH);
	if (ipv4_version(ip) != IPV4_VERSION)
		return false;
	uint8_t ecn = ip->type_of_service & IPV4_ECN_MASK;
	if (ecn == IPV4_ECN_CE)
		return true;
	if (ecn == IPV4_ECN_NOT_ECT)
		return false;
	be16 old_word, new_word;
	memcpy(&old_word, ip, sizeof(old_word));
	ip->type_of_service |= IPV4_ECN_CE;
	memcpy(&new_word, ip, sizeof(new_word));
	ip->header_checksum = internet_checksum_update(ip->header_checksum, old_word, new_word);
	return true;
}

/* RFC 8289 5.3 dodequeue's test: above target for a whole interval, and
 * more than a packet queued (a lone packet is never worth dropping). */
static bool should_drop(const struct pkt *pkt, struct codel_vars *vars, const struct codel_parameters *parameters,
			struct codel_stats *stats, const struct codel_queue *queue, uint64_t now_ns)
{
	if (pkt == NULL) {
		vars->first_above_time_ns = 0;
		return false;
	}
	uint64_t sojourn = now_ns > pkt->timestamp_ns ? now_ns - pkt->timestamp_ns : 0;
	vars->last_sojourn_ns = sojourn;
	uint32_t bytes = qdisc_pkt_wire_bytes(pkt);
	if (bytes > stats->maxpacket)
		stats->maxpacket = bytes;
	if (sojourn < parameters->target_ns || *queue->backlog_bytes <= stats->maxpacket) {
		vars->first_above_time_ns = 0;
		return false;
	}
	if (vars->first_above_time_ns == 0) {
		vars->first_above_time_ns = now_ns + parameters->interval_ns;
		return false;
	}
	return now_ns >= vars->first_above_time_ns;
}

/* Marks pkt CE when ECN allows it (true), else drops it (false). */
static bool mark_instead_of_drop(struct pkt *pkt, const struct codel_parameters *parameters, struct codel_stats *stats)
{
	if (parameters->ecn && codel_ecn_set_ce(pkt)) {
		stats->ecn_mark++;
		return true;
	}
	return false;
}

static void drop(struct pkt *pkt, struct codel_stats *stats, const struct codel_queue *queue)
{
	stats->drops++;
	queue->drop(queue->context, pkt);
}

/* In the dropping state: leave it when the sojourn fell below target,
 * otherwise drop (or mark) every packet whose drop time has come. */
static struct pkt *while_dropping(struct pkt *pkt, bool over_target, struct codel_vars *vars,
				  const struct codel_parameters *parameters, struct codel_stats *stats,
				  const struct codel_queue *queue, uint64_t now_ns)
{
	if (!over_target) {
		vars->dropping = false;
		return pkt;
	}
	while (vars->dropping && now_ns >= vars->drop_next_ns) {
		vars->count++;
		codel_newton_step(vars);
		if (mark_instead_of_drop(pkt, parameters, stats)) {
			vars->drop_next_ns = codel_control_law(vars->drop_next_ns, parameters->interval_ns,
							       vars->inverse_sqrt_count);
			return pkt;
		}
		drop(pkt, stats, queue);
		pkt = queue->dequeue(queue->context);
		if (!should_drop(pkt, vars, parameters, stats, queue, now_ns))
			vars->dropping = false;
		else
			vars->drop_next_ns = codel_control_law(vars->drop_next_ns, parameters->interval_ns,
							       vars->inverse_sqrt_count);
	}
	return pkt;
}

/* Entering the dropping state: one drop (or mark) now, and a count that
 * resumes the last episode's rate when it ended recently (RFC 8289 5.5). */
static struct pkt *enter_dropping(struct pkt *pkt, struct codel_vars *vars, const struct codel_parameters *parameters,
				  struct codel_stats *stats, const struct codel_queue *queue, uint64_t now_ns)
{
	if (!mark_instead_of_drop(pkt, parameters, stats)) {
		drop(pkt, stats, queue);
		pkt = queue->dequeue(queue->context);
		should_drop(pkt, vars, parameters, stats, queue, now_ns);  /* keeps first_above_time current */
	}
	vars->dropping = true;
	uint32_t delta = vars->count - vars->lastcount;
	int64_t since_last_drop = (int64_t)(now_ns - vars->drop_next_ns);
	if (delta > 1 && since_last_drop < (int64_t)(REENTRY_INTERVALS * parameters->interval_ns)) {
		vars->count = delta;
		codel_newton_step(vars);
	} else {
		vars->count = 1;
		vars->inverse_sqrt_count = INVERSE_SQRT_ONE;
	}
	vars->lastcount = vars->count;
	vars->drop_next_ns = codel_control_law(now_ns, parameters->interval_ns, vars->inverse_sqrt_count);
	return pkt;
}

struct pkt *codel_dequeue(struct codel_vars *vars, const struct codel_parameters *parameters,
			  struct codel_stats *stats, const struct codel_queue *queue, uint64_t now_ns)
{
	struct pkt *pkt = queue->dequeue(queue->context);
	if (pkt == NULL) {
		vars->first_above_time_ns = 0;
		vars->dropping = false;
		return NULL;
	}
	bool over_target = should_drop(pkt, vars, parameters, stats, queue, now_ns);
	if (vars->dropping)
		return while_dropping(pkt, over_target, vars, parameters, stats, queue, now_ns);
	if (over_target)
		return enter_dropping(pkt, vars, parameters, stats, queue, now_ns);
	return pkt;
}
