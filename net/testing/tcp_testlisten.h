/* tcp_testlisten.h - an in-kernel TCP echo service (RFC 862) for tests,
 * built on TCP's own socket ops: `keel.tcp.testlisten=<port>`. It lets the
 * TCP tests run without any application in the image. Work is done from a
 * timer callback (never inside segment processing): tcp_wake() only puts
 * the connection on a list. */
#ifndef KEEL_NET_TCP_TESTLISTEN_H
#define KEEL_NET_TCP_TESTLISTEN_H

struct tcp_sock;

/* Opens the listener when the command line asks for one. */
void tcp_testlisten_start(void);
void tcp_testlisten_wake(struct tcp_sock *tcb);

#endif
