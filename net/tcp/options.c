/* options.c - parsing and writing TCP options (contract in net/tcp/options.h). */
#include "net/tcp/options.h"

#include <string.h>

static uint16_t read16(const uint8_t *bytes) { return (uint16_t)(bytes[0] << 8 | bytes[1]); }
static uint32_t read32(const uint8_t *bytes)
{
	return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}
static void write16(uint8_t *bytes, uint16_t value)
{
	bytes[0] = (uint8_t)(value >> 8);
	bytes[1] = (uint8_t)value;
}
static void write32(uint8_t *bytes, uint32_t value)
{
	write16(bytes, (uint16_t)(value >> 16));
	write16(bytes + 2, (uint16_t)value);
}

/* One option with its length already checked against the bytes left. */
static void parse_one(uint8_t kind, const uint8_t *value, unsigned length, struct tcp_options *options)
{
	switch (kind) {
	case TCP_OPTION_MSS:
		if (length == TCP_OPTION_MSS_LENGTH) {
			options->has_mss = true;
			options->mss = read16(value);
		}
		break;
	case TCP_OPTION_WINDOW_SCALE:
		if (length == TCP_OPTION_WINDOW_SCALE_LENGTH) {
			options->has_window_scale = true;
			options->window_scale = value[0] > TCP_WINDOW_SCALE_MAX ? TCP_WINDOW_SCALE_MAX : value[0];
		}
		break;
	case TCP_OPTION_SACK_PERMITTED:
		if (length == TCP_OPTION_SACK_PERMITTED_LENGTH)
			options->sack_permitted = true;
		break;
	case TCP_OPTION_TIMESTAMPS:
		if (length == TCP_OPTION_TIMESTAMPS_LENGTH) {
			options->has_timestamps = true;
			options->ts_value = read32(value);
			options->ts_echo = read32(value + 4);
		}
		break;
	case TCP_OPTION_SACK:
		/* RFC 2018 3: length 2 + 8n; anything else is ignored. */
		if (length > 2 && (length - 2) % TCP_OPTION_SACK_BLOCK_LENGTH == 0) {
			unsigned blocks = (length - 2) / TCP_OPTION_SACK_BLOCK_LENGTH;
			for (unsigned i = 0; i < blocks && options->sack_count < TCP_SACK_BLOCKS_MAX; i++) {
				struct tcp_sack_block *block = &options->sack[options->sack_count++];
				block->start = read32(value + i * TCP_OPTION_SACK_BLOCK_LENGTH);
				block->end = read32(value + i * TCP_OPTION_SACK_BLOCK_LENGTH + 4);
			}
		}
		break;
	default:
		break;  /* unknown kinds are skipped (RFC 9293 3.1) */
	}
}

void tcp_options_parse(const uint8_t *bytes, unsigned length, struct tcp_options *options)
{
	memset(options, 0, sizeof(*options));
	unsigned offset = 0;
	while (offset < length) {
		uint8_t kind = bytes[offset];
		if (kind == TCP_OPTION_END)
			return;
		if (kind == TCP_OPTION_NOP) {
			offset++;
			continue;
		}
		if (offset + 1 >= length) {            /* no room for the length octet */
			options->malformed = true;
			return;
		}
		unsigned option_length = bytes[offset + 1];
		if (option_length < 2 || option_length > length - offset) {
			options->malformed = true;         /* RFC 9293 3.1: "illegal option length" */
			return;
		}
		parse_one(kind, bytes + offset + 2, option_length, options);
		offset += option_length;
	}
}

static unsigned write_timestamps(uint8_t *out, uint8_t first, uint8_t second, uint32_t ts_value, uint32_t ts_echo)
{
	out[0] = first;
	out[1] = second;
	out[2] = TCP_OPTION_TIMESTAMPS;
	out[3] = TCP_OPTION_TIMESTAMPS_LENGTH;
	write32(out + 4, ts_value);
	write32(out + 8, ts_echo);
	return TCP_TIMESTAMPS_ALIGNED_LENGTH;
}

/* Linux's layout, which middleboxes know: MSS, SACK-permitted folded into
 * the timestamps' padding, then NOP + window scale. */
unsigned tcp_options_write_syn(uint8_t *out, const struct tcp_syn_options *syn)
{
	unsigned length = 0;
	out[length++] = TCP_OPTION_MSS;
	out[length++] = TCP_OPTION_MSS_LENGTH;
	write16(out + length, syn->mss);
	length += 2;
	if (syn->timestamps) {
		if (syn->sack_permitted)
			length += write_timestamps(out + length, TCP_OPTION_SACK_PERMITTED, TCP_OPTION_SACK_PERMITTED_LENGTH,
						   syn->ts_value, syn->ts_echo);
		else
			length += write_timestamps(out + length, TCP_OPTION_NOP, TCP_OPTION_NOP, syn->ts_value, syn->ts_echo);
	} else if (syn->sack_permitted) {
		out[length++] = TCP_OPTION_NOP;
		out[length++] = TCP_OPTION_NOP;
		out[length++] = TCP_OPTION_SACK_PERMITTED;
		out[length++] = TCP_OPTION_SACK_PERMITTED_LENGTH;
	}
	if (syn->window_scale_ok) {
		out[length++] = TCP_OPTION_NOP;
		out[length++] = TCP_OPTION_WINDOW_SCALE;
		out[length++] = TCP_OPTION_WINDOW_SCALE_LENGTH;
		out[length++] = syn->window_scale;
	}
	return length;
}

static unsigned sack_blocks_that_fit(bool timestamps, unsigned sack_count)
{
	unsigned room = 40 - (timestamps ? TCP_TIMESTAMPS_ALIGNED_LENGTH : 0) - 4;  /* NOP NOP kind length */
	unsigned fit = room / TCP_OPTION_SACK_BLOCK_LENGTH;
	return sack_count < fit ? sack_count : fit;
}

unsigned tcp_options_length(bool timestamps, unsigned sack_count)
{
	unsigned blocks = sack_blocks_that_fit(timestamps, sack_count);
	return (timestamps ? TCP_TIMESTAMPS_ALIGNED_LENGTH : 0) + (blocks ? 4 + blocks * TCP_OPTION_SACK_BLOCK_LENGTH : 0);
}

unsigned tcp_options_write(uint8_t *out, bool timestamps, uint32_t ts_value, uint32_t ts_echo,
			   const struct tcp_sack_block *sack, unsigned sack_count)
{
	unsigned length = 0;
	if (timestamps)
		length += write_timestamps(out, TCP_OPTION_NOP, TCP_OPTION_NOP, ts_value, ts_echo);
	unsigned blocks = sack_blocks_that_fit(timestamps, sack_count);
	if (blocks == 0)
		return length;
	out[length++] = TCP_OPTION_NOP;
	out[length++] = TCP_OPTION_NOP;
	out[length++] = TCP_OPTION_SACK;
	out[length++] = (uint8_t)(2 + blocks * TCP_OPTION_SACK_BLOCK_LENGTH);
	for (unsigned i = 0; i < blocks; i++) {
		write32(out + length, sack[i].start);
		write32(out + length + 4, sack[i].end);
		length += TCP_OPTION_SACK_BLOCK_LENGTH;
	}
	return length;
}
