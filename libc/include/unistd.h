/* unistd.h - the POSIX descriptor calls that make sense in keel: every
 * descriptor is a socket, so read/write are recv/send without flags and
 * close releases the socket. Descriptors 0-2 are reserved as on Unix and
 * never refer to sockets (reading them fails with EBADF). */
#ifndef KEEL_UNISTD_H
#define KEEL_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t read(int fd, void *buffer, size_t length);
ssize_t write(int fd, const void *data, size_t length);
int close(int fd);

#endif
