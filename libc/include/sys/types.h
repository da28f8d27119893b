/* sys/types.h - the POSIX system data types keel's headers use, with
 * glibc's x86_64 widths so an app builds the same against either. */
#ifndef KEEL_SYS_TYPES_H
#define KEEL_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef long time_t;
typedef long suseconds_t;
typedef int clockid_t;
typedef uint32_t socklen_t;
typedef unsigned short sa_family_t;

#endif
