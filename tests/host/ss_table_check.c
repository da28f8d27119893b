/* ss_table_check.c - host test of net/socket/ss_table.c: keel's `ss`
 * layout against iproute2 6.1's, byte for byte. Built with ASan and UBSan
 * by tests/host/test_ss_table.py.
 *
 * Every expected text below is what Debian 12's `ss` (iproute2-6.1.0)
 * printed into a file (stdout not a terminal) for the same sockets, opened
 * in a network namespace by a Python script: TCP listeners on
 * 10.99.0.2:7 (backlog 5) and 0.0.0.0:80 (backlog 128), a connection from
 * 10.99.0.2:55840 to :80 with 1234 bytes unread on the accepted side; UDP
 * sockets on 0.0.0.0:7 and 10.99.0.2:5353 (connected to :7); then, in a
 * second namespace, UDP sockets with SO_RCVBUF 2048, default, 1024 (rb4096,
 * rb212992, rb2304). Commands: ss -tan, -tln, -uan, -tuan, -tn state
 * established, -uanm, -tanm '! dport = :55840' (so every skmem has f0, the
 * only value keel cannot show otherwise), -tan state syn-sent (no row). The
 * rows fed here carry the same values in the order ss printed them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "console_capture.h"
#include "host_check.h"
#include "net/socket/ss_table.h"


struct fed_row {
	const char *netid;
	struct sock_diag_row row;
};

static struct sock_endpoint endpoint(const char *address, unsigned port)
{
	struct sock_endpoint result = { inet_addr(address), htons((uint16_t)port) };
	return result;
}

static struct fed_row tcp_row(enum sock_diag_state state, unsigned receive_queue, unsigned send_queue, const char *local,
			      unsigned local_port, const char *peer, unsigned peer_port, unsigned send_buffer)
{
	struct fed_row fed = { "tcp", { .state = state, .receive_queue = receive_queue, .send_queue = send_queue } };
	fed.row.local = endpoint(local, local_port);
	fed.row.remote = endpoint(peer, peer_port);
	fed.row.receive_buffer = 131072;
	fed.row.send_buffer = send_buffer;
	return fed;
}

static struct fed_row udp_row(enum sock_diag_state state, const char *local, unsigned local_port, const char *peer,
			      unsigned peer_port, unsigned receive_buffer)
{
	struct fed_row fed = { "udp", { .state = state } };
	fed.row.local = endpoint(local, local_port);
	fed.row.remote = endpoint(peer, peer_port);
	fed.row.receive_buffer = receive_buffer;
	fed.row.send_buffer = 212992;
	return fed;
}

/* Lays the rows out as console_ss.c does: measure all, header, print all. */
static const char *render(const struct ss_table_options *options, const struct fed_row *rows, size_t count)
{
	struct ss_table table;
	console_capture_reset();
	ss_table_begin(&table, options);
	for (size_t i = 0; i < count; i++)
		ss_table_measure(&table, rows[i].netid, &rows[i].row);
	ss_table_print_header(&console_capture_output, &table);
	for (size_t i = 0; i < count; i++)
		ss_table_print_row(&console_capture_output, &table, rows[i].netid, &rows[i].row);
	return console_capture_text();
}

static void expect(const char *what, const char *printed, const char *expected)
{
	if (strcmp(printed, expected) != 0) {
		printf("FAIL: %s\n--- keel:\n%s--- ss 6.1:\n%s---\n", what, printed, expected);
		failures++;
	}
}

static const char expected_tan[] =
	"State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
	"LISTEN 0      5          10.99.0.2:7          0.0.0.0:*           \n"
	"LISTEN 0      128          0.0.0.0:80         0.0.0.0:*           \n"
	"ESTAB  0      0          10.99.0.2:55840    10.99.0.2:80          \n"
	"ESTAB  1234   0          10.99.0.2:80       10.99.0.2:55840       \n";

static const char expected_tln[] =
	"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
	"LISTEN 0      5          10.99.0.2:7         0.0.0.0:*          \n"
	"LISTEN 0      128          0.0.0.0:80        0.0.0.0:*          \n";

static const char expected_uan[] =
	"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
	"UNCONN 0      0            0.0.0.0:7         0.0.0.0:*          \n"
	"ESTAB  0      0          10.99.0.2:5353    10.99.0.2:7          \n";

static const char expected_tuan[] =
	"Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
	"udp   UNCONN 0      0            0.0.0.0:7          0.0.0.0:*           \n"
	"udp   ESTAB  0      0          10.99.0.2:5353     10.99.0.2:7           \n"
	"tcp   LISTEN 0      5          10.99.0.2:7          0.0.0.0:*           \n"
	"tcp   LISTEN 0      128          0.0.0.0:80         0.0.0.0:*           \n"
	"tcp   ESTAB  0      0          10.99.0.2:55840    10.99.0.2:80          \n"
	"tcp   ESTAB  1234   0          10.99.0.2:80       10.99.0.2:55840       \n";

static const char expected_established[] =
	"Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\n"
	"0      0          10.99.0.2:55840    10.99.0.2:80          \n"
	"1234   0          10.99.0.2:80       10.99.0.2:55840       \n";

static const char expected_uanm[] =
	"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                                           \n"
	"UNCONN 0      0            0.0.0.0:7         0.0.0.0:*   \n"
	"\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)\n"
	"ESTAB  0      0          10.99.0.2:5353    10.99.0.2:7   \n"
	"\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)\n";

static const char expected_tanm[] =
	"State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                          \n"
	"LISTEN 0      5          10.99.0.2:7          0.0.0.0:*   \n"
	"\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)\n"
	"LISTEN 0      128          0.0.0.0:80         0.0.0.0:*   \n"
	"\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)\n"
	"ESTAB  0      0          10.99.0.2:55840    10.99.0.2:80  \n"
	"\t skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0)\n";

static const char expected_empty[] =
	"Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n";

static const char expected_uanm_padded[] =
	"State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                                           \n"
	"UNCONN 0      0          10.99.0.2:9         0.0.0.0:*   \n"
	"\t skmem:(r0,rb4096,t0,tb212992,f0,w0,o0,bl0,d0)  \n"
	"UNCONN 0      0            0.0.0.0:53        0.0.0.0:*   \n"
	"\t skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)\n"
	"UNCONN 0      0          10.99.0.2:123       0.0.0.0:*   \n"
	"\t skmem:(r0,rb2304,t0,tb212992,f0,w0,o0,bl0,d0)  \n";

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static void check_tcp_and_udp(void)
{
	const struct fed_row tcp[] = {
		tcp_row(SOCK_DIAG_LISTEN, 0, 5, "10.99.0.2", 7, "0.0.0.0", 0, 16384),
		tcp_row(SOCK_DIAG_LISTEN, 0, 128, "0.0.0.0", 80, "0.0.0.0", 0, 16384),
		tcp_row(SOCK_DIAG_ESTABLISHED, 0, 0, "10.99.0.2", 55840, "10.99.0.2", 80, 3939840),
		tcp_row(SOCK_DIAG_ESTABLISHED, 1234, 0, "10.99.0.2", 80, "10.99.0.2", 55840, 3939840),
	};
	const struct fed_row udp[] = {
		udp_row(SOCK_DIAG_CLOSE, "0.0.0.0", 7, "0.0.0.0", 0, 212992),
		udp_row(SOCK_DIAG_ESTABLISHED, "10.99.0.2", 5353, "10.99.0.2", 7, 212992),
	};
	struct fed_row both[COUNT(udp) + COUNT(tcp)];
	memcpy(both, udp, sizeof(udp));
	memcpy(both + COUNT(udp), tcp, sizeof(tcp));
	const struct ss_table_options states = { .show_state = true };
	const struct ss_table_options one_state = { 0 };
	expect("ss -tan", render(&states, tcp, COUNT(tcp)), expected_tan);
	expect("ss -tln", render(&states, tcp, 2), expected_tln);
	expect("ss -uan", render(&states, udp, COUNT(udp)), expected_uan);
	expect("ss -tuan", render(&(struct ss_table_options){ .show_netid = true, .show_state = true }, both, COUNT(both)),
	       expected_tuan);
	expect("ss -tn state established", render(&one_state, tcp + 2, 2), expected_established);
	expect("ss -tan state syn-sent", render(&one_state, NULL, 0), expected_empty);
	/* -m: the skmem field sized with the others, the last row's unmeasured. */
	const struct ss_table_options memory = { .show_state = true, .memory = true };
	expect("ss -uanm", render(&memory, udp, COUNT(udp)), expected_uanm);
	expect("ss -tanm", render(&memory, tcp, 3), expected_tanm);
	const struct fed_row buffers[] = {
		udp_row(SOCK_DIAG_CLOSE, "10.99.0.2", 9, "0.0.0.0", 0, 4096),
		udp_row(SOCK_DIAG_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0, 212992),
		udp_row(SOCK_DIAG_CLOSE, "10.99.0.2", 123, "0.0.0.0", 0, 2304),
	};
	expect("ss -uanm (shorter skmem padded)", render(&memory, buffers, COUNT(buffers)), expected_uanm_padded);
	/* -i on UDP rows: no tcp_info, no second line. */
	expect("ss -uani", render(&(struct ss_table_options){ .show_state = true, .info = true }, udp, COUNT(udp)),
	       expected_uan);
}

int main(void)
{
	check_tcp_and_udp();
	printf("ss_table: %d failures\n", failures);
	return failures != 0;
}
