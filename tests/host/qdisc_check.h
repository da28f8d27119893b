/* qdisc_check.h - what the files of tests/host/qdisc_check share: frames
 * built for the qdiscs, the pool, and the scenarios each file runs. The
 * clock is tests/host/host_time_shim.c's (it moves only when a test says). */
#ifndef KEEL_TESTS_QDISC_CHECK_H
#define KEEL_TESTS_QDISC_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "net/core/pkt.h"
#include "net/core/qdisc.h"
#include "tests/host/host_time_shim.h"

#define QDISC_CHECK_POOL 4096

/* An Ethernet + IPv4 + UDP frame of frame_length bytes (at least 42) from
 * 10.0.0.1:source_port to 10.0.0.2:9, IPv4 TOS tos (ECN bits included),
 * its header checksum valid. NULL when the pool is empty. */
struct pkt *qdisc_check_frame(uint16_t source_port, uint32_t frame_length, uint8_t tos);
/* The frame's UDP source port: which flow it belongs to. */
uint16_t qdisc_check_flow_of(const struct pkt *pkt);
/* Whether the frame's IPv4 header checksum verifies. */
bool qdisc_check_ip_checksum_ok(const struct pkt *pkt);
uint8_t qdisc_check_tos(const struct pkt *pkt);
/* Every buffer back in the pool. */
bool qdisc_check_pool_full(void);

/* The fake device eth0 (eth1 is the other) and its ring: room for
 * `room` more frames, and how many it took so far. */
struct netdev *qdisc_check_device(unsigned index);
void qdisc_check_ring_set(unsigned room, unsigned sent);
unsigned qdisc_check_ring_sent(void);

/* n source ports whose frames fall in n different flows of an fq_codel. */
void distinct_ports(struct qdisc *qdisc, uint16_t *ports, unsigned n);

/* Scenarios of qdisc_check_fq_codel.c. */
void check_fq_codel_drr(void);
void check_fq_codel_sparse(void);
void check_fq_codel_codel(void);
void check_fq_codel_reentry(void);
void check_fq_codel_ecn(void);
void check_fq_codel_overlimit(void);
void check_fq_codel_memory(void);
void check_fq_codel_reset(void);
void check_fq_codel_newton(void);

/* Scenarios of qdisc_check_shaper.c, and its `tc` output. */
void check_shaper_rate(void);
void check_shaper_graft(void);
void check_shaper_parse(void);
void show_tc_shaper(void);
/* Scenarios of qdisc_check_options.c; `tc qdisc show` after qdisc_init
 * with keel.qdisc= and keel.shape= from $QDISC_CHECK_QDISC and
 * $QDISC_CHECK_SHAPE. */
void check_qdisc_options(void);
void show_tc_after_init(void);

#endif
