/* linger.c - close() with SO_LINGER on and a time (l_onoff=1,
 * l_linger>0): the caller waits, running the network loop as every
 * blocking call does, until the protocol reports that the peer has
 * acknowledged our data and FIN or the time is up, whichever comes first.
 *
 * Linux semantics (inet_release -> tcp_close -> sk_stream_wait_close):
 * - the wait ends as soon as the connection leaves FIN_WAIT_1, CLOSING and
 *   LAST_ACK, i.e. when our FIN is acknowledged (the peer may still send:
 *   FIN_WAIT_2 ends the wait);
 * - when the time runs out, close() still returns 0 and the connection
 *   carries on as an orphan (retransmissions, FIN_WAIT_2 timeout); it is not
 *   reset (4.4BSD and Solaris differ here; Linux does not);
 * - l_linger=0 is not a wait but an abort (RST), done by the protocol's
 *   release, and unread received data aborts too (RFC 2525 2.17).
 * One deliberate difference: Linux waits even on an O_NONBLOCK socket;
 * keel does not block a non-blocking socket's close(), as the 4.4BSD
 * tradition and this project's contract for non-blocking calls ask, and the
 * close then finishes in the background exactly as without SO_LINGER. */
#include "net/socket/socket.h"

#include "kernel/time/clock.h"

#define NSEC_PER_SECOND 1000000000ull

void socket_linger_before_release(struct sock *sk)
{
	if (!sk->linger_on || sk->linger_seconds <= 0 || sk->nonblocking)
		return;
	if (!sk->ops->close_start || !sk->ops->close_pending || !sk->ops->close_start(sk))
		return;
	uint64_t deadline = clock_monotonic_ns() + (uint64_t)sk->linger_seconds * NSEC_PER_SECOND;
	while (sk->ops->close_pending(sk) && !socket_deadline_passed(deadline))
		socket_wait(deadline, false);
}
