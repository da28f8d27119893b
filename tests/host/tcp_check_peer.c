/* tcp_check_peer.c - the scripted peer of tests/host/tcp_check (see
 * tcp_check.h): the packet pool, segments built and injected through
 * tcp_input, TCP's output parsed back from the shim's capture, and the
 * connection fixture (passive open with or without options, abortive close). */
#include <errno.h>
#include <string.h>

#include "net/core/pkt_pool.h"
#include "net/tcp/tcp.h"
#include "net/wire/ipv4.h"
#include "tests/host/tcp_check.h"

/* ---- the packet pool ---------------------------------------------------- */

static uint8_t *pool_buffers;
static struct pkt *pool_descriptors;
static uint8_t *pool_in_use;

void pool_create(void)
{
	pool_buffers = malloc((size_t)POOL_SIZE * PKT_BUFFER_SIZE);
	pool_descriptors = malloc(POOL_SIZE * sizeof(struct pkt));
	pool_in_use = malloc(POOL_SIZE);
	pkt_pool_attach(pool_buffers, pool_descriptors, pool_in_use, POOL_SIZE);
}

void pool_destroy(void)
{
	free(pool_buffers);
	free(pool_descriptors);
	free(pool_in_use);
}

void check_pool_full(void)
{
	struct pkt_pool_stats stats = pkt_pool_get_stats();
	CHECK_EQ(stats.free, stats.total);
}

/* ---- the peer: segments in, segments out ------------------------------------ */

void inject(const struct segment *segment)
{
	struct pkt *pkt = pkt_alloc();
	CHECK(pkt != NULL);
	if (pkt == NULL)
		return;
	unsigned tcp_length = TCP_HEADER_MIN_LENGTH + segment->options_length + segment->length;
	uint8_t *bytes = pkt_put(pkt, IPV4_HEADER_MIN_LENGTH + tcp_length);
	struct ipv4_header *ip = (struct ipv4_header *)bytes;
	*ip = (struct ipv4_header){ .version_ihl = 0x45, .total_length = htons((uint16_t)(20 + tcp_length)),
				    .time_to_live = 64, .protocol = IP_PROTOCOL_TCP, .source = SHIM_REMOTE_ADDRESS,
				    .destination = SHIM_LOCAL_ADDRESS };
	struct tcp_header *tcp = (struct tcp_header *)(bytes + IPV4_HEADER_MIN_LENGTH);
	*tcp = (struct tcp_header){ .source_port = htons(segment->source_port),
				    .destination_port = htons(segment->destination_port),
				    .sequence = htonl(segment->seq), .acknowledgment = htonl(segment->ack),
				    .data_offset = (uint8_t)(((20 + segment->options_length) / 4) << 4),
				    .flags = segment->flags, .window = htons(segment->window) };
	memcpy(tcp + 1, segment->options, segment->options_length);
	if (segment->length)
		memcpy((uint8_t *)(tcp + 1) + segment->options_length, segment->data, segment->length);
	tcp_checksum_fill(tcp, tcp_length, SHIM_REMOTE_ADDRESS, SHIM_LOCAL_ADDRESS);
	pkt_set_network_header(pkt);
	pkt_pull(pkt, IPV4_HEADER_MIN_LENGTH);
	pkt_set_transport_header(pkt);
	tcp_input(&shim_device, pkt);
}

struct output next_output(void)
{
	struct output out = { 0 };
	const struct shim_segment *segment = shim_take();
	if (segment == NULL)
		return out;
	CHECK(segment->checksum_ok);
	const struct tcp_header *tcp = (const struct tcp_header *)segment->bytes;
	unsigned header_length = tcp_header_length(tcp);
	out.present = true;
	out.seq = ntohl(tcp->sequence);
	out.ack = ntohl(tcp->acknowledgment);
	out.flags = tcp->flags;
	out.window = ntohs(tcp->window);
	out.source_port = ntohs(tcp->source_port);
	out.destination_port = ntohs(tcp->destination_port);
	tcp_options_parse(segment->bytes + 20, header_length - 20, &out.options);
	out.length = segment->length - header_length;
	memcpy(out.payload, segment->bytes + header_length, out.length);
	return out;
}

/* ---- a connection fixture: the test is the peer at 10.0.0.2:40000 ------------- */

static void add_timestamps(struct segment *segment, const struct connection *c)
{
	if (c->timestamps)
		segment->options_length = tcp_options_write(segment->options, true, c->ts_value, c->our_ts, NULL, 0);
}

void peer_send(struct connection *c, uint8_t flags, const void *data, unsigned length)
{
	struct segment segment = { PEER_PORT, LOCAL_PORT, c->peer_next, c->our_next, flags, c->peer_window };
	segment.data = data;
	segment.length = length;
	c->ts_value++;
	add_timestamps(&segment, c);
	inject(&segment);
	c->peer_next += length + !!(flags & TCP_FLAG_FIN) + !!(flags & TCP_FLAG_SYN);
}

void peer_ack(struct connection *c) { peer_send(c, TCP_FLAG_ACK, NULL, 0); }

struct output take(struct connection *c)
{
	struct output out = next_output();
	if (out.present && out.options.has_timestamps)
		c->our_ts = out.options.ts_value;
	return out;
}

struct sock *open_listener(uint16_t port, int backlog)
{
	struct sock *listener = sock_allocate(&tcp_ops);
	struct sock_endpoint local = { 0, htons(port) };
	CHECK_EQ(tcp_ops.bind(listener, &local), 0);
	CHECK_EQ(tcp_ops.listen(listener, backlog), 0);
	return listener;
}

void send_syn(struct connection *c, uint32_t iss, bool options)
{
	struct segment syn = { PEER_PORT, LOCAL_PORT, iss, 0, TCP_FLAG_SYN, 65535 };
	if (options) {
		struct tcp_syn_options offer = { .mss = 1460, .window_scale_ok = true, .window_scale = 7,
						 .sack_permitted = true, .timestamps = true, .ts_value = c->ts_value };
		syn.options_length = tcp_options_write_syn(syn.options, &offer);
	}
	inject(&syn);
}

void establish(struct connection *c, bool options)
{
	*c = (struct connection){ .peer_next = PEER_ISS, .ts_value = 5000, .timestamps = options, .peer_window = 1000 };
	c->listener = open_listener(LOCAL_PORT, 8);
	send_syn(c, PEER_ISS, options);
	c->peer_next = PEER_ISS + 1;
	struct output synack = take(c);
	CHECK(synack.present);
	CHECK_EQ(synack.flags, TCP_FLAG_SYN | TCP_FLAG_ACK);
	CHECK_EQ(synack.ack, PEER_ISS + 1);
	CHECK(synack.options.has_mss && synack.options.mss == 1460);
	CHECK_EQ(synack.options.has_window_scale, options);
	CHECK_EQ(synack.options.sack_permitted, options);
	CHECK_EQ(synack.options.has_timestamps, options);
	if (options) {
		CHECK_EQ(synack.options.window_scale, tcp_receive_window_shift());
		CHECK_EQ(synack.options.ts_echo, 5000);
	}
	c->our_next = synack.seq + 1;
	struct sock *none;
	CHECK_EQ(tcp_ops.accept(c->listener, &none), -EAGAIN);
	peer_ack(c);
	CHECK_EQ(tcp_ops.accept(c->listener, &c->sk), 0);
	c->tcb = c->sk ? c->sk->protocol_state : NULL;
	CHECK(c->tcb && c->tcb->state == TCP_ESTABLISHED);
	CHECK(!shim_pending());
}

void close_abortively(struct sock *sk)
{
	sk->linger_on = true;
	sk->linger_seconds = 0;
	sock_free_unaccepted(sk);
}

void close_all(struct connection *c)
{
	if (c->sk)
		close_abortively(c->sk);
	if (c->listener)
		sock_free_unaccepted(c->listener);
	c->sk = c->listener = NULL;
	host_time_advance(200 * 1000 * MS);  /* every TIME_WAIT and retransmission ends */
	shim_discard_output();
}
