/* options.h - TCP options: parsing a received header's options into
 * struct tcp_options, and writing the options we send.
 *
 * Parsing follows RFC 9293 3.1 and RFC 1122 4.2.2.5: unknown kinds are
 * skipped by their length; an option whose kind has a fixed length but
 * carries another is ignored; a length below 2 or beyond the end is
 * malformed: parsing stops there, keeping what came before (as Linux does),
 * and the result says so, so the caller can count it. */
#ifndef KEEL_NET_TCP_OPTIONS_H
#define KEEL_NET_TCP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

/* Option kinds (IANA "TCP Option Kind Numbers") and their lengths. */
#define TCP_OPTION_END 0
#define TCP_OPTION_NOP 1
#define TCP_OPTION_MSS 2                  /* RFC 9293 3.2 */
#define TCP_OPTION_MSS_LENGTH 4
#define TCP_OPTION_WINDOW_SCALE 3         /* RFC 7323 2.2 */
#define TCP_OPTION_WINDOW_SCALE_LENGTH 3
#define TCP_OPTION_SACK_PERMITTED 4       /* RFC 2018 2 */
#define TCP_OPTION_SACK_PERMITTED_LENGTH 2
#define TCP_OPTION_SACK 5                 /* RFC 2018 3 */
#define TCP_OPTION_SACK_BLOCK_LENGTH 8
#define TCP_OPTION_TIMESTAMPS 8           /* RFC 7323 3.2 */
#define TCP_OPTION_TIMESTAMPS_LENGTH 10

#define TCP_WINDOW_SCALE_MAX 14           /* RFC 7323 2.3: larger shifts are used as 14 */
#define TCP_SACK_BLOCKS_MAX 4             /* 4 * 8 + 2 fit the 40 option bytes */
/* On every segment with timestamps: NOP NOP TS = 12 bytes. */
#define TCP_TIMESTAMPS_ALIGNED_LENGTH 12

struct tcp_sack_block {
	uint32_t start;   /* first sequence number of the block */
	uint32_t end;     /* one past the last */
};

struct tcp_options {
	bool has_mss;
	bool has_window_scale;
	bool sack_permitted;
	bool has_timestamps;
	bool malformed;              /* parsing stopped at a bad length */
	uint16_t mss;
	uint8_t window_scale;        /* clamped to TCP_WINDOW_SCALE_MAX */
	uint32_t ts_value;
	uint32_t ts_echo;
	uint8_t sack_count;
	struct tcp_sack_block sack[TCP_SACK_BLOCKS_MAX];
};

/* Parses length option bytes into *options (zeroed first). */
void tcp_options_parse(const uint8_t *bytes, unsigned length, struct tcp_options *options);

/* What a SYN or SYN-ACK carries. */
struct tcp_syn_options {
	uint16_t mss;
	bool window_scale_ok;
	uint8_t window_scale;
	bool sack_permitted;
	bool timestamps;
	uint32_t ts_value, ts_echo;
};
/* Writes the SYN options, padded to a multiple of 4; returns their length (<= 20). */
unsigned tcp_options_write_syn(uint8_t *out, const struct tcp_syn_options *syn);
/* Writes NOP NOP TS (when timestamps) and then up to the blocks that fit
 * of sack[0..sack_count); returns the length, a multiple of 4. */
unsigned tcp_options_write(uint8_t *out, bool timestamps, uint32_t ts_value, uint32_t ts_echo,
			   const struct tcp_sack_block *sack, unsigned sack_count);
/* Option bytes tcp_options_write would use. */
unsigned tcp_options_length(bool timestamps, unsigned sack_count);

#endif
