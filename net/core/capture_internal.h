/* capture_internal.h - what the capture files share (contract in
 * net/core/capture.h): the one session's state, its record buffer and the
 * filter. capture.c opens, reads and closes the session; capture_tap.c
 * writes the records (the only part the packet path runs);
 * capture_ring.c is the buffer; capture_filter.c judges a frame's headers.
 * Everything runs from the kernel loop (taps from NAPI polls and transmits,
 * the reader from the management port): never from an interrupt, so
 * nothing here needs a lock. */
#ifndef KEEL_NET_CORE_CAPTURE_INTERNAL_H
#define KEEL_NET_CORE_CAPTURE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/capture.h"

/* A byte buffer whose records are each contiguous (a bip buffer): the
 * writer reserves a whole record at once, at the write position or, when
 * the end is too near, back at the start once the reader has gone past;
 * the reader takes bytes in order and may stop anywhere in a record.
 * Contiguity lets the tap finish a checksum in place in the copy. */
struct capture_ring {
	uint8_t *bytes;
	uint32_t size;
	uint32_t read;     /* the next byte the reader takes */
	uint32_t write;    /* where the next record goes */
	uint32_t wrap;     /* wrapped: where the data at the top ends (the reader then goes back to 0) */
	bool wrapped;      /* the data is [read, wrap) then [0, write); else [read, write) */
};

void capture_ring_init(struct capture_ring *ring, uint8_t *bytes, uint32_t size);
/* length contiguous bytes for a record, now the reader's to take once
 * written; NULL when there is no such room (nothing changes). */
uint8_t *capture_ring_reserve(struct capture_ring *ring, uint32_t length);
/* Copies up to capacity pending bytes out; returns how many. */
size_t capture_ring_read(struct capture_ring *ring, void *buffer, size_t capacity);
bool capture_ring_empty(const struct capture_ring *ring);

/* Bytes of a frame the filter may look at: Ethernet, the longest IPv4
 * header, TCP's or UDP's ports. */
#define CAPTURE_FILTER_BYTES (14u + 60u + 4u)
/* Whether the frame (from its Ethernet header; length: the bytes there,
 * at most CAPTURE_FILTER_BYTES needed) matches filter (capture.h). */
bool capture_filter_match(const struct capture_filter *filter, const uint8_t *frame, uint32_t length);
bool capture_filter_is_empty(const struct capture_filter *filter);

struct capture_session {
	bool open;                   /* capture_start .. capture_stop */
	bool ended;                  /* frame limit or duration reached: no more records */
	struct netdev *device;       /* NULL: every device */
	struct capture_filter filter;
	uint32_t frame_limit;        /* 0: none */
	uint32_t frames_recorded;
	uint64_t deadline_ns;        /* clock_monotonic_ns(); 0: none */
	int64_t realtime_offset_ns;  /* monotonic + this = the records' time (0: since boot) */
	struct capture_ring ring;
};

extern struct capture_session capture_session;
extern struct capture_stats capture_counters;   /* its bool active is not kept: the session's open is */

/* No more records: the tap goes back to one branch; the reader drains. */
void capture_session_end(void);
/* Ends the session if its duration is over at now_ns; whether it has ended. */
bool capture_session_check_deadline(uint64_t now_ns);

#endif
