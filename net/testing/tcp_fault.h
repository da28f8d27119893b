/* tcp_fault.h - fault injection for tests (like smoltcp's fault
 * injector): `keel.tcp.loss=<per mille>` drops that share of TCP segments
 * at random, in both directions, so loss recovery can be exercised on a
 * perfect link. Off (0) by default; the drops are counted. */
#ifndef KEEL_NET_TCP_FAULT_H
#define KEEL_NET_TCP_FAULT_H

#include <stdbool.h>

void tcp_fault_init(void);
/* True when this segment should be lost. */
bool tcp_fault_drop(void);

#endif
