/* sys/socket.h - the BSD socket API (POSIX, with Linux's constant values so
 * that numbers in logs and apps built for both mean the same thing).
 *
 * Implemented by net/socket*.c over the protocols of net/socket/sock.h. Calls
 * return -1 and set errno on failure, as POSIX says; blocking calls run the
 * network loop while they wait. Only AF_INET exists. There are no signals:
 * a send on a reset or shut-down connection fails with EPIPE and never
 * raises SIGPIPE (MSG_NOSIGNAL is accepted and changes nothing). */
#ifndef KEEL_SYS_SOCKET_H
#define KEEL_SYS_SOCKET_H

#include <sys/types.h>

#define AF_UNSPEC 0
#define AF_INET   2
#define AF_INET6  10
#define PF_UNSPEC AF_UNSPEC
#define PF_INET   AF_INET
#define PF_INET6  AF_INET6

#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
/* Flags or-ed into socket()'s type and accept4()'s flags (Linux values). */
#define SOCK_NONBLOCK  04000
#define SOCK_CLOEXEC   02000000

#define SOL_SOCKET     1
#define SO_DEBUG       1
#define SO_REUSEADDR   2
#define SO_TYPE        3
#define SO_ERROR       4
#define SO_DONTROUTE   5
#define SO_BROADCAST   6
#define SO_SNDBUF      7
#define SO_RCVBUF      8
#define SO_KEEPALIVE   9
#define SO_OOBINLINE   10
#define SO_LINGER      13
#define SO_REUSEPORT   15
#define SO_RCVLOWAT    18
#define SO_SNDLOWAT    19
#define SO_RCVTIMEO    20
#define SO_SNDTIMEO    21
#define SO_ACCEPTCONN  30
#define SO_PROTOCOL    38
#define SO_DOMAIN      39

#define MSG_OOB        0x1
#define MSG_PEEK       0x2
#define MSG_DONTROUTE  0x4
#define MSG_TRUNC      0x20
#define MSG_DONTWAIT   0x40
#define MSG_EOR        0x80
#define MSG_WAITALL    0x100
#define MSG_NOSIGNAL   0x4000
#define MSG_MORE       0x8000

#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

/* listen()'s backlog is capped at net.core.somaxconn; this is Linux's
 * default for it (5.4 and later). */
#define SOMAXCONN 4096

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

/* Large and aligned enough for any address family's sockaddr. */
struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_padding[128 - sizeof(sa_family_t) - sizeof(unsigned long)];
	unsigned long __ss_align;
};

struct linger {
	int l_onoff;   /* close() lingers while unsent data remains */
	int l_linger;  /* for at most this many seconds */
};

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *address, socklen_t length);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *restrict address, socklen_t *restrict length);
int accept4(int fd, struct sockaddr *restrict address, socklen_t *restrict length, int flags);
int connect(int fd, const struct sockaddr *address, socklen_t length);
ssize_t send(int fd, const void *data, size_t length, int flags);
ssize_t recv(int fd, void *buffer, size_t length, int flags);
ssize_t sendto(int fd, const void *data, size_t length, int flags, const struct sockaddr *to, socklen_t to_length);
ssize_t recvfrom(int fd, void *restrict buffer, size_t length, int flags, struct sockaddr *restrict from,
		 socklen_t *restrict from_length);
int shutdown(int fd, int how);
int setsockopt(int fd, int level, int name, const void *value, socklen_t length);
int getsockopt(int fd, int level, int name, void *restrict value, socklen_t *restrict length);
int getsockname(int fd, struct sockaddr *restrict address, socklen_t *restrict length);
int getpeername(int fd, struct sockaddr *restrict address, socklen_t *restrict length);

#endif
