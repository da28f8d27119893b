/* poll.h - waiting for several sockets at once (POSIX poll, Linux values).
 *
 * poll() fills revents for every entry: the events asked for that are true
 * now, plus POLLERR, POLLHUP and POLLNVAL (a descriptor that is not open),
 * which are always reported. A negative fd is ignored (revents 0). With
 * nothing ready it runs the network loop until something is, or until
 * timeout milliseconds passed (-1: no limit, 0: do not wait). Returns how
 * many entries have a non-zero revents. */
#ifndef KEEL_POLL_H
#define KEEL_POLL_H

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLRDHUP  0x2000

typedef unsigned long nfds_t;

struct pollfd {
	int fd;
	short events;
	short revents;
};

int poll(struct pollfd *fds, nfds_t count, int timeout_ms);

#endif
