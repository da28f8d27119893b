/* fcntl.h - descriptor flags (Linux values). fcntl() on a socket supports
 * F_GETFL/F_SETFL (O_NONBLOCK is the only flag that changes anything) and
 * F_GETFD/F_SETFD (FD_CLOEXEC is kept and means nothing: there is no exec). */
#ifndef KEEL_FCNTL_H
#define KEEL_FCNTL_H

#define O_RDONLY   00
#define O_WRONLY   01
#define O_RDWR     02
#define O_NONBLOCK 04000
#define O_CLOEXEC  02000000

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4

#define FD_CLOEXEC 1

int fcntl(int fd, int command, ...);

#endif
